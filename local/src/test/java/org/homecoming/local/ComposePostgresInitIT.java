package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.homecoming.sink.DatabaseRoles;
import org.homecoming.sink.SinkMigrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The compose file's PostgreSQL init script, run with {@code psql} as the postgres image runs it (its superuser,
 * the compose environment's variables) against a fresh server: it leaves the roles as {@link DatabaseRoles} makes
 * them in the embedded stack, with working passwords, and the owner can run the migrations. Skipped where no
 * {@code psql} is installed.
 */
class ComposePostgresInitIT {

    @TempDir
    Path dir;

    @Test
    void the_init_script_makes_the_roles_as_the_embedded_stack_does_and_the_owner_migrates() throws Exception {
        assumeThat(psqlInstalled()).as("psql on the PATH").isTrue();
        Map<String, String> passwords = ComposeServices.testPasswords();
        Path data = dir.resolve("postgres");
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .start()) {
            try (Connection superuser = server.getPostgresDatabase().getConnection();
                 Statement statement = superuser.createStatement()) {
                statement.execute("CREATE DATABASE " + Postgres.DATABASE);
            }
            ProcessBuilder script = new ProcessBuilder("bash", ComposeFileTest.postgresInitScript().toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("init.log").toFile());
            script.environment().putAll(passwords);
            script.environment().putAll(Map.of("POSTGRES_USER", Postgres.SUPERUSER, "POSTGRES_DB", Postgres.DATABASE,
                    "PGHOST", "localhost", "PGPORT", Integer.toString(server.getPort())));
            Process process = script.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(dir.resolve("init.log"))).isZero();

            // from now on as the compose file's server: a password for every connection
            Files.writeString(data.resolve(Postgres.HBA_FILE), "local all all scram-sha-256\n"
                    + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n", StandardCharsets.UTF_8);
            try (Connection superuser = server.getPostgresDatabase().getConnection();
                 Statement statement = superuser.createStatement()) {
                statement.execute("SELECT pg_reload_conf()");
            }
            String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + Postgres.DATABASE;
            for (DatabaseRoles.Role role : DatabaseRoles.ALL) {
                String password = passwords.get(variableOf(role.name()));
                try (Connection connection = DriverManager.getConnection(url, role.name(), password)) {
                    assertThat(query(connection, "SHOW statement_timeout")).as(role.name())
                            .containsExactly(role.statementTimeout());
                    assertThat(query(connection, "SHOW default_transaction_read_only")).as(role.name())
                            .containsExactly(role.readOnly() ? "on" : "off");
                    assertThat(query(connection, "SELECT rolsuper::text || rolcreaterole::text || rolcreatedb::text"
                            + " || rolinherit::text || rolbypassrls::text FROM pg_roles WHERE rolname = current_user"))
                            .as("superuser, createrole, createdb, inherit, bypassrls of %s", role.name())
                            .containsExactly("falsefalsefalsefalsefalse");
                }
                assertThatThrownBy(() -> DriverManager.getConnection(url, role.name(), "wrong").close())
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
            }

            PGSimpleDataSource owner = new PGSimpleDataSource();
            owner.setUrl(url);
            owner.setUser(DatabaseRoles.OWNER);
            owner.setPassword(passwords.get(variableOf(DatabaseRoles.OWNER)));
            SinkMigrations.migrate(owner);
            try (Connection sink = DriverManager.getConnection(url, DatabaseRoles.SINK,
                    passwords.get(variableOf(DatabaseRoles.SINK)))) {
                assertThat(query(sink, "SELECT count(*)::text FROM region_lineage")).containsExactly("1352");
                assertThatThrownBy(() -> query(sink, "CREATE TABLE scratch (x int)")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
    }

    private static String variableOf(String account) {
        return ComposeServices.DATABASE_PASSWORDS.entrySet().stream().filter(e -> e.getValue().equals(account))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static boolean psqlInstalled() {
        try {
            Process process = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception notInstalled) {
            return false;
        }
    }

    private static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            if (statement.execute(sql)) {
                try (ResultSet rs = statement.getResultSet()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
            }
        }
        return values;
    }
}
