#!/usr/bin/env bash
# Runs once, on an empty data volume, as the image's superuser (the postgres image runs every script of
# /docker-entrypoint-initdb.d before its server first listens): Homecoming's login roles with their passwords
# from the environment, each with its statement_timeout, and the database handed to homecoming_owner, which
# runs the migrations when the sink starts. Nothing logs in as postgres after this. The embedded stack does the
# same in DatabaseRoles.apply (sink module); ComposeFileTest keeps the two alike.
set -euo pipefail

: "${HOMECOMING_DB_OWNER_PASSWORD:?the password of homecoming_owner}"
: "${HOMECOMING_DB_SINK_PASSWORD:?the password of homecoming_sink}"
: "${HOMECOMING_DB_BI_PASSWORD:?the password of homecoming_bi}"

# psql interpolates :'name' as a quoted literal, so no password is pasted into the SQL text by the shell.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set owner_password="$HOMECOMING_DB_OWNER_PASSWORD" \
    --set sink_password="$HOMECOMING_DB_SINK_PASSWORD" \
    --set bi_password="$HOMECOMING_DB_BI_PASSWORD" \
    --set database="$POSTGRES_DB" <<'SQL'
CREATE ROLE homecoming_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';
CREATE ROLE homecoming_sink LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS
    PASSWORD :'sink_password';
CREATE ROLE homecoming_bi LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS
    PASSWORD :'bi_password';
ALTER ROLE homecoming_owner SET statement_timeout = '15min';
ALTER ROLE homecoming_sink SET statement_timeout = '2min';
ALTER ROLE homecoming_bi SET statement_timeout = '5min';
ALTER ROLE homecoming_bi SET default_transaction_read_only = on;
ALTER DATABASE :"database" OWNER TO homecoming_owner;
SQL
