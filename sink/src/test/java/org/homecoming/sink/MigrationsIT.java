package org.homecoming.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.homecoming.events.RegionLevel;
import org.homecoming.schemas.region.Regions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migrations on a real PostgreSQL, from an empty database: the region dimension, the hierarchy, the views
 * with their comments, and the two roles with exactly the rights they need.
 */
class MigrationsIT {

    private static final List<String> BI_VIEWS = List.of("v_region_totals", "v_province_daily", "v_province_monthly",
            "v_province_yearly", "v_province_all_time", "v_city_daily", "v_city_monthly", "v_city_yearly",
            "v_city_all_time", "v_county_yearly", "v_township_league");

    static TestDatabase postgres;
    static String database;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestDatabase.start();
        database = postgres.createMigrated();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static DataSource owner() {
        return postgres.as(DatabaseRoles.OWNER, database);
    }

    @Test
    void an_empty_database_migrates_to_the_latest_version_and_a_second_run_changes_nothing() throws Exception {
        String fresh = postgres.createDatabase();
        Flyway flyway = SinkMigrations.flyway(postgres.as(DatabaseRoles.OWNER, fresh));
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(7);
        assertThat(flyway.info().applied()).extracting(MigrationInfo::getDescription)
                .containsExactly("region totals and offsets", "region", "load regions from shanxi-divisions.csv",
                        "registration event", "bi views", "roles", "least privilege");
        assertThat(flyway.info().applied()).filteredOn(m -> m.getVersion().getVersion().equals("6"))
                .extracting(MigrationInfo::getChecksum).as("the checksum DatabaseRoles moves a first-text V6 to")
                .containsExactly(DatabaseRoles.ROLES_MIGRATION_CHECKSUM);
        assertThat(flyway.migrate().migrationsExecuted).isZero();
        flyway.validate();
    }

    @Test
    void roles_already_in_the_cluster_do_not_stop_another_database_from_migrating() throws Exception {
        // the roles belong to the cluster and exist already; this database's migrations grant on its own objects
        String second = postgres.createDatabase();
        SinkMigrations.migrate(postgres.as(DatabaseRoles.OWNER, second));
        assertThat(queryLong(postgres.as("homecoming_bi", second), "SELECT count(*) FROM v_province_daily")).isZero();
    }

    @Test
    void region_holds_every_row_of_the_reference_data() throws Exception {
        Regions regions = Regions.shanxi();
        assertThat(queryLong(owner(), "SELECT count(*) FROM region")).isEqualTo(1485).isEqualTo(regions.size());
        Map<String, Long> byLevel = new LinkedHashMap<>();
        query(owner(), "SELECT level, count(*) FROM region GROUP BY level ORDER BY level",
                rs -> byLevel.put(rs.getString(1), rs.getLong(2)));
        assertThat(byLevel).containsExactlyInAnyOrderEntriesOf(Map.of("PROVINCE", 1L, "CITY", 11L, "COUNTY", 121L,
                "TOWNSHIP", 1352L));
        assertThat(queryLong(owner(), "SELECT count(*) FROM region WHERE statistical_zone")).isEqualTo(4);
        List<String> mismatches = new ArrayList<>();
        query(owner(), "SELECT code, level, parent_code, name_zh, name_en, division_type FROM region", rs -> {
            var region = regions.find(rs.getString(1)).orElseThrow();
            if (!region.level().name().equals(rs.getString(2)) || !java.util.Objects.equals(region.parentCode(),
                    rs.getString(3)) || !region.nameZh().equals(rs.getString(4)) || !region.nameEn().equals(rs.getString(5))
                    || !region.divisionType().equals(rs.getString(6))) {
                mismatches.add(rs.getString(1));
            }
        });
        assertThat(mismatches).isEmpty();
    }

    @Test
    void region_lineage_gives_every_township_its_county_city_and_province_as_the_reference_data_does() throws Exception {
        Regions regions = Regions.shanxi();
        List<String> mismatches = new ArrayList<>();
        query(owner(), "SELECT township_code, county_code, city_code, province_code FROM region_lineage", rs -> {
            String[] expected = regions.lineage(rs.getString(1));
            if (!List.of(expected).equals(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))) {
                mismatches.add(rs.getString(1));
            }
        });
        assertThat(mismatches).isEmpty();
        assertThat(queryLong(owner(), "SELECT count(*) FROM region_lineage"))
                .isEqualTo(regions.atLevel(RegionLevel.TOWNSHIP).size());
        assertThat(queryLong(owner(), "SELECT count(*) FROM region_lineage WHERE township_code = '"
                + TestEvents.WUTAISHAN_TAIHUAI + "' AND county_code = '140971' AND county_is_functional_zone"
                + " AND city_code = '140900'")).isEqualTo(1);
    }

    @Test
    void every_bi_view_exists_and_has_a_comment_naming_its_columns() throws Exception {
        for (String view : BI_VIEWS) {
            List<String> columns = new ArrayList<>();
            query(owner(), "SELECT column_name FROM information_schema.columns WHERE table_name = '" + view + "'",
                    rs -> columns.add(rs.getString(1)));
            List<String> comment = new ArrayList<>();
            query(owner(), "SELECT obj_description('" + view + "'::regclass, 'pg_class')", rs -> comment.add(rs.getString(1)));
            assertThat(columns).as(view).isNotEmpty();
            assertThat(comment.get(0)).as(view).isNotBlank().contains(columns);
        }
    }

    @Test
    void the_bi_role_reads_the_views_and_region_but_cannot_insert_update_delete_create_or_read_the_ledger()
            throws Exception {
        DataSource bi = postgres.as("homecoming_bi", database);
        assertThat(queryLong(bi, "SELECT count(*) FROM region")).isEqualTo(1485);
        assertThat(queryLong(bi, "SELECT count(*) FROM region_lineage")).isEqualTo(1352);
        for (String view : BI_VIEWS) {
            assertThat(queryLong(bi, "SELECT count(*) FROM " + view)).as(view).isZero();
        }
        for (String sql : List.of(
                "INSERT INTO region_totals (region_code, period_kind, period_start, source_topic, source_partition,"
                        + " source_offset, updated_at) VALUES ('140000', 'ALL', DATE '1970-01-01', 't', 0, 0, now())",
                "INSERT INTO region (code, level, parent_code, name_zh, name_en, division_type)"
                        + " VALUES ('149999', 'CITY', '140000', 'x', 'x', 'x')",
                "UPDATE region SET name_en = 'x'",
                "UPDATE region_totals SET returnees = 1",
                "DELETE FROM region",
                "DELETE FROM sink_offset",
                "SELECT count(*) FROM registration_event",
                "SELECT count(*) FROM region_totals",
                "CREATE TABLE bi_scratch (x int)",
                "CREATE VIEW bi_view AS SELECT 1 AS x",
                "CREATE SCHEMA bi_schema")) {
            // refused by privilege even when the session turns off its read-only default
            assertThatThrownBy(() -> execute(bi, "SET default_transaction_read_only = off", sql)).as(sql)
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThatThrownBy(() -> execute(bi, "UPDATE region SET name_en = 'x'")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    }

    @Test
    void the_sink_role_writes_its_three_tables_and_nothing_else() throws Exception {
        DataSource sink = postgres.as("homecoming_sink", database);
        execute(sink, "INSERT INTO sink_offset (topic, partition, next_offset) VALUES ('roles-test', 0, 1)");
        execute(sink, "UPDATE sink_offset SET next_offset = 2 WHERE topic = 'roles-test'");
        execute(sink, "INSERT INTO region_totals (region_code, period_kind, period_start, source_topic, source_partition,"
                + " source_offset, updated_at) VALUES ('140000', 'DAY', DATE '2001-01-01', 'roles-test', 0, 0, now())");
        assertThat(queryLong(sink, "SELECT count(*) FROM registration_event")).isZero();
        // its only DDL: the session's temporary staging tables it bulk-loads through (its own TEMPORARY right)
        execute(sink, SinkSql.CREATE_TOTALS_STAGING, SinkSql.CREATE_EVENTS_STAGING);
        for (String sql : List.of(
                "DELETE FROM sink_offset WHERE topic = 'roles-test'",
                "DELETE FROM region_totals WHERE source_topic = 'roles-test'",
                "UPDATE region SET name_en = 'x'",
                "CREATE TABLE sink_scratch (x int)",
                "DROP TABLE region_totals")) {
            assertThatThrownBy(() -> execute(sink, sql)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        execute(owner(), "DELETE FROM region_totals WHERE source_topic = 'roles-test'");
        execute(owner(), "DELETE FROM sink_offset WHERE topic = 'roles-test'");
    }

    @Test
    void the_sink_role_updates_only_the_columns_its_statements_change() throws Exception {
        DataSource sink = postgres.as(DatabaseRoles.SINK, database);
        for (String sql : List.of(
                "UPDATE registration_event SET person_ref = repeat('0', 64)",
                "UPDATE registration_event SET township_code = '140000'",
                "UPDATE registration_event SET ingested_at = now()",
                "UPDATE region_totals SET region_code = '140000'",
                "UPDATE region_totals SET period_start = DATE '2001-01-01'",
                "UPDATE sink_offset SET topic = 'x'",
                "INSERT INTO registration_event (event_id, retracted) VALUES (gen_random_uuid(), true)")) {
            assertThatThrownBy(() -> execute(sink, sql)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        // what SinkSql.APPLY_RETRACTIONS and the totals upsert change is allowed (no row matches here)
        execute(sink, "UPDATE registration_event SET retracted = true, retracted_by = event_id WHERE false",
                "UPDATE region_totals SET returnees = 0, updated_at = now() WHERE false");
    }

    static long queryLong(DataSource dataSource, String sql) throws SQLException {
        long[] value = new long[1];
        query(dataSource, sql, rs -> value[0] = rs.getLong(1));
        return value[0];
    }

    static void query(DataSource dataSource, String sql, RowHandler handler) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                handler.handle(rs);
            }
        }
    }

    static void execute(DataSource dataSource, String... sqls) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : sqls) {
                statement.execute(sql);
            }
        }
    }

    /** Reads one row. */
    @FunctionalInterface
    interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }
}
