package org.homecoming.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL (zonky embedded binaries, free port) with fresh, migrated databases for tests.
 */
final class TestDatabase implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres server;

    private TestDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    static TestDatabase start() throws IOException {
        return new TestDatabase(EmbeddedPostgres.builder().start());
    }

    /** A new empty database, not migrated, owned by {@link DatabaseRoles#OWNER}, the roles made as a superuser would. */
    String createDatabase() throws SQLException {
        String name = "homecoming_" + DATABASES.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        try (Connection connection = as("postgres", name).getConnection()) {
            DatabaseRoles.apply(connection, name, Map.of());
        }
        return name;
    }

    /** A new database migrated to the latest version by its owner. */
    String createMigrated() throws SQLException {
        String name = createDatabase();
        SinkMigrations.migrate(as(DatabaseRoles.OWNER, name));
        return name;
    }

    /** A data source connecting as {@code user} to {@code database}. */
    DataSource as(String user, String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl(database));
        dataSource.setUser(user);
        dataSource.setPassword(user);
        return dataSource;
    }

    /** A data source connecting as {@code user} with {@code reWriteBatchedInserts} on. */
    DataSource rewriting(String user, String database) {
        PGSimpleDataSource dataSource = (PGSimpleDataSource) as(user, database);
        dataSource.setReWriteBatchedInserts(true);
        return dataSource;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
