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

# The SCIM server, pushed to as an identity provider would: start `rosterd serve` on a free
# loopback port, create (or find) a user and a group with curl, list them, stop it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp)
"$rosterd" serve --listen "127.0.0.1:$port" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q '"listening"' "$log" && break; sleep 0.1; done
scim="http://127.0.0.1:$port/scim/v2"
auth=(-H "Authorization: Bearer demo-token" -H "Content-Type: application/scim+json")
echo "== SCIM: an identity provider pushes a user and a group to $scim"
found=$(curl -s "${auth[@]}" "$scim/Users?filter=userName+eq+%22gina%40acme.example%22")
if [[ "$found" == *'"totalResults":0'* ]]; then
  user=$(curl -s "${auth[@]}" -X POST "$scim/Users" -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"gina@acme.example",
    "name":{"givenName":"Gina","familyName":"Roux"},"emails":[{"value":"gina@acme.example","type":"work","primary":true}],
    "title":"Recruiting Manager","active":true,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Talent"}}')
  id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$user")
  curl -s "${auth[@]}" -X POST "$scim/Groups" \
    -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Recruiting","members":[{"value":"'"$id"'"}]}' >/dev/null
fi
curl -s "${auth[@]}" "$scim/Users?attributes=userName,title,active" | python3 -m json.tool
curl -s "${auth[@]}" "$scim/Groups" | python3 -m json.tool
kill -TERM "$server"
wait "$server" || true
trap - EXIT
rm -f "$log"

# The rules (examples/demo.yaml) turn the pushed identities into accounts: serve's
# reconciler does it a second after the writes; here the same steps are shown by hand.
echo "== explain: why gina gets what she gets"
"$rosterd" explain gina@acme.example
echo "== plan: what the next apply would do"
"$rosterd" plan || true
echo "== sync --once: plan and apply unless blocked"
"$rosterd" sync --once || true

echo "== accounts"
"$rosterd" accounts list --space acme
echo "== licences"
"$rosterd" licences
echo "== audit (last 10 events)"
"$rosterd" audit --limit 10
echo "== audit verify"
"$rosterd" audit verify

# The directory half: a private slapd (examples/demo-directory.ldif, on a free loopback
# port, in a temporary folder) read by the `corp-ldap` source of examples/demo-ldap.yaml.
echo "== a directory source: LDAP people and groups become accounts of the space 'globex'"
ldap_dir=$(mktemp -d)
stop_slapd() {
  [ -f "$ldap_dir/slapd.pid" ] && kill "$(cat "$ldap_dir/slapd.pid")" 2>/dev/null || true
  rm -rf "$ldap_dir"
}
trap stop_slapd EXIT
mkdir -p "$ldap_dir/db" var
cat > "$ldap_dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload syncprov
pidfile $ldap_dir/slapd.pid
argsfile $ldap_dir/slapd.args
database mdb
suffix "dc=globex,dc=example"
rootdn "cn=admin,dc=globex,dc=example"
rootpw demo-admin-secret
directory $ldap_dir/db
index objectClass,entryUUID,entryCSN eq
overlay memberof
overlay syncprov
CONF
slapadd -q -f "$ldap_dir/slapd.conf" -l examples/demo-directory.ldif
ldap_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
ldap_url="ldap://127.0.0.1:$ldap_port/"
/usr/sbin/slapd -f "$ldap_dir/slapd.conf" -h "$ldap_url"
for _ in $(seq 1 100); do ldapsearch -x -H "$ldap_url" -b "" -s base 1.1 >/dev/null 2>&1 && break; sleep 0.1; done
echo "demo-directory-secret" > "$ldap_dir/password"
sed -e "s|@URL@|$ldap_url|" -e "s|@PASSWORD_FILE@|$ldap_dir/password|" examples/demo-ldap.yaml > var/demo-ldap.yaml
ldap_config=var/demo-ldap.yaml
# The directory is loaded afresh each run (new entryUUIDs), so its store starts afresh too.
rm -f var/demo-ldap.db var/demo-ldap.db-wal var/demo-ldap.db-shm
"$rosterd" check-config "$ldap_config"
echo "== sync --once: read the directory, plan, apply"
"$rosterd" --config "$ldap_config" sync --once || true
echo "== explain: lena is a recruiter in the directory, but a contractor"
"$rosterd" --config "$ldap_config" explain lena@globex.example
echo "== Jade gets a new title in the directory; the next sync reads only that change"
ldapmodify -x -H "$ldap_url" -D cn=admin,dc=globex,dc=example -w demo-admin-secret >/dev/null <<LDIF
dn: uid=jade,ou=people,dc=globex,dc=example
changetype: modify
replace: title
title: Senior Sourcer
LDIF
"$rosterd" --config "$ldap_config" sync --once || true
echo "== accounts of globex"
"$rosterd" --config "$ldap_config" accounts list --space globex
