"""Playwright drives Debian's Chromium (/usr/bin/chromium): Playwright's own browser
download cannot work on these machines."""

import os
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; the ORM calls made there are
# synchronous and safe, so Django must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def demo_site(live_server):
    """The demo data behind a live server (the test's transaction-less database)."""
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    return live_server.url
