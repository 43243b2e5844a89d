#!/usr/bin/env bash
# The SCIM benchmark (issues: SCIM server, PostgreSQL store): 100,000 users and 1,000 groups
# (one with 50,000 members) seeded into a fresh store, `rosterd serve` on loopback, then
# wrk -t1 -c16 for 10 s per scenario; in the same run the minimal Beast server answering a
# fixed 200 is measured the same way (the ceiling of this machine). Prints a Markdown
# table per store for bench/RESULTS.md.
#   [ROSTERD_BENCH_SCENARIOS="get post"] bash bench/scim/run_scim_bench.sh [BUILD_DIR] [SECONDS] [STORES]
# STORES (default "sqlite"): any of
#   sqlite     one instance on a SQLite file
#   postgres   one instance on PostgreSQL (a private server, tests/support/postgres_server.sh,
#              with fsync and synchronous_commit on, as SQLite's synchronous=FULL)
#   postgres2  two instances on that PostgreSQL, the load split between them (two wrk
#              processes, -c8 each; req/s is the sum, p50/p99 the first instance's)
# Each store starts from the same seed (PostgreSQL's copied by `rosterd store migrate`).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
seconds=${2:-10}
stores=${3:-sqlite}
here="$root/bench/scim"
dir=$(mktemp -d)
pids=()
pg_state=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_state" ]; then bench_postgres_stop; fi
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

token=bench-token
digest=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
# config FILE STORE_YAML PORT
config() {
  cat >"$1" <<YAML
store: $2
listen:
  scim: 127.0.0.1:$3
spaces:
  bench:
    licences: {recruiter: 200000}
sources:
  - id: bench
    kind: scim
    space: bench
    tokens: ["sha256:$digest"]
YAML
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
/usr/bin/time -f "seed: %e s, peak RSS %M KiB" "$build/bench/seed_identities" --db "$dir/seed.db" --source bench \
  --users 100000 --groups 1000 --big-group 50000 >&2

export ROSTERD_BENCH_DIR="$here" ROSTERD_BENCH_TOKEN="$token" ROSTERD_BENCH_USERS=100000
# One wrk run: "req/s p50 p99 non-2xx".
wrk_run() {
  local script=$1 target=$2 connections=$3 salt=${4:-a}
  local out
  out=$(ROSTERD_BENCH_SALT=$salt wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$script" "$target")
  local errors
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  echo "$(awk '/^Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "50%" {print $2}' <<<"$out") \
$(awk '$1 == "99%" {print $2}' <<<"$out") ${errors:-0}"
}
# "| scenario | connections | req/s | p50 | p99 | non-2xx |" against every target given
# (one: -c16; two: -c8 each at the same time, req/s and non-2xx summed).
measure() {
  local name=$1 script=$2
  shift 2
  if [ $# = 1 ]; then
    read -r rps p50 p99 errors < <(wrk_run "$script" "$1" "${connections:-16}")
    echo "| $name | -c${connections:-16} | $rps | $p50 | $p99 | $errors |"
    return
  fi
  wrk_run "$script" "$1" 8 a >"$dir/wrk-a" &
  local first=$!
  wrk_run "$script" "$2" 8 b >"$dir/wrk-b"
  wait "$first"
  read -r rps_a p50 p99 errors_a <"$dir/wrk-a"
  read -r rps_b _ _ errors_b <"$dir/wrk-b"
  echo "| $name | -c8 + -c8 | $(python3 -c "print(round($rps_a + $rps_b, 2))") | $p50 | $p99 | $((errors_a + errors_b)) |"
}
# ROSTERD_BENCH_SCENARIOS: which scenarios (default all): get filter page post patch group.
wanted=" ${ROSTERD_BENCH_SCENARIOS:-get filter page post patch group} "
scenario() {
  local key=$1
  shift
  if [[ "$wanted" == *" $key "* ]]; then measure "$@"; fi
}
scenarios() {
  echo "| scenario | connections | req/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|"
  scenario get "GET /Users/{id}" "$here/get_user.lua" "$@"
  scenario filter "GET /Users?filter=userName eq" "$here/filter_user.lua" "$@"
  scenario page "GET /Users page of 100" "$here/page_users.lua" "$@"
  scenario post "POST /Users" "$here/post_user.lua" "$@"
  scenario patch "PATCH /Users/{id} active" "$here/patch_active.lua" "$@"
  scenario group "PATCH /Groups/{id} add 1 member (50,000-member group)" "$here/patch_member.lua" "$@"
}
# Steady state, not a cold start: 3 s of look-ups first (not recorded) so that the
# database's caches and the operating system's hold what a running daemon would.
warm_up() {
  for target in "$@"; do
    wrk -t1 -c16 -d3s -s "$here/get_user.lua" "$target" >/dev/null
    wrk -t1 -c16 -d3s -s "$here/filter_user.lua" "$target" >/dev/null
  done
}

# PostgreSQL (bench/postgres.sh): a fresh database holding a copy of the seed. Prints the
# store's YAML.
# The server is started here, in this shell, so that cleanup() stops it.
. "$root/bench/postgres.sh"
case " $stores " in
*" postgres"*)
  pg_state="$dir/pg"
  bench_postgres_start "$pg_state"
  ;;
esac
postgres_store() {
  local url
  url=$(bench_postgres_database "$1")
  "$build/daemon/rosterd" store migrate --from "sqlite:$dir/seed.db" --to "$url" \
    --to-password-file "$bench_postgres_password_file" >&2
  echo "{url: \"$url\", password_file: $bench_postgres_password_file}"
}

for store in $stores; do
  targets=()
  servers=()
  case "$store" in
  sqlite)
    cp "$dir/seed.db" "$dir/sqlite.db"
    yaml="sqlite:$dir/sqlite.db"
    count=1
    title="one instance, SQLite"
    ;;
  postgres)
    yaml=$(postgres_store bench_one)
    count=1
    title="one instance, PostgreSQL"
    ;;
  postgres2)
    yaml=$(postgres_store bench_two)
    count=2
    title="two instances, one PostgreSQL"
    ;;
  *)
    echo "unknown store '$store' (sqlite, postgres, postgres2)" >&2
    exit 2
    ;;
  esac
  for n in $(seq 1 "$count"); do
    port=$(free_port)
    config "$dir/$store-$n.yaml" "$yaml" "$port"
    "$build/daemon/rosterd" serve --config "$dir/$store-$n.yaml" 2>>"$dir/$store-$n.log" &
    pid=$!
    pids+=("$pid")
    servers+=("$pid")
    wait_port "$port"
    targets+=("http://127.0.0.1:$port")
  done
  warm_up "${targets[@]}"
  echo "### $title"
  echo
  scenarios "${targets[@]}"
  for pid in "${servers[@]}"; do
    echo
    echo "rosterd serve (pid $pid) peak RSS: $(($(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024)) MiB"
    kill -TERM "$pid"
    wait "$pid" || true
  done
  echo
  pids=()
done

ref_port=$(free_port)
"$build/bench/minimal_beast_server" "$ref_port" 2 >/dev/null 2>&1 &
pids+=("$!")
wait_port "$ref_port"
wrk -t1 -c16 -d3s -s "$here/fixed.lua" "http://127.0.0.1:$ref_port" >/dev/null  # the same warm-up
echo "### reference"
echo
echo "| scenario | connections | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
measure "reference: minimal Beast server, fixed 200" "$here/fixed.lua" "http://127.0.0.1:$ref_port"
connections=32 measure "reference: minimal Beast server, fixed 200" "$here/fixed.lua" "http://127.0.0.1:$ref_port"
