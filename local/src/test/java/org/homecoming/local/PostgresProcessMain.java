package org.homecoming.local;

import java.nio.file.Path;

/**
 * PostgreSQL started in a JVM of its own, for {@code PostgresOrphanIT} to kill: prints the JDBC URL and waits.
 * Arguments: data folder, port.
 */
public final class PostgresProcessMain {

    private PostgresProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Postgres postgres = Postgres.start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println(postgres.jdbcUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
