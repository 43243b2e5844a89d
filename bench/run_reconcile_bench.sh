#!/usr/bin/env bash
# The mapping issue's benchmark: rules engine + reconcile at 100,000 identities.
#   bash bench/run_reconcile_bench.sh [BUILD_DIR]
# 1. In memory (bench/reconcile_bench.cpp): 100,000 people, 2,000 groups nested 4 deep, 50
#    rules, quotas that bind; from scratch (everything to create) and in steady state (100
#    identities changed). Reference: parsing every identity's JSON once with Boost.JSON,
#    the least any engine that reads the attributes must do.
# 2. End to end through the store: 100,000 SCIM users seeded into SQLite, then
#    `rosterd plan` (read the store, map, reconcile, hash, render and store the plan).
#    Reference: reading the same rows with the sqlite3 shell.
set -euo pipefail
build=${1:-build}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$build/bench/reconcile_bench" --scenario parse
"$build/bench/reconcile_bench" --scenario full
"$build/bench/reconcile_bench" --scenario steady

"$build/bench/seed_identities" --db "$dir/s.db" --source okta --users 100000 --groups 2000 --big-group 50000 >/dev/null
cat > "$dir/c.yaml" <<YAML
store: sqlite:$dir/s.db
spaces:
  bench:
    licences: {recruiter: 45000, manager: 60000, administrator: 10}
    max_destructive: {count: 200000, percent: 100}
sources:
  - {id: okta, kind: scim, space: bench, tokens: ["sha256:0509b2afae9fc3afd4965386a30d12f9c5f044470321650865bfbc62e7f4ce8e"]}
rules:
  - {name: big-group, space: bench, when: {group: "Group 1"}, grant: {role: recruiter, licence: recruiter, team: {from: department}}}
  - {name: talent, space: bench, when: {attribute: {department: Talent}}, grant: {role: collaborator, licence: manager, team: Talent}}
YAML
/usr/bin/time -f "reference: sqlite3 reads the identity rows: %e s, peak RSS %M KiB" \
  sqlite3 "$dir/s.db" "SELECT id, user_name, attributes, emails FROM identities" >/dev/null
/usr/bin/time -f "rosterd plan (100,000 identities, 95,000 creates): %e s, peak RSS %M KiB" \
  "$build/daemon/rosterd" --config "$dir/c.yaml" plan --json >/dev/null
/usr/bin/time -f "rosterd sync --once (plan + apply 95,000 creates): %e s, peak RSS %M KiB" \
  "$build/daemon/rosterd" --config "$dir/c.yaml" sync --once --json >/dev/null
/usr/bin/time -f "rosterd plan again (steady state, nothing to do): %e s, peak RSS %M KiB" \
  "$build/daemon/rosterd" --config "$dir/c.yaml" plan --json >/dev/null
