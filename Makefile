# Tadamun: `make run` serves the demo on http://127.0.0.1:8000 and `make test` runs the
# whole suite; each does its own set-up on a fresh Debian 12 machine (run as root).
# Steps are file targets, so a second run skips what is already done.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .setup-stamps
export DJANGO_SETTINGS_MODULE := conference.settings

RUN_APT := gettext
TEST_APT := $(RUN_APT) chromium redis-server

.PHONY: help run test setup setup-test lint messages migrate demo worker clean

help:
	@echo "make run   - set up, load the demo and serve http://127.0.0.1:8000 (SQLite)"
	@echo "make test  - set up, ruff, then pytest on SQLite and on PostgreSQL + Redis"
	@echo "make worker - a Celery worker (needs REDIS_URL)"

$(STAMPS):
	@mkdir -p $(STAMPS)

# Debian packages: installed only when one is missing, so repeated runs stay fast.
$(STAMPS)/apt-run: | $(STAMPS)
	@scripts/apt-ensure.sh $(RUN_APT)
	@command -v npm >/dev/null || scripts/apt-ensure.sh nodejs npm
	@touch $@
$(STAMPS)/apt-test: | $(STAMPS)
	@scripts/apt-ensure.sh $(TEST_APT)
	@command -v npm >/dev/null || scripts/apt-ensure.sh nodejs npm
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then scripts/apt-ensure.sh postgresql-15; fi
	@touch $@

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { scripts/apt-ensure.sh python3.11-venv && $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --upgrade pip

$(STAMPS)/pip-run: pyproject.toml $(VENV)/bin/python | $(STAMPS)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check ".[s3]"
	@touch $@
$(STAMPS)/pip-test: pyproject.toml $(VENV)/bin/python | $(STAMPS)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check ".[dev,s3]"
	@touch $@ $(STAMPS)/pip-run

$(STAMPS)/npm: package.json package-lock.json $(STAMPS)/apt-run | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

messages: $(STAMPS)/pip-run $(STAMPS)/apt-run
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

setup: $(STAMPS)/apt-run $(STAMPS)/pip-run $(STAMPS)/npm messages

setup-test: $(STAMPS)/apt-test $(STAMPS)/pip-test $(STAMPS)/npm messages

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) manage.py demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMPS)/pip-test
	$(VENV)/bin/ruff check .

test: setup-test lint
	scripts/test-all.sh

worker: setup
	$(VENV)/bin/celery -A conference worker -B -l info

clean:
	rm -rf $(STAMPS) $(VENV) node_modules staticfiles
