#!/usr/bin/env bash
# The SCIM benchmark (issue: SCIM server): 100,000 users and 1,000 groups (one with
# 50,000 members) seeded into a fresh store, `rosterd serve` on loopback, then wrk
# -t1 -c16 for 10 s per scenario; in the same run the minimal Beast server answering a
# fixed 200 is measured the same way (the ceiling of this machine). Prints a Markdown
# table for bench/RESULTS.md.
#   bash bench/scim/run_scim_bench.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
seconds=${2:-10}
here="$root/bench/scim"
dir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

token=bench-token
digest=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
port=$(free_port)
cat >"$dir/rosterd.yaml" <<YAML
store: sqlite:$dir/bench.db
listen:
  scim: 127.0.0.1:$port
spaces:
  bench:
    licences: {recruiter: 200000}
sources:
  - id: bench
    kind: scim
    space: bench
    tokens: ["sha256:$digest"]
YAML

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
/usr/bin/time -f "seed: %e s, peak RSS %M KiB" "$build/bench/seed_identities" --db "$dir/bench.db" --source bench \
  --users 100000 --groups 1000 --big-group 50000 >&2

"$build/daemon/rosterd" serve --config "$dir/rosterd.yaml" 2>"$dir/serve.log" &
server=$!
pids+=("$server")
wait_port "$port"

export ROSTERD_BENCH_DIR="$here" ROSTERD_BENCH_TOKEN="$token" ROSTERD_BENCH_USERS=100000
# "| scenario | req/s | p50 | p99 |" from one wrk run.
measure() {
  local name=$1 script=$2 target=$3 connections=${4:-16}
  local out
  out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$script" "$target")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  echo "| $name | -c$connections | $rps | $p50 | $p99 | ${errors:-0} |"
}

# Steady state, not a cold start: 3 s of look-ups first (not recorded) so that SQLite's
# page caches and the operating system's hold what a running daemon would.
wrk -t1 -c16 -d3s -s "$here/get_user.lua" "http://127.0.0.1:$port" >/dev/null
wrk -t1 -c16 -d3s -s "$here/filter_user.lua" "http://127.0.0.1:$port" >/dev/null

echo "| scenario | connections | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
base="http://127.0.0.1:$port"
measure "GET /Users/{id}" "$here/get_user.lua" "$base"
measure "GET /Users?filter=userName eq" "$here/filter_user.lua" "$base"
measure "GET /Users page of 100" "$here/page_users.lua" "$base"
measure "POST /Users" "$here/post_user.lua" "$base"
measure "PATCH /Users/{id} active" "$here/patch_active.lua" "$base"
measure "PATCH /Groups/{id} add 1 member (50,000-member group)" "$here/patch_member.lua" "$base"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
kill -TERM "$server"
wait "$server" || true
pids=()

ref_port=$(free_port)
"$build/bench/minimal_beast_server" "$ref_port" 2 >/dev/null 2>&1 &
pids+=("$!")
wait_port "$ref_port"
wrk -t1 -c16 -d3s -s "$here/fixed.lua" "http://127.0.0.1:$ref_port" >/dev/null  # the same warm-up
measure "reference: minimal Beast server, fixed 200" "$here/fixed.lua" "http://127.0.0.1:$ref_port"
measure "reference: minimal Beast server, fixed 200" "$here/fixed.lua" "http://127.0.0.1:$ref_port" 32
echo
echo "rosterd serve peak RSS: $((rss / 1024)) MiB"
