"""A burst of registrations for a few seats: throughput, latency, and no overselling.

Run from the repository root against PostgreSQL:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/registration_burst.py \
        [--n 300] [--seats 100] [--mode service|http|both] [--concurrency 16]

Prints one JSON line per mode (service first) with exactly these keys, in this order:
mode, n, seats, confirmed, waitlisted, oversold, registrations_per_second, p50_ms,
p95_ms, p99_ms. Everything else (errors, gunicorn's address) goes to stderr.

Each mode gets its own edition (``bench-<random>-2099``, open), a category of ``--seats``
seats without approval, and ``--n`` delegates with a profile; ``--n`` registrations are
then fired at once from a pool of ``--concurrency`` threads:

- service: ``registrations.services.register`` in-process, each call timed; every
  thread keeps one database connection, opened before the clock starts.
- http: POST /en/<edition>/register/<category>/ to ``gunicorn conference.wsgi -w 2``
  started here on a free port, each delegate logged in by a session made directly in
  the database; a success is a 302, anything else an error (printed to stderr).
  The latency is the client's, queueing in gunicorn's backlog included.

``confirmed``/``waitlisted`` are counted in the database afterwards; ``oversold`` is
max(0, confirmed - seats); ``registrations_per_second`` is successful registrations over
the wall time of the burst. Runs with DEBUG=1 unless DEBUG is set (the development
profile: no production keys needed); ALLOWED_HOSTS is set for gunicorn. E-mail stays on,
as it is part of the cost of registering: rendered and queued for every registration,
and without REDIS_URL sent in-process by Celery's eager mode, to a temporary directory
(EMAIL_URL is overridden, so nothing reaches a mailbox or stdout). With REDIS_URL the
send tasks are queued in Redis as in production, and a worker, if one runs, finds
their rows gone. The benchmark's editions, users, sessions and e-mails are deleted at
the end, also after an error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import secrets
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
os.environ.setdefault("DEBUG", "1")
MAIL_DIR = tempfile.mkdtemp(prefix="tadamun-bench-mail-")
os.environ["EMAIL_URL"] = f"file://{MAIL_DIR}"

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
from importlib import import_module  # noqa: E402

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from conference.models import Conference, Governorate, OutgoingEmail, User  # noqa: E402
from registrations import services  # noqa: E402
from registrations.models import Category, Registration  # noqa: E402

KEYS = (
    "mode", "n", "seats", "confirmed", "waitlisted", "oversold",
    "registrations_per_second", "p50_ms", "p95_ms", "p99_ms",
)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def say(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --- Data -------------------------------------------------------------------------------
class Burst:
    """One mode's edition, category and delegates, all named after one random token so
    that clean-up finds them even when set-up stopped half way."""

    def __init__(self, *, n: int, seats: int) -> None:
        self.token = secrets.token_hex(4)
        self.n, self.seats = n, seats
        self.slug = f"bench-{self.token}-2099"
        self.email_prefix = f"bench-{self.token}-"
        self.category: Category | None = None
        self.users: list[User] = []
        self.session_keys: list[str] = []

    def create(self) -> None:
        governorate = Governorate.objects.first()
        if governorate is None:
            from conference.services import reference_data_load

            reference_data_load()
            governorate = Governorate.objects.first()
        title = {"ar": "اختبار التسجيل", "ckb": "تاقیکردنەوەی تۆمارکردن", "en": "Registration burst"}
        edition = Conference.objects.create(
            slug=self.slug, title=title, city={"ar": "بغداد", "ckb": "بەغدا", "en": "Baghdad"},
            governorate=governorate, start_date=dt.date(2099, 4, 13), end_date=dt.date(2099, 4, 15),
            status=Conference.Status.OPEN,
        )
        category = Category.objects.create(
            conference=edition, slug="burst", kind=Category.Kind.DELEGATE,
            name={"ar": "مندوب", "ckb": "نوێنەر", "en": "Delegate"},
            capacity=self.seats, requires_approval=False,
        )
        self.category = Category.objects.select_related("conference").get(pk=category.pk)
        people = []
        for i in range(self.n):
            user = User(email=f"{self.email_prefix}{i}@bench.invalid", full_name=f"Bench {i}",
                        preferred_language="en")
            user.set_unusable_password()  # no hashing: set-up stays fast
            people.append(user)
        User.objects.bulk_create(people)
        self.users = list(User.objects.filter(email__startswith=self.email_prefix).order_by("pk"))
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in self.users]
        )
        for i, user in enumerate(self.users):
            services.profile_save(user=user, data={"passport_name": f"Bench Delegate {i}", "country": "IQ"})

    def log_in_everyone(self) -> None:
        store_class = import_module(settings.SESSION_ENGINE).SessionStore
        for user in self.users:
            store = store_class()
            store["_auth_user_id"] = str(user.pk)
            store["_auth_user_backend"] = BACKEND
            store["_auth_user_hash"] = user.get_session_auth_hash()
            store.create()
            self.session_keys.append(store.session_key)

    def figures(self) -> tuple[int, int]:
        rows = Registration.objects.filter(conference__slug=self.slug)
        return (
            rows.filter(status=Registration.Status.CONFIRMED).count(),
            rows.filter(status=Registration.Status.WAITLISTED).count(),
        )

    def delete(self) -> None:
        store_class = import_module(settings.SESSION_ENGINE).SessionStore
        for key in self.session_keys:
            store_class().delete(key)
        Registration.objects.filter(conference__slug=self.slug).delete()
        Conference.objects.filter(slug=self.slug).delete()
        OutgoingEmail.objects.filter(to__startswith=self.email_prefix).delete()
        User.objects.filter(email__startswith=self.email_prefix).delete()


# --- Measuring --------------------------------------------------------------------------
def percentile(ordered: list[float], p: float) -> float | None:
    """Nearest rank."""
    if not ordered:
        return None
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 1)


def fire(jobs: list[Callable[[], None]], *, concurrency: int) -> tuple[list[float], int, float]:
    """Run ``jobs`` from ``concurrency`` threads, all at once. Each thread opens its
    database connection before the clock starts and closes it at the end. Returns the
    latencies (ms) of the jobs that succeeded, the number that failed, and the wall time."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    gate = threading.Barrier(concurrency + 1)

    def open_connection() -> None:
        connection.ensure_connection()
        gate.wait()

    def close_connection() -> None:
        connection.close()
        gate.wait()

    def timed(job) -> None:
        start = time.perf_counter()
        try:
            job()
        except Exception as error:
            with lock:
                failures[0] += 1
            say(f"error: {type(error).__name__}: {error}")
            return
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies.append(elapsed)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        # The barrier holds every thread until all have one: one task per thread.
        for _ in range(concurrency):
            pool.submit(open_connection)
        gate.wait()
        started = time.perf_counter()
        futures = [pool.submit(timed, job) for job in jobs]
        for future in futures:
            future.result()
        wall = time.perf_counter() - started
        closing = [pool.submit(close_connection) for _ in range(concurrency)]
        gate.wait()
        for future in closing:
            future.result()
    return sorted(latencies), failures[0], wall


def result_line(mode: str, burst: Burst, latencies: list[float], wall: float) -> str:
    confirmed, waitlisted = burst.figures()
    figures = {
        "mode": mode,
        "n": burst.n,
        "seats": burst.seats,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "oversold": max(0, confirmed - burst.seats),
        "registrations_per_second": round(len(latencies) / wall, 1) if wall else None,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
    }
    assert tuple(figures) == KEYS
    return json.dumps(figures)


# --- Modes ------------------------------------------------------------------------------
def run_service(burst: Burst, *, concurrency: int) -> str:
    category = burst.category

    def job(user):
        return lambda: services.register(user=user, category=category)

    latencies, failures, wall = fire([job(user) for user in burst.users], concurrency=concurrency)
    if failures:
        say(f"service: {failures} of {burst.n} registrations failed")
    return result_line("service", burst, latencies, wall)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        environment = {
            **os.environ,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": str(ROOT),
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with open(self.log_path, "wb") as log_file:
            self.process = subprocess.Popen(
                [str(gunicorn), "conference.wsgi", "-w", "2", "-b", f"127.0.0.1:{self.port}",
                 "--access-logfile", "-", "--log-level", "warning"],
                cwd=ROOT, env=environment, stdout=log_file, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log_tail()}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    say(f"http: gunicorn with 2 workers on 127.0.0.1:{self.port}")
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def request(self, method: str, path: str, *, body: str = "", headers: dict | None = None):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            client.request(method, path, body=body.encode(), headers={"Host": "127.0.0.1", **(headers or {})})
            response = client.getresponse()
            return response.status, response.getheader("Location"), response.read()
        finally:
            client.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def csrf_token() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def run_http(burst: Burst, *, concurrency: int, server: Gunicorn) -> str:
    burst.log_in_everyone()
    path = f"/en/{burst.slug}/register/{burst.category.slug}/"
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def job(session_key: str):
        def post() -> None:
            token = csrf_token()
            # What a browser sends for a category without questions: only the token
            # (a form bound to an empty POST would count as not submitted).
            form = f"csrfmiddlewaretoken={token}"
            status, _location, body = server.request(
                "POST", path, body=form,
                headers={
                    "Cookie": f"sessionid={session_key}; csrftoken={token}",
                    "X-CSRFToken": token,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status != 302:
                raise RuntimeError(f"HTTP {status} for {path}: {body[:200]!r}")

        return post

    latencies, failures, wall = fire([job(key) for key in burst.session_keys], concurrency=concurrency)
    say(f"http: responses by status {json.dumps(statuses, sort_keys=True)}")
    if failures:
        say(f"http: {failures} of {burst.n} requests failed; the end of gunicorn's log:")
        say(server.log_tail(10))
    return result_line("http", burst, latencies, wall)


# --- Main -------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="registrations fired (default 300)")
    parser.add_argument("--seats", type=int, default=100, help="seats in the category (default 100)")
    parser.add_argument("--mode", choices=["service", "http", "both"], default="both")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads (default 16)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        say(f"note: DATABASE_URL is {connection.vendor}, not PostgreSQL; the figures mean little")
    call_command("migrate", verbosity=0)
    modes = ["service", "http"] if args.mode == "both" else [args.mode]
    bursts: list[Burst] = []
    server: Gunicorn | None = None
    work = Path(tempfile.mkdtemp(prefix="tadamun-bench-"))
    try:
        for mode in modes:
            burst = Burst(n=args.n, seats=args.seats)
            bursts.append(burst)
            burst.create()
            connection.close()  # no connection of ours idles through the burst
            if mode == "service":
                line = run_service(burst, concurrency=args.concurrency)
            else:
                if server is None:
                    server = Gunicorn(work / "gunicorn.log")
                    server.start()
                line = run_http(burst, concurrency=args.concurrency, server=server)
            print(line, flush=True)
    finally:
        if server is not None:
            server.stop()
        for burst in bursts:
            try:
                burst.delete()
            except Exception as error:
                say(f"clean-up of edition {burst.slug} failed: {type(error).__name__}: {error}")
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(MAIL_DIR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
