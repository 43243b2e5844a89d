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
