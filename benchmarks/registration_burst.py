"""A burst of registrations for a few seats: throughput, latency, and no overselling.

Run from the repository root against PostgreSQL:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/registration_burst.py \
        [--n 300] [--seats 100] [--mode service|http|both] [--concurrency 2] [--processes 2]

Prints one JSON line per mode (service first) with exactly these keys, in this order:
mode, n, seats, confirmed, waitlisted, oversold, registrations_per_second, p50_ms,
p95_ms, p99_ms. Everything else (errors, checks, gunicorn's address) goes to stderr.

Each mode gets its own edition (``bench-<random>-2099``, open), a category of ``--seats``
seats without approval, and ``--n`` delegates with a profile, all made beforehand by
this process; then ``--n`` registrations are fired at once:

- service: one ``registrations.services.register(user=..., category=...)`` call per
  delegate, from ``--processes`` Python processes (default 2, the cores of the
  development machine) of ceil(``--concurrency`` / ``--processes``) threads each, as
  production serves requests from several processes. The processes are started with
  the "spawn" method (nothing is forked from a process holding database connections);
  each sets Django up, loads its share of the delegates, has every thread open its
  database connection, and then waits on a shared barrier. The clock runs from the
  barrier's release to the last process reporting its timings; each call is timed in
  the process that made it.
- http: POST /en/<edition>/register/<category>/ to ``gunicorn conference.wsgi -w 2``
  started here on a free port, from ``--concurrency`` client threads in this process,
  each delegate logged in by a session made directly in the database; a success is a
  302, anything else an error (printed to stderr). The latency is the client's,
  queueing in gunicorn's backlog included. gunicorn gets ``conn_max_age=60`` in its
  DATABASE_URL (unless the URL sets it), so its workers keep their database
  connections between requests, as a production set-up should.

E-mail as in production: a registration renders its e-mail, stores it in the outbox
(an OutgoingEmail row) and, once the transaction commits, queues the send task; the
SMTP send is the Celery worker's job, later, and is not measured. To that end the
benchmark sets CELERY_TASK_ALWAYS_EAGER=0 for itself, its processes and gunicorn, so
``.delay()`` publishes a message instead of sending in-process. Without REDIS_URL the
broker is Celery's in-memory transport (``memory://``, the settings' default): the
messages stay in each process's memory and are dropped when it ends, no broker or
worker needed. With REDIS_URL they go to that Redis, as in production; run no worker
on it, or it finds the rows gone. EMAIL_URL is overridden with a temporary directory
all the same, so nothing can reach a mailbox or stdout. After each mode the outbox
rows are counted: one per successful registration is expected.

``confirmed``/``waitlisted`` are counted in the database afterwards; ``oversold`` is
max(0, confirmed - seats); ``registrations_per_second`` is successful registrations over
the wall time of the burst. The checks (every call succeeded, confirmed == seats,
waitlisted == n - seats, one e-mail per registration) are reported on stderr, and a
failed check makes the exit status 1 after every mode has run. Runs with DEBUG=1 unless
DEBUG is set (the development profile: no production keys needed); ALLOWED_HOSTS is set
for gunicorn. The benchmark's editions, users, sessions and e-mails are deleted at the
end, also after an error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import math
import multiprocessing
import os
import queue
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
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
os.environ.setdefault("DEBUG", "1")
# Spawned processes import this module again and inherit the environment: they reuse
# the first process's mail directory instead of making their own.
if "TADAMUN_BENCH_MAIL_DIR" not in os.environ:
    os.environ["TADAMUN_BENCH_MAIL_DIR"] = tempfile.mkdtemp(prefix="tadamun-bench-mail-")
MAIL_DIR = os.environ["TADAMUN_BENCH_MAIL_DIR"]
os.environ["EMAIL_URL"] = f"file://{MAIL_DIR}"
# Queue the send task as production does, never send in-process (see the docstring).
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
from importlib import import_module  # noqa: E402

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from conference.celery import app as celery_app  # noqa: E402
from conference.models import Conference, Governorate, OutgoingEmail, User  # noqa: E402
from registrations import services  # noqa: E402
from registrations.models import Category, Registration  # noqa: E402

if celery_app.conf.task_always_eager:
    raise SystemExit("Celery still runs tasks eagerly; the benchmark would time the SMTP send")
# The in-memory transport has no host and says so once per new broker connection.
logging.getLogger("kombu.connection").setLevel(logging.ERROR)

KEYS = (
    "mode", "n", "seats", "confirmed", "waitlisted", "oversold",
    "registrations_per_second", "p50_ms", "p95_ms", "p99_ms",
)
BACKEND = "django.contrib.auth.backends.ModelBackend"
# How long the service processes may take to set up before the burst is given up.
START_TIMEOUT = 180


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
        # Set-up mails nobody (a profile is saved silently); say so if that changes,
        # as the count of e-mails per registration would be off.
        if self.emails():
            say(f"note: setting up the delegates stored {self.emails()} e-mails")

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

    def emails(self) -> int:
        return OutgoingEmail.objects.filter(to__startswith=self.email_prefix).count()

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


def fire(
    jobs: list[Callable[[], None]], *, concurrency: int, release: Callable[[], None] | None = None
) -> tuple[list[float], int, float]:
    """Run ``jobs`` from ``concurrency`` threads, all at once. Each thread opens its
    database connection before the clock starts and closes it at the end; ``release``,
    if given, is called once they all have one, and the clock starts when it returns.
    Returns the latencies (ms) of the jobs that succeeded, sorted, the number that
    failed, and the wall time (s)."""
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
        if release is not None:
            release()
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


def check(mode: str, burst: Burst, *, succeeded: int) -> bool:
    """The outcome every burst must have; each problem is said on stderr."""
    confirmed, waitlisted = burst.figures()
    emails = burst.emails()
    expected_confirmed = min(burst.seats, burst.n)
    problems = []
    if succeeded != burst.n:
        problems.append(f"{burst.n - succeeded} of {burst.n} registrations failed")
    if confirmed > burst.seats:
        problems.append(f"OVERSOLD: {confirmed} confirmed for {burst.seats} seats")
    elif confirmed != expected_confirmed:
        problems.append(f"{confirmed} confirmed, expected {expected_confirmed}")
    if waitlisted != burst.n - expected_confirmed:
        problems.append(f"{waitlisted} waitlisted, expected {burst.n - expected_confirmed}")
    if emails != succeeded:
        problems.append(f"{emails} e-mails in the outbox for {succeeded} registrations")
    for problem in problems:
        say(f"{mode}: CHECK FAILED: {problem}")
    if not problems:
        say(f"{mode}: checks passed: {confirmed} confirmed, {waitlisted} waitlisted, "
            f"{emails} e-mails stored in the outbox (one per registration; sending is the worker's job)")
    return not problems


# --- Service mode -----------------------------------------------------------------------
def warm_up() -> None:
    """Do what a web process that has served a few requests has done already, so that
    the burst does not time a cold start: import the URLconf (a register reverses a
    URL for its e-mail, and the first reverse imports every URL module, allauth's and
    fido2's included: some 0.4 s; the URL patterns are then compiled once per
    language), compile the e-mail's templates in every language, and set up Celery's
    routing and producer with its broker connection. No data is touched."""
    from django.urls import reverse

    from conference.mail import render_email
    from conference.tasks import send_outgoing_email

    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            reverse("registration_status", kwargs={"edition": "warm-up-2099"})
        render_email("registration_status", {"status": Registration.Status.CONFIRMED}, language)
    celery_app.finalize(auto=True)
    celery_app.amqp.router.route({}, send_outgoing_email.name)
    with celery_app.producer_or_acquire() as producer:
        producer.connection.ensure_connection()


def service_process(index: int, user_ids: list[int], category_id: int, threads: int,
                    start, results) -> None:
    """One process of the service burst, run in a spawned child, which has imported
    this module and so set Django up. Reports ``(index, latencies, failures, error)``."""
    try:
        category = Category.objects.select_related("conference").get(pk=category_id)
        users = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
        connection.close()  # the threads open their own
        warm_up()

        def job(user):
            return lambda: services.register(user=user, category=category)

        def release() -> None:
            start.wait(timeout=START_TIMEOUT)

        latencies, failures, _wall = fire([job(user) for user in users], concurrency=threads, release=release)
    except BaseException as error:
        start.abort()  # nobody waits for a process that will not come
        results.put((index, [], 0, f"{type(error).__name__}: {error}"))
        raise
    results.put((index, latencies, failures, None))


def run_service(burst: Burst, *, concurrency: int, processes: int) -> tuple[str, int]:
    context = multiprocessing.get_context("spawn")
    ids = [user.pk for user in burst.users]
    shares = [share for share in (ids[i::processes] for i in range(processes)) if share]
    threads = math.ceil(concurrency / processes)
    start = context.Barrier(len(shares) + 1)
    results = context.Queue()
    children = [
        context.Process(
            target=service_process, name=f"burst-{i}",
            args=(i, share, burst.category.pk, threads, start, results),
        )
        for i, share in enumerate(shares)
    ]
    say(f"service: {len(children)} processes of {threads} threads")
    for child in children:
        child.start()
    latencies: list[float] = []
    failures = 0
    errors: list[str] = []
    try:
        try:
            start.wait(timeout=START_TIMEOUT)
        except threading.BrokenBarrierError:
            errors.append("a process failed or timed out before the burst")
        started = time.perf_counter()
        finished = started
        waiting = len(children)
        while waiting:
            try:
                _index, got, failed, error = results.get(timeout=1)
            except queue.Empty:
                if all(child.exitcode not in (None, 0) or not child.is_alive() for child in children):
                    errors.append("the processes ended without reporting all their timings")
                    break
                continue
            finished = time.perf_counter()
            waiting -= 1
            latencies.extend(got)
            failures += failed
            if error:
                errors.append(error)
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.terminate()
                child.join()
    if errors:
        raise RuntimeError("service: " + "; ".join(errors))
    if failures:
        say(f"service: {failures} of {burst.n} registrations failed")
    latencies.sort()
    return result_line("service", burst, latencies, finished - started), len(latencies)


# --- HTTP mode --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_persistent_connections(url: str, seconds: int = 60) -> str:
    """DATABASE_URL with ``conn_max_age`` (read by conference/env.py), unless it has one
    or is not PostgreSQL."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if parts.scheme.lower() not in {"postgres", "postgresql", "pgsql"} or any(
        key == "conn_max_age" for key, _value in query
    ):
        return url
    return urlunsplit(parts._replace(query=urlencode([*query, ("conn_max_age", str(seconds))])))


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
        if environment.get("DATABASE_URL"):
            environment["DATABASE_URL"] = with_persistent_connections(environment["DATABASE_URL"])
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


def run_http(burst: Burst, *, concurrency: int, server: Gunicorn) -> tuple[str, int]:
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
    return result_line("http", burst, latencies, wall), len(latencies)


# --- Main -------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="registrations fired (default 300)")
    parser.add_argument("--seats", type=int, default=100, help="seats in the category (default 100)")
    parser.add_argument("--mode", choices=["service", "http", "both"], default="both")
    # One call in flight per process by default: like a sync gunicorn worker, a process
    # serves one registration at a time; more threads only queue behind the GIL and
    # stretch the category lock (measured: 2 in flight ~110/s, 8 in flight ~75/s).
    parser.add_argument("--concurrency", type=int, default=2,
                        help="calls in flight at once, over all processes (default 2)")
    parser.add_argument("--processes", type=int, default=2,
                        help="service mode: processes sharing the burst (default 2, the cores)")
    args = parser.parse_args()
    if args.n < 1 or args.seats < 0 or args.concurrency < 1 or args.processes < 1:
        parser.error("--n, --concurrency and --processes must be at least 1, --seats at least 0")
    if connection.vendor != "postgresql":
        say(f"note: DATABASE_URL is {connection.vendor}, not PostgreSQL; the figures mean little")
    say(f"e-mail: rendered and stored, the send task queued on {celery_app.conf.broker_url.split('://')[0]}://"
        " (not sent: that is the worker's job)")
    call_command("migrate", verbosity=0)
    modes = ["service", "http"] if args.mode == "both" else [args.mode]
    bursts: list[Burst] = []
    server: Gunicorn | None = None
    work = Path(tempfile.mkdtemp(prefix="tadamun-bench-"))
    passed = True
    try:
        for mode in modes:
            burst = Burst(n=args.n, seats=args.seats)
            bursts.append(burst)
            burst.create()
            connection.close()  # no connection of ours idles through the burst
            if mode == "service":
                line, succeeded = run_service(burst, concurrency=args.concurrency, processes=args.processes)
            else:
                if server is None:
                    server = Gunicorn(work / "gunicorn.log")
                    server.start()
                line, succeeded = run_http(burst, concurrency=args.concurrency, server=server)
            print(line, flush=True)
            passed = check(mode, burst, succeeded=succeeded) and passed
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
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
