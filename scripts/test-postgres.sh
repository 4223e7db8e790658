#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server on loopback for the tests and benchmarks:
#   scripts/test-postgres.sh start   -> prints the DATABASE_URL to use (postgres://postgres@127.0.0.1:PORT/ofsted_test)
#   scripts/test-postgres.sh stop
# Installs Debian's postgresql package when no server binaries are found (CI machines start without one).
# The cluster lives in $PGTEST_DIR (default /tmp/ofsted-alerts-pg), owned by the postgres user, with trust
# authentication on 127.0.0.1 only: it is for tests, never for production.
set -euo pipefail
PORT="${PGTEST_PORT:-54329}"
DIR="${PGTEST_DIR:-/tmp/ofsted-alerts-pg}"
LOG="$DIR.log"

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if ! BIN="$(find_bin)"; then
      echo "test-postgres: no PostgreSQL server found; installing Debian's postgresql package" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      BIN="$(find_bin)"
    fi
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      if [ ! -f "$DIR/PG_VERSION" ]; then
        rm -rf "$DIR"
        mkdir -p "$DIR"
        [ "$(id -u)" = "0" ] && chown postgres "$DIR"
        as_pg "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      fi
      touch "$LOG"; [ "$(id -u)" = "0" ] && chown postgres "$LOG"
      # unix sockets in the data folder, so nothing needs /var/run/postgresql
      as_pg "$BIN/pg_ctl" -D "$DIR" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    fi
    if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='ofsted_test'" | grep -q 1; then
      as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE ofsted_test" >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PORT/ofsted_test"
    ;;
  stop)
    if BIN="$(find_bin)"; then as_pg "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true; fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
