#!/usr/bin/env bash
# What CI runs: installs what is missing, builds, and runs every test (unit and
# integration; the integration tests start their own slapd and PostgreSQL).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/deps.sh

build=${ROSTERD_BUILD_DIR:-build}
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi
jobs=${ROSTERD_JOBS:-2}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROSTERD_WERROR="$werror"
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure -j "$jobs" --timeout 600

# Fuzz the SCIM filter and PATCH-path parsers for 60 s each when clang's libFuzzer is
# here (scripts/deps.sh installs it). A separate build tree: the fuzz build instruments
# the libraries it tests. Any crash or failed check fails the run.
cd "$root"
if command -v clang++ >/dev/null 2>&1 && [ "${ROSTERD_SKIP_FUZZ:-}" != "1" ]; then
  fuzz_build=${ROSTERD_FUZZ_BUILD_DIR:-build-fuzz}
  CC=clang CXX=clang++ cmake -S . -B "$fuzz_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DROSTERD_FUZZ=ON -DROSTERD_TESTS=OFF -DROSTERD_BENCH=OFF >/dev/null
  cmake --build "$fuzz_build" -j "$jobs" --target filter_fuzz patch_path_fuzz
  for target in filter_fuzz patch_path_fuzz; do
    corpus=$(mktemp -d)
    cp tests/fuzz/corpus/filter/* "$corpus"/ 2>/dev/null || true
    echo "fuzzing $target for 60 s"
    "$fuzz_build/tests/fuzz/$target" -dict=tests/fuzz/filter.dict -max_total_time=60 \
      -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
    rm -rf "$corpus"
  done
  echo "fuzzing: no crash, no failed check"
fi
