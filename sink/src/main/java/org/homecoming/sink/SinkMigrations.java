package org.homecoming.sink;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.homecoming.sink.migration.LoadRegionsMigration;

/**
 * The sink's Flyway set-up outside Spring (tests, the crash-test sink process, tools): the SQL migrations in
 * {@code db/migration} plus the Java migration that loads the regions. Spring Boot builds the same from
 * {@code application.yml} and the {@link LoadRegionsMigration} bean.
 */
public final class SinkMigrations {

    /** Placeholder holding the password given to {@code homecoming_sink}. */
    public static final String SINK_PASSWORD = "sink_password";
    /** Placeholder holding the password given to {@code homecoming_bi}. */
    public static final String BI_PASSWORD = "bi_password";

    private SinkMigrations() {
    }

    /** Flyway for this data source with the given role passwords. */
    public static Flyway flyway(DataSource dataSource, String sinkPassword, String biPassword) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .javaMigrations(new LoadRegionsMigration())
                .placeholders(Map.of(SINK_PASSWORD, sinkPassword, BI_PASSWORD, biPassword))
                .load();
    }

    /** Migrates to the latest version with the local default passwords. */
    public static void migrate(DataSource dataSource) {
        flyway(dataSource, "homecoming_sink", "homecoming_bi").migrate();
    }
}
