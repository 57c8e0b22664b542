#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: its own temporary data directory, its own port
# (ROSTER_PG_PORT, default 54329), loopback only, trust authentication, run as an unprivileged
# user (as root: the system user `roster-pg`, created when missing).
#
#   scripts/pg-test-cluster.sh start   # prints the URL, e.g. postgres://roster@127.0.0.1:54329/postgres
#   scripts/pg-test-cluster.sh stop    # stops the cluster and removes its data directory
#   scripts/pg-test-cluster.sh url     # prints the URL of the running cluster
#   scripts/pg-test-cluster.sh pause   # stops the server, keeping its data (outage tests)
#   scripts/pg-test-cluster.sh resume  # starts the paused server again
#
# The fsync settings trade durability for speed: the data is thrown away afterwards.
set -euo pipefail

PORT="${ROSTER_PG_PORT:-54329}"
SUPERUSER=roster
STATE="${TMPDIR:-/tmp}/roster-pg-test-${PORT}.datadir"  # holds the data directory's path
RUN_AS=roster-pg

bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)"; do
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return
    fi
  done
  echo "pg-test-cluster: PostgreSQL 15 server binaries not found (apt-get install postgresql-15)" >&2
  exit 1
}

# Runs a command as the unprivileged cluster owner (ourselves unless we are root).
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u "$RUN_AS" -- "$@"
  else
    "$@"
  fi
}

url() { echo "postgres://${SUPERUSER}@127.0.0.1:${PORT}/postgres"; }

running() {
  [[ -f "$STATE" ]] && [[ -d "$(cat "$STATE")" ]] &&
    as_owner "$(bindir)/pg_ctl" -D "$(cat "$STATE")" status >/dev/null 2>&1
}

start() {
  local bin datadir
  bin="$(bindir)"
  if running; then
    url
    return
  fi
  if [[ "$(id -u)" -eq 0 ]] && ! id -u "$RUN_AS" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_AS"
  fi
  datadir="$(mktemp -d "${TMPDIR:-/tmp}/roster-pg-XXXXXX")"
  chmod 700 "$datadir"
  if [[ "$(id -u)" -eq 0 ]]; then chown "$RUN_AS" "$datadir"; fi
  echo "$datadir" >"$STATE"
  as_owner "$bin/initdb" -D "$datadir" -U "$SUPERUSER" --auth=trust --encoding=UTF8 \
    --locale=C >"$datadir.initdb.log" 2>&1 || {
    cat "$datadir.initdb.log" >&2
    exit 1
  }
  # Loopback TCP only; no Unix socket. Trust is acceptable because nothing else can connect.
  cat >"$datadir/pg_hba.conf" <<EOF
host all all 127.0.0.1/32 trust
EOF
  cat >>"$datadir/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = ''
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  if [[ "$(id -u)" -eq 0 ]]; then chown "$RUN_AS" "$datadir/pg_hba.conf" "$datadir/postgresql.conf"; fi
  as_owner "$bin/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 start >/dev/null || {
    cat "$datadir/server.log" >&2 || true
    exit 1
  }
  url
}

stop() {
  local datadir
  [[ -f "$STATE" ]] || return 0
  datadir="$(cat "$STATE")"
  if [[ -d "$datadir" ]]; then
    as_owner "$(bindir)/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$datadir" "$datadir.initdb.log"
  fi
  rm -f "$STATE"
}

# Stops / restarts the server of a started cluster without touching its data.
pause() {
  as_owner "$(bindir)/pg_ctl" -D "$(cat "$STATE")" -m fast -w stop >/dev/null
}
resume() {
  local datadir
  datadir="$(cat "$STATE")"
  as_owner "$(bindir)/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 start >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  pause) pause ;;
  resume) resume ;;
  url) running && url ;;
  *)
    echo "usage: $0 start|stop|url|pause|resume" >&2
    exit 2
    ;;
esac
