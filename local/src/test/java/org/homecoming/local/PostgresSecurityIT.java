package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.homecoming.local.security.Secrets;
import org.homecoming.sink.DatabaseRoles;
import org.homecoming.sink.SinkMigrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL secured, migrated by its owner: every account needs its password, and each role is
 * refused what it has no business doing, asserted by the SQLSTATE PostgreSQL answers with.
 */
class PostgresSecurityIT {

    /** invalid_password: a wrong password. */
    private static final String INVALID_PASSWORD = "28P01";
    /** insufficient_privilege: no right to the object, or not its owner. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** read_only_sql_transaction: a write in BI's read-only sessions. */
    private static final String READ_ONLY_TRANSACTION = "25006";

    private static final List<String> VIEWS = List.of("region_lineage", "v_region_totals", "v_province_daily",
            "v_province_monthly", "v_province_yearly", "v_province_all_time", "v_city_daily", "v_city_monthly",
            "v_city_yearly", "v_city_all_time", "v_county_yearly", "v_township_league");

    /** Changes to the schema, each of which only the owner may make. */
    private static final List<String> SCHEMA_CHANGES = List.of(
            "DROP TABLE sink_offset",
            "DROP VIEW v_region_totals",
            "ALTER TABLE registration_event ADD COLUMN national_id text",
            "ALTER TABLE region_totals DROP CONSTRAINT region_totals_not_negative",
            "ALTER VIEW v_province_daily RENAME TO v_renamed",
            "CREATE INDEX scratch_idx ON region_totals (updated_at)",
            "CREATE TABLE scratch (x int)",
            "CREATE VIEW scratch_view AS SELECT 1 AS x",
            "CREATE FUNCTION scratch() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "CREATE SCHEMA scratch",
            "COMMENT ON TABLE region IS 'changed'",
            "TRUNCATE region_totals",
            "ALTER TABLE region_totals ENABLE ROW LEVEL SECURITY");

    @TempDir
    static Path dir;

    static Postgres postgres;

    @BeforeAll
    static void startSecuredAndMigrateAsTheOwner() throws Exception {
        postgres = Postgres.startSecured(dir.resolve("postgres"), StackPorts.free().postgres(),
                Secrets.in(dir.resolve("secrets")));
        SinkMigrations.migrate(postgres.dataSource(Postgres.OWNER));
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void the_secured_server_has_no_trust_line_left_and_asks_every_connection_for_a_password() throws Exception {
        List<String> rules = Files.readAllLines(dir.resolve("postgres").resolve(Postgres.HBA_FILE), StandardCharsets.UTF_8)
                .stream().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(rules).isNotEmpty().noneMatch(line -> line.contains("trust"));
        List<String> methods = new ArrayList<>();
        try (Connection superuser = postgres.connect(Postgres.SUPERUSER);
             Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("SELECT auth_method, error FROM pg_hba_file_rules")) {
            while (rs.next()) {
                assertThat(rs.getString(2)).as("error of a pg_hba.conf line").isNull();
                methods.add(rs.getString(1));
            }
        }
        assertThat(methods).as("what the server itself read").isNotEmpty().containsOnly("scram-sha-256");
    }

    @Test
    void a_wrong_password_is_refused_for_every_account() {
        for (String account : List.of(Postgres.SUPERUSER, Postgres.OWNER, Postgres.SINK, Postgres.BI)) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), account, "not-the-password").close())
                    .as(account).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(INVALID_PASSWORD));
            // without any password pgjdbc gives up before asking (08004: the server rejected the connection)
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), account, "").close())
                    .as(account).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08004"));
        }
    }

    @Test
    void a_role_without_the_connect_right_cannot_connect_to_the_database() throws Exception {
        execute(Postgres.SUPERUSER, "CREATE ROLE stranger LOGIN PASSWORD 'stranger-password'");
        try {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "stranger", "stranger-password").close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE))
                    .hasMessageContaining("permission denied for database");
            assertThat(queryStrings(Postgres.SUPERUSER, "SELECT has_database_privilege('public', '" + Postgres.DATABASE
                    + "', 'CONNECT')::text, has_database_privilege('public', '" + Postgres.DATABASE + "', 'TEMPORARY')::text"))
                    .as("PUBLIC's CONNECT and TEMPORARY").containsExactly("false", "false");
        } finally {
            execute(Postgres.SUPERUSER, "DROP ROLE stranger");
        }
    }

    @Test
    void the_sink_cannot_drop_alter_or_create_and_neither_can_bi_no_role_but_the_owner_changes_the_schema()
            throws Exception {
        for (String role : List.of(Postgres.SINK, Postgres.BI)) {
            for (String sql : SCHEMA_CHANGES) {
                // BI's sessions are read-only by default: turned off, so the refusal is the privilege's
                assertRefused(role, INSUFFICIENT_PRIVILEGE, "SET default_transaction_read_only = off", sql);
            }
        }
        // the owner may: each change inside a transaction that is rolled back
        try (Connection owner = postgres.connect(Postgres.OWNER); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            for (String sql : SCHEMA_CHANGES) {
                statement.execute("SAVEPOINT change");
                statement.execute(sql);
                statement.execute("ROLLBACK TO SAVEPOINT change");
            }
            owner.rollback();
        }
    }

    @Test
    void no_login_role_is_a_superuser_or_may_create_roles_or_databases() throws Exception {
        for (DatabaseRoles.Role role : DatabaseRoles.ALL) {
            assertThat(queryStrings(Postgres.SUPERUSER, "SELECT rolsuper::text, rolcreaterole::text, rolcreatedb::text,"
                    + " rolbypassrls::text, rolreplication::text FROM pg_roles WHERE rolname = '" + role.name() + "'"))
                    .as(role.name()).containsExactly("false", "false", "false", "false", "false");
        }
        assertThat(queryStrings(Postgres.SUPERUSER, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '"
                + Postgres.DATABASE + "'")).containsExactly(Postgres.OWNER);
        assertThat(queryStrings(Postgres.SUPERUSER, "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"))
                .as("owner of every table, view and index").containsExactly(Postgres.OWNER);
        assertRefused(Postgres.OWNER, "CREATE ROLE intruder LOGIN", INSUFFICIENT_PRIVILEGE);
        assertRefused(Postgres.OWNER, "ALTER ROLE homecoming_bi PASSWORD 'taken-over'", INSUFFICIENT_PRIVILEGE);
        assertRefused(Postgres.SINK, "CREATE DATABASE other", INSUFFICIENT_PRIVILEGE);
    }

    @Test
    void the_sink_writes_its_columns_and_deletes_nothing() throws Exception {
        execute(Postgres.SINK,
                "INSERT INTO sink_offset (topic, partition, next_offset) VALUES ('security-it', 0, 1)",
                "UPDATE sink_offset SET next_offset = 2 WHERE topic = 'security-it'",
                "UPDATE registration_event SET retracted = true, retracted_by = event_id WHERE false");
        for (String sql : List.of(
                "DELETE FROM sink_offset WHERE topic = 'security-it'",
                "UPDATE registration_event SET person_ref = repeat('0', 64)",
                "UPDATE region_totals SET region_code = '140000'",
                "UPDATE region SET name_en = 'x'",
                "SELECT count(*) FROM flyway_schema_history")) {
            assertRefused(Postgres.SINK, sql, INSUFFICIENT_PRIVILEGE);
        }
        execute(Postgres.OWNER, "DELETE FROM sink_offset WHERE topic = 'security-it'");
    }

    @Test
    void bi_reads_the_views_and_region_and_cannot_write_even_outside_its_read_only_default() throws Exception {
        assertThat(queryStrings(Postgres.BI, "SELECT count(*)::text FROM region")).containsExactly("1485");
        for (String view : VIEWS) {
            assertThat(queryStrings(Postgres.BI, "SELECT count(*)::text FROM " + view)).as(view).hasSize(1);
        }
        for (String sql : List.of(
                "SELECT count(*) FROM registration_event",
                "SELECT count(*) FROM region_totals",
                "SELECT count(*) FROM sink_offset",
                "INSERT INTO region_totals (region_code, period_kind, period_start, source_topic, source_partition,"
                        + " source_offset, updated_at) VALUES ('140000', 'ALL', DATE '1970-01-01', 't', 0, 0, now())",
                "UPDATE region SET name_en = 'x'",
                "DELETE FROM region",
                "CREATE TEMP TABLE scratch (x int)")) {
            // refused by privilege, not by the read-only default the session turns off first
            assertRefused(Postgres.BI, INSUFFICIENT_PRIVILEGE, "SET default_transaction_read_only = off", sql);
        }
        assertRefused(Postgres.BI, "UPDATE region SET name_en = 'x'", READ_ONLY_TRANSACTION);
    }

    @Test
    void a_bi_user_made_as_the_readme_shows_reads_what_bi_reads_and_cannot_write() throws Exception {
        // README, "Run on real servers": the statements of the snippet, with a literal for psql's :'pw'
        execute(Postgres.SUPERUSER,
                "CREATE ROLE alice LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD 'alice-password'"
                        + " IN ROLE homecoming_bi",
                "ALTER ROLE alice SET statement_timeout = '5min'",
                "ALTER ROLE alice SET default_transaction_read_only = on");
        try (Connection alice = DriverManager.getConnection(postgres.jdbcUrl(), "alice", "alice-password");
             Statement statement = alice.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM v_province_all_time")) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs = statement.executeQuery("SHOW statement_timeout")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("5min");
            }
            statement.execute("SET default_transaction_read_only = off");
            for (String sql : List.of("SELECT count(*) FROM registration_event", "DELETE FROM region",
                    "CREATE TABLE scratch (x int)")) {
                assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            }
        } finally {
            execute(Postgres.SUPERUSER, "DROP ROLE alice");
        }
    }

    @Test
    void each_role_has_its_statement_timeout_and_bi_sessions_are_read_only() throws Exception {
        for (DatabaseRoles.Role role : DatabaseRoles.ALL) {
            assertThat(queryStrings(role.name(), "SHOW statement_timeout")).as(role.name())
                    .containsExactly(role.statementTimeout());
            assertThat(queryStrings(role.name(), "SHOW default_transaction_read_only")).as(role.name())
                    .containsExactly(role.readOnly() ? "on" : "off");
        }
        assertThat(DatabaseRoles.ALL).extracting(DatabaseRoles.Role::statementTimeout).doesNotContain("0");
    }

    @Test
    void a_folder_made_unsecured_with_the_migrations_run_as_the_superuser_is_secured_and_migrates_as_the_owner()
            throws Exception {
        Path data = dir.resolve("earlier");
        int port = StackPorts.free().postgres();
        try (Postgres unsecured = Postgres.start(data, port)) {
            // as the stack ran before: the superuser migrated up to V6 in its first text (which made the sink
            // and BI roles), so it owns the tables and the database, and there was no owner role
            Flyway earlier = Flyway.configure().configuration(SinkMigrations.flyway(
                    unsecured.dataSource(Postgres.SUPERUSER)).getConfiguration()).target("6").load();
            earlier.migrate();
            try (Connection superuser = unsecured.connect(Postgres.SUPERUSER);
                 Statement statement = superuser.createStatement()) {
                statement.execute("UPDATE flyway_schema_history SET checksum = -1224122456 WHERE version = '6'");
                statement.execute("ALTER DATABASE " + Postgres.DATABASE + " OWNER TO " + Postgres.SUPERUSER);
                statement.execute("DROP ROLE " + Postgres.OWNER);
            }
        }
        try (Postgres secured = Postgres.startSecured(data, port, Secrets.in(dir.resolve("earlier-secrets")))) {
            assertThat(Postgres.securedHba(data)).isTrue();
            assertThatThrownBy(() -> DriverManager.getConnection(secured.jdbcUrl(), Postgres.SUPERUSER, "x").close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(INVALID_PASSWORD));
            Flyway owner = SinkMigrations.flyway(secured.dataSource(Postgres.OWNER));
            assertThat(owner.migrate().migrationsExecuted).as("V7, by the owner, after V6's recorded checksum validated")
                    .isEqualTo(1);
            owner.validate();
            try (Connection connection = secured.connect(Postgres.OWNER); Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c"
                         + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(Postgres.OWNER);
                assertThat(rs.next()).as("a second owner").isFalse();
            }
        }
        try (Postgres unsecuredAgain = Postgres.start(data, port);
             Connection connection = DriverManager.getConnection(unsecuredAgain.jdbcUrl(), Postgres.SUPERUSER, "")) {
            assertThat(connection.isValid(5)).as("unsecured again: trusted").isTrue();
        }
    }

    private static void assertRefused(String role, String sql, String sqlState) {
        assertRefused(role, sqlState, new String[] {sql});
    }

    /** The last of {@code sqls}, run after the others in one session, is refused with {@code sqlState}. */
    private static void assertRefused(String role, String sqlState, String... sqls) {
        String sql = sqls[sqls.length - 1];
        assertThatThrownBy(() -> execute(role, sqls)).as("%s: %s", role, sql).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("%s: %s", role, sql).isEqualTo(sqlState));
    }

    private static void execute(String role, String... sqls) throws SQLException {
        try (Connection connection = postgres.connect(role); Statement statement = connection.createStatement()) {
            for (String sql : sqls) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> queryStrings(String role, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = postgres.connect(role); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i));
                }
            }
        }
        return values;
    }
}
