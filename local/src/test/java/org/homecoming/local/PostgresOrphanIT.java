package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack killed with SIGKILL leaves its PostgreSQL running: the next start stops that server and runs its
 * own on the same data.
 */
class PostgresOrphanIT {

    @TempDir
    Path dir;

    @Test
    void a_server_left_running_on_the_data_folder_is_stopped_and_the_new_one_keeps_the_data() throws Exception {
        Path data = dir.resolve("postgres");
        // a stack in its own JVM starts PostgreSQL and is killed with SIGKILL: its server keeps running
        Process stack = new ProcessBuilder(ServiceProcess.javaBinary().toString(), "-cp",
                System.getProperty("java.class.path"), PostgresProcessMain.class.getName(), data.toString(),
                Integer.toString(StackPorts.free().postgres())).redirectErrorStream(true).start();
        String jdbcUrl = new BufferedReader(new InputStreamReader(stack.getInputStream(), StandardCharsets.UTF_8))
                .lines().filter(line -> line.startsWith("jdbc:")).findFirst().orElseThrow();
        execute(jdbcUrl, "CREATE TABLE kept (n int)", "INSERT INTO kept VALUES (42)");
        stack.destroyForcibly().waitFor();
        long orphanPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).as("left running").isPresent();

        try (Postgres next = Postgres.start(data, StackPorts.free().postgres())) {
            assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).isEmpty();
            try (Connection connection = DriverManager.getConnection(next.jdbcUrl(), Postgres.SUPERUSER, "");
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT n FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        assertThat(Postgres.stopOrphan(data)).as("the new server stopped cleanly: nothing left behind").isEmpty();
    }

    private static void execute(String jdbcUrl, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
