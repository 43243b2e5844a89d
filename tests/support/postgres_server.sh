#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the tests (tests/support/postgres_fixture.h).
#
#   postgres_server.sh start STATE_DIR [WATCH_PID]   start one; write STATE_DIR/server.env
#   postgres_server.sh stop STATE_DIR [DATA_DIR]     stop it and remove its data (only if
#                                                    it is still the server of DATA_DIR)
#
# ctest runs `start` once before the tests that need PostgreSQL and `stop` after them
# (FIXTURES_SETUP / FIXTURES_CLEANUP in tests/CMakeLists.txt); a test binary run by hand
# runs it for a private server. The server stops by itself when WATCH_PID (default: the
# caller, i.e. ctest) exits, so a run that is killed leaves no server behind.
#
# server.env holds either host/port/user/password/... or `unavailable=<why>` when this
# machine cannot run one (no binaries; root without a postgres user): the tests then skip
# with that reason. The password travels in the file only (mode 600).
#
# The server: 127.0.0.1 on a free port, its socket in its own directory, fsync off, and
# an ICU en-US default collation ('a' < 'B' < 'c'), so a query that depends on the
# database's collation instead of byte order (COLLATE "C") fails here as it would on a
# production database created with en_US.UTF-8.
set -euo pipefail

bin=${ROSTERD_PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?start or stop}
state=${2:?state directory}
env_file=$state/server.env

# Runs a server program as the postgres user when we are root (PostgreSQL refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

value() { [ -f "$env_file" ] && sed -n "s/^$1=//p" "$env_file" | head -n1 || true; }

stop() {
  local data
  data=$(value data_dir)
  if [ -n "${1:-}" ] && [ "$data" != "$1" ]; then return; fi  # a newer server: not ours
  if [ -n "$data" ] && [ -d "$data" ]; then
    as_owner "$bin/pg_ctl" -D "$data/cluster" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$data"
  fi
  rm -f "$env_file"
  rmdir "$state" 2>/dev/null || true  # a private server's state directory, now empty
}

unavailable() {
  echo "unavailable=$1" >"$env_file"
  echo "PostgreSQL fixture unavailable: $1" >&2
  exit 0
}

case "$cmd" in
stop)
  stop "${3:-}"
  exit 0
  ;;
start) ;;
*)
  echo "usage: $0 start|stop STATE_DIR [WATCH_PID]" >&2
  exit 2
  ;;
esac

stop  # a server left by an earlier run that was killed
mkdir -p "$state"
[ -x "$bin/initdb" ] || unavailable "no PostgreSQL binaries in $bin (scripts/deps.sh installs postgresql)"
if [ "$(id -u)" = 0 ] && ! id -u postgres >/dev/null 2>&1; then
  unavailable "running as root and there is no postgres user to run the server as"
fi

data=$(mktemp -d "${TMPDIR:-/tmp}/rosterd-pg-XXXXXX")
chmod 755 "$data"
[ "$(id -u)" = 0 ] && chown postgres: "$data"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
umask 077
printf '%s\n' "$password" >"$data/pwfile"
[ "$(id -u)" = 0 ] && chown postgres: "$data/pwfile"
if ! as_owner "$bin/initdb" -D "$data/cluster" -U postgres --pwfile="$data/pwfile" --no-sync \
  --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
  --locale-provider=icu --icu-locale=en-US >"$data/initdb.log" 2>&1; then
  cat "$data/initdb.log" >&2
  rm -rf "$data"
  unavailable "initdb failed (see the test log)"
fi
rm -f "$data/pwfile"
cat >>"$data/cluster/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 64MB
log_min_messages = warning
EOF

# A free port: a random one, another if the server cannot listen on it.
started=0
for _ in $(seq 1 20); do
  port=$((20000 + RANDOM % 30000))
  if as_owner "$bin/pg_ctl" -D "$data/cluster" -o "-p $port" -l "$data/server.log" -w -t 30 start \
    >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ $started = 0 ]; then
  cat "$data/server.log" >&2 || true
  rm -rf "$data"
  unavailable "the server did not start (see the test log)"
fi

# The database the tests make their schemas in (postgres_fixture.h).
if ! "$bin/createdb" -h "$data" -p "$port" -U postgres rosterd_tests >>"$data/server.log" 2>&1; then
  cat "$data/server.log" >&2 || true
  as_owner "$bin/pg_ctl" -D "$data/cluster" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$data"
  unavailable "cannot create the database rosterd_tests (see the test log)"
fi

cat >"$env_file" <<EOF
host=127.0.0.1
port=$port
user=postgres
password=$password
socket_dir=$data
data_dir=$data
bin=$bin
EOF

# Stops the server when the process that wanted it is gone, however it ended.
watch=${3:-$PPID}
# It ends with the server too (stop removes the data directory).
setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -d "$4" ]; do sleep 1; done; "$2" stop "$3" "$4"' \
  watcher "$watch" "$(readlink -f "$0")" "$state" "$data" </dev/null >/dev/null 2>&1 &
echo "PostgreSQL fixture on 127.0.0.1:$port ($data)"
