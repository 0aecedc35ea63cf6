package org.homecoming.sink;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.homecoming.sink.migration.LoadRegionsMigration;

/**
 * The sink's Flyway set-up outside Spring (tests, the crash-test sink process, tools): the SQL migrations in
 * {@code db/migration} plus the Java migration that loads the regions. Spring Boot builds the same from
 * {@code application.yml} and the {@link LoadRegionsMigration} bean. The data source should log in as the owner
 * ({@link DatabaseRoles#OWNER}), and the roles must exist ({@link DatabaseRoles#apply}).
 */
public final class SinkMigrations {

    private SinkMigrations() {
    }

    /** Flyway for this data source. */
    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .javaMigrations(new LoadRegionsMigration())
                .load();
    }

    /** Migrates to the latest version. */
    public static void migrate(DataSource dataSource) {
        flyway(dataSource).migrate();
    }
}
