package org.homecoming.local.audit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./homecoming audit}: {@link Audit} against running servers. Exit code 0 when every output agrees with the
 * reference model, 1 on any difference, 2 when the audit cannot run.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Recount homecoming.registrations (read_committed, up to the counting group's committed offsets) "
                + "with the reference model and compare every bucket of homecoming.totals and region_totals, every "
                + "event of homecoming.registrations.accepted and registration_event, the rejections by reason, and "
                + "check that no transaction is left open; exit 0 when all agree, 1 on any difference, 2 when it "
                + "cannot run.")
public final class AuditCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka (default ${DEFAULT-VALUE}, or $KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--registry", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://localhost:8081}",
            description = "Schema registry (default ${DEFAULT-VALUE}, or $SCHEMA_REGISTRY_URL).")
    String registry;

    @Option(names = "--database", defaultValue = "${env:DATABASE_URL:-jdbc:postgresql://localhost:15432/homecoming}",
            description = "JDBC URL of the homecoming database (default ${DEFAULT-VALUE}, or $DATABASE_URL).")
    String database;

    @Option(names = "--database-user", defaultValue = "${env:DATABASE_USER:-postgres}",
            description = "A user that may read region_totals and registration_event, e.g. homecoming_sink "
                    + "(default ${DEFAULT-VALUE}, or $DATABASE_USER).")
    String databaseUser;

    @Option(names = "--database-password", defaultValue = "${env:DATABASE_PASSWORD:-}",
            description = "Its password (default $DATABASE_PASSWORD).")
    String databasePassword;

    @Option(names = "--application-id", defaultValue = AuditOptions.APPLICATION_ID,
            description = "The counting application's id, its consumer group (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--attempts", defaultValue = "3",
            description = "Audits before a difference counts, for a pipeline still catching up; each reads on from "
                    + "where the last stopped (default ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--retry-interval", defaultValue = "PT2S", description = "Pause between attempts (default ${DEFAULT-VALUE}).")
    Duration retryInterval;

    @Option(names = "--timeout", defaultValue = "PT30S",
            description = "Longest wait for Kafka or PostgreSQL to answer (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--show", defaultValue = "20", description = "Differences to list (default ${DEFAULT-VALUE}).")
    int show;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        AuditOptions options;
        try {
            options = new AuditOptions(bootstrapServers, registry, database, databaseUser, databasePassword, applicationId,
                    attempts, retryInterval, timeout, show);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return AuditReport.CANNOT_RUN;
        }
        out.printf("Auditing %s: Kafka %s, registry %s, PostgreSQL %s ...%n", applicationId, bootstrapServers, registry,
                database);
        try {
            AuditReport report = Audit.run(options);
            report.print(out);
            return report.exitCode();
        } catch (AuditException e) {
            System.err.println("Cannot audit: " + e.getMessage());
            return AuditReport.CANNOT_RUN;
        }
    }
}
