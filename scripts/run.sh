#!/usr/bin/env bash
# The demo: installs what is missing, builds, and runs rosterd on the embedded default
# (a SQLite store under var/, the demo configuration from examples/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/deps.sh
build=${ROSTERD_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j 2 --target rosterd

rosterd="$build/daemon/rosterd"
config=examples/demo.yaml
export ROSTERD_CONFIG="$config"

"$rosterd" check-config "$config"

# Seed the demo space once: an owner, an administrator and a few people, made with the
# same commands an administrator would use.
if [ "$("$rosterd" accounts list --space acme --json)" = "[]" ]; then
  echo "== seeding the demo space 'acme'"
  "$rosterd" accounts create --space acme --email alice@acme.example --given-name Alice \
    --family-name Martin --role owner --licence administrator --team Talent
  "$rosterd" accounts activate alice@acme.example
  "$rosterd" accounts create --space acme --email bob@acme.example --given-name Bob \
    --family-name Durand --role administrator --licence administrator --team Talent
  "$rosterd" accounts create --space acme --email chloe@acme.example --given-name Chloe \
    --family-name Petit --role recruiter --licence recruiter --team Sales --title "Talent Partner"
  "$rosterd" accounts create --space acme --email david@acme.example --given-name David \
    --family-name Moreau --from-template chloe@acme.example
  "$rosterd" accounts create --space acme --email emma@acme.example --given-name Emma \
    --family-name Leroy --role hiring_manager --licence manager --team Engineering
  "$rosterd" accounts suspend emma@acme.example --reason "parental leave"
  "$rosterd" accounts reassign david@acme.example --to-email farid@acme.example \
    --to-given-name Farid --to-family-name Benali --reason "David left the Sales team"
fi

echo "== accounts"
"$rosterd" accounts list --space acme
echo "== licences"
"$rosterd" licences
echo "== audit (last 10 events)"
"$rosterd" audit --limit 10
