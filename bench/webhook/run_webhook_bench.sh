#!/usr/bin/env bash
# The webhook sender (issue 6): outbox throughput for 100,000 queued events against a local
# receiver that answers 200 at once (bench/minimal_beast_server), with references from the
# same run, then the added latency between an apply and its delivery at idle through
# `rosterd serve` and `rosterd accounts create`.
#   bash bench/webhook/run_webhook_bench.sh [BUILD_DIR] [COUNT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
count=${2:-100000}
bench="$build/bench/webhook_bench"
receiver="$build/bench/minimal_beast_server"
rosterd="$build/daemon/rosterd"
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
port=$(free_port)
"$receiver" "$port" 1 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
url="http://127.0.0.1:$port/hooks"

echo "--- throughput: $count queued events"
"$bench" seed --db "$dir/outbox.db" --count "$count"
"$bench" drain --db "$dir/outbox.db" --url "$url" --batch 16
echo "--- references, same receiver"
"$bench" http --url "$url" --count "$count" --batch 16
echo -n "wrk -t1 -c16 -d5s, 650-byte POSTs: "
wrk -t1 -c16 -d5s -s "$root/bench/webhook/post.lua" "$url" | grep -E 'Requests/sec'
start=$(date +%s.%N)
for i in $(seq 200); do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data @- "$url" <<<'{"x":1}'; done
end=$(date +%s.%N)
echo "curl, one process per POST, 200 POSTs: $(python3 -c "print(f'{200/($end-$start):.0f}/s')")"

echo "--- latency at idle: rosterd serve, 20 accounts created one at a time with the CLI"
printf 'whsec_bench\n' >"$dir/secret"
cat >"$dir/rosterd.yaml" <<YAML
store: sqlite:$dir/rosterd.db
spaces:
  bench:
    licences: {recruiter: 100}
    webhook: {url: "$url", secret_file: $dir/secret, allow_http_loopback: true}
YAML
"$rosterd" serve --config "$dir/rosterd.yaml" --listen 127.0.0.1:0 2>"$dir/serve.log" &
pids+=($!)
for _ in $(seq 200); do grep -q '"event":"listening"' "$dir/serve.log" && break; sleep 0.05; done
for i in $(seq 20); do
  "$rosterd" --config "$dir/rosterd.yaml" accounts create --space bench --email "p$i@bench.example" \
    --given-name P --family-name Q --role recruiter --licence recruiter >/dev/null
  sleep "0.$((RANDOM % 5 + 3))"
done
for _ in $(seq 100); do
  [ "$("$rosterd" --config "$dir/rosterd.yaml" outbox list --state pending --json)" = "[]" ] && break; sleep 0.1
done
"$rosterd" --config "$dir/rosterd.yaml" outbox list --json | python3 -c '
import json, sys, datetime, statistics
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
ev = [e for e in json.load(sys.stdin) if e["state"] == "delivered"]
ms = sorted((t(e["last_attempt_at"]) - t(e["created_at"])).total_seconds() * 1000 for e in ev)
print(f"{len(ms)} events delivered; apply -> delivery recorded (ms): median {statistics.median(ms):.0f},"
      f" p90 {ms[int(len(ms)*0.9)-1]:.0f}, max {ms[-1]:.0f}, min {ms[0]:.0f}")'
