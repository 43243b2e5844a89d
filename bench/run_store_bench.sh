#!/usr/bin/env bash
# The store baseline (issue: foundation): 100,000 creates through the AccountStore
# interface, 1 and 1,000 per transaction, beside raw SQLite inserts of the same rows.
#   bash bench/run_store_bench.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
bin="$build/bench/store_create_bench"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for per_tx in 1 1000; do
  "$bin" --db "$dir/raw.db" --count 100000 --per-transaction $per_tx --raw
  "$bin" --db "$dir/store.db" --count 100000 --per-transaction $per_tx
done
