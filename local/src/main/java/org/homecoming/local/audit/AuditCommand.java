package org.homecoming.local.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.homecoming.local.Postgres;
import org.homecoming.local.security.KafkaAccess;
import org.homecoming.local.security.Secrets;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
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

    @Option(names = "--kafka-security-protocol", defaultValue = "${env:KAFKA_SECURITY_PROTOCOL:-PLAINTEXT}",
            description = "PLAINTEXT, or SASL_PLAINTEXT / SASL_SSL for a secured broker (default ${DEFAULT-VALUE}, or "
                    + "$KAFKA_SECURITY_PROTOCOL).")
    String kafkaSecurityProtocol;

    @Option(names = "--kafka-sasl-username", defaultValue = "${env:KAFKA_SASL_USERNAME:-}",
            description = "A principal that may read every topic and describe the counting group, e.g. kafka-admin "
                    + "(default $KAFKA_SASL_USERNAME).")
    String kafkaUsername;

    @Option(names = "--kafka-sasl-password", defaultValue = "${env:KAFKA_SASL_PASSWORD:-}",
            description = "Its SCRAM-SHA-512 password (default $KAFKA_SASL_PASSWORD).")
    String kafkaPassword;

    @Option(names = "--secure", description = "Audit the embedded stack of `up --secure`: SASL_PLAINTEXT as kafka-admin, "
            + "its password from --secrets-dir.")
    boolean secure;

    @Option(names = "--secrets-dir", defaultValue = ".homecoming/secrets",
            description = "Where `up --secure` keeps its passwords (default ${DEFAULT-VALUE}).")
    Path secretsDir;

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

    private KafkaClientSecurity kafkaSecurity() throws IOException {
        if (secure) {
            Secrets secrets = Secrets.in(secretsDir);
            if (!Files.exists(secrets.file(KafkaAccess.ADMIN)) && System.getenv(Secrets.variable(KafkaAccess.ADMIN)) == null) {
                throw new IOException("no password of " + KafkaAccess.ADMIN + " in " + secrets.dir()
                        + " (start the stack with `up --secure` first)");
            }
            return KafkaAccess.client(secrets, KafkaAccess.ADMIN);
        }
        return new KafkaClientSecurity(kafkaSecurityProtocol, KafkaClientSecurity.SCRAM_SHA_512, kafkaUsername, kafkaPassword);
    }

    /**
     * A secured embedded stack asks every PostgreSQL account for its password: the audit reads as the owner, whose
     * password {@code up --secure} keeps beside Kafka's.
     */
    private AuditOptions securedDatabase(KafkaClientSecurity kafka) throws IOException {
        Secrets secrets = Secrets.in(secretsDir);
        if (!Files.exists(secrets.file(Postgres.OWNER)) && System.getenv(Secrets.variable(Postgres.OWNER)) == null) {
            throw new IOException("no password of " + Postgres.OWNER + " in " + secrets.dir()
                    + " (start the stack with `up --secure` first)");
        }
        String user = Postgres.SUPERUSER.equals(databaseUser) ? Postgres.OWNER : databaseUser;
        return new AuditOptions(bootstrapServers, registry, database, user, secrets.password(user), applicationId, attempts,
                retryInterval, timeout, show, kafka);
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        AuditOptions options;
        try {
            options = secure && databasePassword.isEmpty() ? securedDatabase(kafkaSecurity()) : new AuditOptions(
                    bootstrapServers, registry, database, databaseUser, databasePassword, applicationId, attempts,
                    retryInterval, timeout, show, kafkaSecurity());
        } catch (IOException e) {
            System.err.println("Cannot read the Kafka password: " + e.getMessage());
            return AuditReport.CANNOT_RUN;
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
