-- Two login roles. Roles belong to the whole PostgreSQL cluster, not to this database, so creating them is
-- idempotent: a second database on the same server (or a re-created one) migrates cleanly. Passwords come
-- from Flyway placeholders (spring.flyway.placeholders.*, env DATABASE_SINK_PASSWORD / DATABASE_BI_PASSWORD).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'homecoming_sink') THEN
        CREATE ROLE homecoming_sink LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'homecoming_bi') THEN
        CREATE ROLE homecoming_bi LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    EXECUTE format('ALTER ROLE homecoming_sink PASSWORD %L', '${sink_password}');
    EXECUTE format('ALTER ROLE homecoming_bi PASSWORD %L', '${bi_password}');
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO homecoming_sink, homecoming_bi', current_database());
    -- BI tools read and never write: every new transaction of the BI role is read-only as well.
    ALTER ROLE homecoming_bi SET default_transaction_read_only = on;
END
$$;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15+ already revokes this; older servers do not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO homecoming_sink, homecoming_bi;

-- The sink writes its three tables and reads the dimension; it deletes nothing and creates nothing.
GRANT SELECT, INSERT, UPDATE ON region_totals, registration_event, sink_offset TO homecoming_sink;
GRANT SELECT ON region, region_lineage TO homecoming_sink;

-- BI reads the views and the dimension only; the ledger (pseudonymous person_ref) stays out of its reach.
GRANT SELECT ON region, region_lineage, v_region_totals,
    v_province_daily, v_province_monthly, v_province_yearly, v_province_all_time,
    v_city_daily, v_city_monthly, v_city_yearly, v_city_all_time,
    v_county_yearly, v_township_league TO homecoming_bi;
