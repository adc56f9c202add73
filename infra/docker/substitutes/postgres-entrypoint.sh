#!/bin/sh
# The official postgres image's contract, in small: POSTGRES_USER / POSTGRES_PASSWORD /
# POSTGRES_DB / POSTGRES_HOST_AUTH_METHOD, and /docker-entrypoint-initdb.d/*.sql run once.
# Init runs on a socket-only server, so a TCP check passes only when the databases exist.
set -eu
user=${POSTGRES_USER:-postgres}
if [ -n "${POSTGRES_PASSWORD:-}" ]; then auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}; else auth=${POSTGRES_HOST_AUTH_METHOD:-trust}; fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "${POSTGRES_PASSWORD:-unused}" > /tmp/pwfile
  initdb -D "$PGDATA" --username="$user" --pwfile=/tmp/pwfile --auth-local=trust --auth-host="$auth" >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all $auth" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 -U "$user" -d postgres -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null
  fi
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] && psql -q -v ON_ERROR_STOP=1 -U "$user" -d postgres -f "$f"
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "PostgreSQL init process complete; ready for start up."
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
