# Sourced by the benchmarks that run rosterd on PostgreSQL: a private server from the
# tests' tests/support/postgres_server.sh, set for durable commits (fsync, synchronous
# commit and full-page writes on: the tests turn them off; SQLite runs synchronous=FULL),
# and fresh databases on it.
#   bench_postgres_start STATE_DIR   start it (stopped when this shell exits)
#   bench_postgres_database NAME     create a database; prints its postgresql:// URL
#   bench_postgres_sql NAME SQL      one statement on a database, its rows unaligned
#   bench_postgres_top NAME [N]      the N statements that took the most time on NAME
#                                    (with ROSTERD_BENCH_PG_STATEMENTS=1 only)
# The password is in $bench_postgres_password_file (give it as store.password_file).
# ROSTERD_BENCH_PG_STATEMENTS=1 loads pg_stat_statements (a little overhead per statement:
# for finding where the time goes, not for the recorded figures).
bench_postgres_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bench_postgres_start() {
  bench_postgres_state=$1
  bash "$bench_postgres_root/tests/support/postgres_server.sh" start "$bench_postgres_state" $$ >&2
  if grep -q '^unavailable=' "$bench_postgres_state/server.env"; then
    echo "PostgreSQL unavailable: $(sed -n 's/^unavailable=//p' "$bench_postgres_state/server.env")" >&2
    return 1
  fi
  # shellcheck disable=SC1091
  . "$bench_postgres_state/server.env"
  bench_postgres_password_file=$bench_postgres_state/password
  (umask 077 && printf '%s\n' "$password" >"$bench_postgres_password_file")
  bench_postgres_sql postgres "ALTER SYSTEM SET fsync = on" >/dev/null
  bench_postgres_sql postgres "ALTER SYSTEM SET synchronous_commit = on" >/dev/null
  bench_postgres_sql postgres "ALTER SYSTEM SET full_page_writes = on" >/dev/null
  bench_postgres_sql postgres "ALTER SYSTEM SET shared_buffers = '256MB'" >/dev/null
  if [ "${ROSTERD_BENCH_PG_STATEMENTS:-0}" = 1 ]; then
    bench_postgres_sql postgres "ALTER SYSTEM SET shared_preload_libraries = pg_stat_statements" >/dev/null
  fi
  runuser -u postgres -- "$bin/pg_ctl" -D "$data_dir/cluster" -w restart -m fast >/dev/null
}

bench_postgres_top() {
  [ "${ROSTERD_BENCH_PG_STATEMENTS:-0}" = 1 ] || return 0
  bench_postgres_sql "$1" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  echo "top statements on $1 (calls | total ms | mean ms | rows | statement):"
  bench_postgres_sql "$1" "SELECT calls, round(total_exec_time), round(mean_exec_time::numeric, 3), rows,
      left(regexp_replace(query, '\s+', ' ', 'g'), 140)
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${2:-15}"
}

bench_postgres_sql() {
  # shellcheck disable=SC1091
  . "$bench_postgres_state/server.env"
  PGPASSWORD=$password psql -h "$host" -p "$port" -U "$user" -d "$1" -qAt -v ON_ERROR_STOP=1 -c "$2"
}

bench_postgres_database() {
  bench_postgres_sql postgres "CREATE DATABASE $1" >/dev/null
  # shellcheck disable=SC1091
  . "$bench_postgres_state/server.env"
  echo "postgresql://$user@$host:$port/$1"
}

bench_postgres_stop() {
  [ -n "${bench_postgres_state:-}" ] && bash "$bench_postgres_root/tests/support/postgres_server.sh" stop "$bench_postgres_state" || true
}
