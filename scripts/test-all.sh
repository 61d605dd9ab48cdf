#!/usr/bin/env bash
# The whole suite, twice: on SQLite (the embedded default), then on a throwaway
# PostgreSQL 15 cluster with Redis. Services started here are stopped on exit, also
# when a test fails or the run is interrupted.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
PG_BIN=/usr/lib/postgresql/15/bin
# Free ports chosen now, so a service left over from an earlier run cannot collide.
# Both sockets are held open together, so the two ports always differ.
read -r FREE_A FREE_B < <("$PY" -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
PG_PORT=${TADAMUN_TEST_PG_PORT:-$FREE_A}
REDIS_PORT=${TADAMUN_TEST_REDIS_PORT:-$FREE_B}
WORK=$(mktemp -d /tmp/tadamun-test.XXXXXX)
chmod 755 "$WORK"
export DJANGO_ALLOW_ASYNC_UNSAFE=true

# PostgreSQL refuses to run as root: use the postgres account if Debian made one,
# else a dedicated unprivileged one.
if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    id "$PG_USER" >/dev/null 2>&1 || PG_USER=tadamun-ci
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
    as_pg() { "$@"; }
fi

cleanup() {
    if [ -f "$WORK/pg/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    if [ -f "$WORK/redis.pid" ]; then
        kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

status=0

echo "== pytest on SQLite =="
(
    export DATABASE_URL="sqlite:///$WORK/sqlite.db" TADAMUN_TEST_BACKEND=sqlite
    unset REDIS_URL
    "$PY" -m pytest -q "$@"
) || status=1

echo "== starting PostgreSQL 15 and Redis =="
mkdir -p "$WORK/pg" "$WORK/sock"
chown "${PG_USER:-$(id -un)}" "$WORK/pg" "$WORK/sock" 2>/dev/null || true
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
    || { echo "initdb failed"; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/sock/pg.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PG_PORT -k $WORK/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null || { cat "$WORK/sock/pg.log"; exit 1; }
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
    --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK" \
    || { echo "redis-server failed"; exit 1; }
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "== pytest on PostgreSQL + Redis =="
(
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/tadamun"
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    export TADAMUN_TEST_BACKEND=postgres
    "$PY" -m pytest -q "$@"
) || status=1

if [ "$status" = 0 ]; then echo "== both runs passed =="; else echo "== a run FAILED =="; fi
exit $status
