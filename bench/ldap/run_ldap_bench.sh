#!/usr/bin/env bash
# The LDAP poller's benchmark (bench/RESULTS.md): a private slapd seeded with 100,000
# people and 1,000 groups (5 of them with 20,000 members), then, in the same run:
#   1. the floor: ldapsearch with paged results reading the same users and groups;
#   2. rosterd sync --once into an empty SQLite store: read, map, plan, apply (95,000
#      account creates);
#   3. the same again with nothing changed (a full read: --full, compared with the store);
#   3b. a scheduled full read (full_every elapsed), nothing changed (not compared: digests);
#   3c. the same in `rosterd serve` (polls every 2 s), where nothing changed plans nothing;
#   4. 100 changes in the directory (50 titles, 25 people added, 25 deleted), then
#      rosterd sync --once: an incremental read (RFC 4533);
#   5. the store's floor for a first sync: its rows copied into an empty SQLite store.
# Times are wall clock (/usr/bin/time), with the peak RSS; rosterd's JSON report splits
# each read into the directory read and the store write.
# STORE: sqlite (default) or postgres (a private PostgreSQL with durable commits,
# bench/postgres.sh).
#   bash bench/ldap/run_ldap_bench.sh [BUILD_DIR] [USERS] [STORE]
# SERVE_POLLS=N: how many polls step 3c waits for (6).
set -euo pipefail
build=${1:-build}
users=${2:-100000}
store_kind=${3:-sqlite}
here=$(cd "$(dirname "$0")" && pwd)
rosterd=$(cd "$build" && pwd)/daemon/rosterd
dir=$(mktemp -d)
. "$here/../postgres.sh"
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  [ -f "$dir/slapd.pid" ] && kill "$(cat "$dir/slapd.pid")" 2>/dev/null || true
  [ "$store_kind" = postgres ] && bench_postgres_stop
  rm -rf "$dir"
}
trap cleanup EXIT
suffix="dc=example,dc=test"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 38911)
url="ldap://127.0.0.1:$port/"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

mkdir -p "$dir/db"
cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload syncprov
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
database mdb
maxsize 4294967296
suffix "$suffix"
rootdn "cn=admin,$suffix"
rootpw admin-secret
directory $dir/db
index objectClass eq
index entryUUID eq
index entryCSN eq
index uid eq
limits * size=unlimited size.prtotal=unlimited
overlay memberof
overlay syncprov
syncprov-sessionlog 1000
CONF
big_size=$(( users / 5 < 20000 ? users / 5 : 20000 ))
bash "$here/make_directory.sh" "$users" 1000 5 "$big_size" > "$dir/directory.ldif"
/usr/bin/time -f "seed: slapadd -q of $users people and 1,000 groups: %e s" \
  slapadd -q -f "$dir/slapd.conf" -l "$dir/directory.ldif"
/usr/sbin/slapd -f "$dir/slapd.conf" -h "$url" -d 0 2>"$dir/slapd.log" &
for _ in $(seq 100); do ldapsearch -x -H "$url" -b "$suffix" -s base 1.1 >/dev/null 2>&1 && break; sleep 0.1; done

search="ldapsearch -x -LLL -H $url -D cn=reader,$suffix -w reader-secret -E pr=1000/noprompt"
/usr/bin/time -f "reference: ldapsearch -E pr=1000 reads the users (dn cn mail uid memberOf): %e s" \
  $search -b "ou=people,$suffix" "(objectClass=inetOrgPerson)" cn mail uid memberOf >/dev/null
/usr/bin/time -f "reference: ldapsearch -E pr=1000 reads the groups (dn cn member): %e s" \
  $search -b "ou=groups,$suffix" "(objectClass=groupOfNames)" cn member >/dev/null

echo "reader-secret" > "$dir/password"
case "$store_kind" in
sqlite)
  store="sqlite:$dir/rosterd.db"
  audit_rows() { sqlite3 "$dir/rosterd.db" "SELECT COUNT(*) FROM audit"; }
  ;;
postgres)
  bench_postgres_start "$dir/pg"
  store="{url: \"$(bench_postgres_database bench)\", password_file: $bench_postgres_password_file}"
  audit_rows() { bench_postgres_sql bench "SELECT COUNT(*) FROM audit"; }
  ;;
*)
  echo "unknown store '$store_kind' (sqlite, postgres)" >&2
  exit 2
  ;;
esac
echo "store: $store_kind"
cat > "$dir/rosterd.yaml" <<YAML
store: $store
spaces:
  bench:
    licences: {recruiter: 60000, manager: 60000, administrator: 10}
    max_destructive: {count: 200000, percent: 100}
sources:
  - id: corp
    kind: ldap
    space: bench
    dialect: openldap
    urls: ["$url"]
    bind_dn: "cn=reader,$suffix"
    bind_password_file: $dir/password
    users: {base: "ou=people,$suffix", filter: "(objectClass=inetOrgPerson)"}
    groups: {base: "ou=groups,$suffix"}
    attributes: {userName: uid, email: mail, givenName: givenName, familyName: sn, title: title,
                 department: departmentNumber, employeeType: employeeType}
rules:
  - {name: contractors, space: bench, when: {attribute: {employeeType: Contractor}}, deny: true}
  - {name: big-groups, space: bench, when: {group: [group-0, group-1, group-2, group-3, group-4]}, grant: {role: recruiter, licence: recruiter, team: {from: department}}}
  - {name: everyone, space: bench, when: {group: "group-*"}, grant: {role: collaborator, licence: manager}}
YAML
# A JSON report's source line, without the problem list.
report() { sed -n 's/.*"sources":\[{\(.*\)"problems".*/\1/p'; }

/usr/bin/time -o "$dir/t1" -f "%e s, peak RSS %M KiB" "$rosterd" --config "$dir/rosterd.yaml" sync --once --json > "$dir/r1"
echo "rosterd sync --once, full, empty store (read, map, plan, apply): $(cat "$dir/t1")"
echo "  $(report < "$dir/r1")"
[ "$store_kind" = postgres ] && bench_postgres_top bench
before=$(audit_rows)
/usr/bin/time -o "$dir/t2" -f "%e s, peak RSS %M KiB" "$rosterd" --config "$dir/rosterd.yaml" sync --once --full --json > "$dir/r2"
echo "rosterd sync --once --full, nothing changed: $(cat "$dir/t2"); audit rows written: $(( $(audit_rows) - before ))"
echo "  $(report < "$dir/r2")"

# 3b. The full read `serve` makes every `full_every` (here 1 s, then waited for), nothing
# changed: its digests are the last full read's, so it is not compared with the store.
sed 's/^    groups: {base:/    full_every: 1s\n    groups: {base:/' "$dir/rosterd.yaml" > "$dir/scheduled.yaml"
sleep 1.1
/usr/bin/time -o "$dir/t2b" -f "%e s, peak RSS %M KiB" "$rosterd" --config "$dir/scheduled.yaml" sync --once --json > "$dir/r2b"
echo "rosterd sync --once, a scheduled full read, nothing changed: $(cat "$dir/t2b")"
echo "  $(report < "$dir/r2b")"

# 3c. The same in `rosterd serve`, as systemd runs it: every poll a full read (full_every
# 1 s, interval 2 s), nothing changed. The reconciler plans a space when a change queued
# it (or at start, or at a delete_after_days deadline), so these polls plan nothing: what
# they cost is the poll itself, from its log line. The start's plan of every space runs
# beside the first poll, and what it frees may still be returned during the second: both
# are left out.
serve_polls=${SERVE_POLLS:-6}  # more, to watch serve's memory over many polls
sed 's/^    full_every: 1s/    full_every: 1s\n    interval: 2s/' "$dir/scheduled.yaml" > "$dir/serve.yaml"
before=$(audit_rows)
"$rosterd" --config "$dir/serve.yaml" serve --listen 127.0.0.1:0 2> "$dir/serve.log" &
serve_pid=$!
polls() { grep -c '"event":"source_read"' "$dir/serve.log" || true; }
rss_after() { sed -n 's/^VmRSS:[[:space:]]*//p' "/proc/$serve_pid/status" 2>/dev/null || echo "?"; }
for _ in $(seq 1200); do [ "$(polls)" -ge 3 ] && break; sleep 0.1; done
rss_3=$(rss_after)
for _ in $(seq $(( 30 * serve_polls ))); do [ "$(polls)" -ge "$serve_polls" ] && break; sleep 0.1; done
rss_n=$(rss_after)
hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$serve_pid/status" 2>/dev/null || echo "?")
kill -TERM "$serve_pid" 2>/dev/null || true
wait "$serve_pid" || true
serve_pid=""
echo "rosterd serve, scheduled full reads, nothing changed (polls 3 to $serve_polls, from the log):"
[ "$(polls)" -ge "$serve_polls" ] || echo "  only $(polls) polls were logged; the log: $dir/serve.log" >&2
{ grep '"event":"source_read"' "$dir/serve.log" || true; } | sed -n "3,${serve_polls}p" |
  sed 's/.*"read":"\([a-z]*\)".*"created":"\([0-9]*\)","updated":"\([0-9]*\)","removed":"\([0-9]*\)".*"duration_ms":"\([0-9]*\)","read_ms":"\([0-9]*\)","store_ms":"\([0-9]*\)".*/  \1 read: \5 ms (directory \6 ms, store \7 ms), created \2, updated \3, removed \4/'
echo "  plans made: $(grep -c '"event":"plan_\(applied\|blocked\)"' "$dir/serve.log" || true), audit rows written: $(( $(audit_rows) - before ))"
echo "  serve's RSS after poll 3: $rss_3, after poll $serve_polls: $rss_n; its peak: $hwm"

{
  for i in $(seq 0 49); do printf 'dn: uid=user%d,ou=people,%s\nchangetype: modify\nreplace: title\ntitle: Senior Recruiter\n\n' $((i * 1999 % users)) "$suffix"; done
  for i in $(seq 1 25); do
    printf 'dn: uid=new%d,ou=people,%s\nchangetype: add\nobjectClass: inetOrgPerson\nuid: new%d\ncn: New %d\nsn: New\nmail: new%d@acme.example\ntitle: Recruiter\nemployeeType: Employee\n\n' "$i" "$suffix" "$i" "$i" "$i"
    printf 'dn: cn=group-%d,ou=groups,%s\nchangetype: modify\nadd: member\nmember: uid=new%d,ou=people,%s\n\n' "$i" "$suffix" "$i" "$suffix"
  done
  for i in $(seq 0 24); do printf 'dn: uid=user%d,ou=people,%s\nchangetype: delete\n\n' $(((i * 3001 + 7) % users)) "$suffix"; done
} > "$dir/changes.ldif"
ldapmodify -x -H "$url" -D "cn=admin,$suffix" -w admin-secret -f "$dir/changes.ldif" >/dev/null
/usr/bin/time -o "$dir/t3" -f "%e s, peak RSS %M KiB" "$rosterd" --config "$dir/rosterd.yaml" sync --once --json > "$dir/r3"
echo "rosterd sync --once after 100 changes (incremental): $(cat "$dir/t3")"
echo "  $(report < "$dir/r3")"
/usr/bin/time -o "$dir/t4" -f "%e s" "$rosterd" --config "$dir/rosterd.yaml" sync --once --full --json > "$dir/r4"
echo "check: a full read after the incremental one changes nothing more ($(cat "$dir/t4")):"
echo "  $(report < "$dir/r4")"

# 5. The store's floor for a first sync (SQLite only): the rows it writes (identities,
# their emails, groups, memberships; accounts, audit, outbox), copied as they are into an
# empty database of the same schema, with rosterd's pragmas and two durable commits.
# INSERT … SELECT between identical tables uses SQLite's transfer optimisation (pages of
# ready records, no index searches), so this is below what any writer of those rows pays.
if [ "$store_kind" = sqlite ] && command -v sqlite3 >/dev/null; then
  sqlite3 "$dir/rosterd.db" .schema | grep -v sqlite_sequence > "$dir/schema.sql"
  sqlite3 "$dir/floor.db" < "$dir/schema.sql"
  copy() { for t in "$@"; do echo "INSERT INTO main.$t SELECT * FROM old.$t;"; done; }
  {
    echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;"
    echo "ATTACH '$dir/rosterd.db' AS old;"
    echo "BEGIN;"; copy spaces identities identity_emails external_groups group_members; echo "COMMIT;"
    echo "BEGIN;"; copy accounts audit outbox; echo "COMMIT;"
  } > "$dir/floor.sql"
  /usr/bin/time -o "$dir/t5" -f "%e s" sqlite3 "$dir/floor.db" < "$dir/floor.sql" > /dev/null
  echo "floor: the rows of a first sync copied into an empty store ($(sqlite3 "$dir/floor.db" \
    "SELECT (SELECT COUNT(*) FROM identities) || ' identities, ' || (SELECT COUNT(*) FROM group_members) || ' memberships, ' || (SELECT COUNT(*) FROM accounts) || ' accounts, ' || (SELECT COUNT(*) FROM audit) || ' audit rows, ' || (SELECT COUNT(*) FROM outbox) || ' outbox events'"), $(du -m "$dir/rosterd.db" | cut -f1) MB: $(cat "$dir/t5")"
fi
