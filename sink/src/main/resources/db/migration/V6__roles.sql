-- The login roles (homecoming_owner, homecoming_sink, homecoming_bi) and their passwords are made outside the
-- migrations, by a superuser, before the first one runs (DatabaseRoles; in docker-compose.yml the postgres
-- image's init script): a role belongs to the whole cluster, and a migration should neither know nor set a
-- password. This migration first made the two roles itself, with passwords from Flyway placeholders;
-- DatabaseRoles moves the checksum a database recorded for that text to this one.

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO homecoming_sink, homecoming_bi', current_database());
END
$$;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15+ already revokes this; older servers do not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO homecoming_sink, homecoming_bi;

-- The sink writes its three tables and reads the dimension; it deletes nothing and creates nothing (V7 narrows).
GRANT SELECT, INSERT, UPDATE ON region_totals, registration_event, sink_offset TO homecoming_sink;
GRANT SELECT ON region, region_lineage TO homecoming_sink;

-- BI reads the views and the dimension only; the ledger (pseudonymous person_ref) stays out of its reach.
GRANT SELECT ON region, region_lineage, v_region_totals,
    v_province_daily, v_province_monthly, v_province_yearly, v_province_all_time,
    v_city_daily, v_city_monthly, v_city_yearly, v_city_all_time,
    v_county_yearly, v_township_league TO homecoming_bi;
