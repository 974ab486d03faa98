# PostgreSQL: a throwaway cluster for the memory's PostgreSQL store, on a Unix socket only
# (listen_addresses=''), owned by an unprivileged user because initdb refuses root.
# Exports TM_TEST_POSTGRES for the tests; stopped and removed on exit.
if [ -z "${TM_TEST_POSTGRES:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pg_bin" ]; then
    apt_install postgresql
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  pg_user=postgres
  id "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home "$pg_user"
  pg_dir=$(mktemp -d /tmp/tm-pg.XXXXXX)
  chown "$pg_user" "$pg_dir"
  pg_as() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$pg_user" -- "$@"; else "$@"; fi; }
  pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U tm -A trust --no-sync >/dev/null
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-c listen_addresses='' -k $pg_dir -c fsync=off -c full_page_writes=off" start >/dev/null
  on_exit "pg_as $pg_bin/pg_ctl -D $pg_dir/data -m fast stop >/dev/null; rm -rf $pg_dir"
  pg_as "$pg_bin/createdb" -h "$pg_dir" -U tm tm
  export TM_TEST_POSTGRES="postgresql://tm@/tm?host=$pg_dir"
fi
