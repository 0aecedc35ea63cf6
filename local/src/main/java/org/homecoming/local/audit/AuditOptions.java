package org.homecoming.local.audit;

import java.time.Duration;
import java.util.Objects;

import org.homecoming.schemas.kafka.KafkaClientSecurity;

/**
 * What to audit and how patiently.
 *
 * @param bootstrapServers Kafka
 * @param registryUrl      schema registry base URL(s)
 * @param jdbcUrl          the homecoming database
 * @param databaseUser     a user that may read {@code region_totals} and {@code registration_event}
 * @param databasePassword its password, empty for none
 * @param applicationId    the counting application's id: its consumer group and the prefix of its internal topics
 * @param attempts         audits to run before a difference counts, for a pipeline still catching up; the first
 *                         that agrees ends it, and each goes on reading from where the last stopped
 * @param retryInterval    pause between attempts
 * @param timeout          longest wait for an answer of Kafka or PostgreSQL, or for more records of a topic
 * @param listed           differences to list in the report
 * @param kafkaSecurity    how the audit authenticates to Kafka: on a secured broker a principal that may read every
 *                         topic and describe the counting group (the super user {@code kafka-admin})
 */
public record AuditOptions(String bootstrapServers, String registryUrl, String jdbcUrl, String databaseUser,
                           String databasePassword, String applicationId, int attempts, Duration retryInterval,
                           Duration timeout, int listed, KafkaClientSecurity kafkaSecurity) {

    /** The counting application's id unless told otherwise (StreamsProperties). */
    public static final String APPLICATION_ID = "homecoming-totals";

    public AuditOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(databaseUser, "databaseUser");
        databasePassword = databasePassword == null ? "" : databasePassword;
        Objects.requireNonNull(applicationId, "applicationId");
        kafkaSecurity = KafkaClientSecurity.orNone(kafkaSecurity);
        if (attempts < 1 || listed < 0 || retryInterval.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("attempts >= 1, listed >= 0, a positive timeout and a retry interval");
        }
    }

    /** The embedded stack's servers, as {@code ./homecoming up} runs them, with its superuser. */
    public static AuditOptions embeddedDefaults() {
        return of("localhost:9092", "http://localhost:8081", "jdbc:postgresql://localhost:15432/homecoming", "postgres", "");
    }

    /** These servers, with the defaults for the rest: 3 attempts 2 s apart, 30 s timeout, 20 differences listed. */
    public static AuditOptions of(String bootstrapServers, String registryUrl, String jdbcUrl, String databaseUser,
                                  String databasePassword) {
        return new AuditOptions(bootstrapServers, registryUrl, jdbcUrl, databaseUser, databasePassword, APPLICATION_ID, 3,
                Duration.ofSeconds(2), Duration.ofSeconds(30), 20, KafkaClientSecurity.NONE);
    }

    public AuditOptions withAttempts(int attempts, Duration retryInterval) {
        return new AuditOptions(bootstrapServers, registryUrl, jdbcUrl, databaseUser, databasePassword, applicationId,
                attempts, retryInterval, timeout, listed, kafkaSecurity);
    }

    public AuditOptions withTimeout(Duration timeout) {
        return new AuditOptions(bootstrapServers, registryUrl, jdbcUrl, databaseUser, databasePassword, applicationId,
                attempts, retryInterval, timeout, listed, kafkaSecurity);
    }

    public AuditOptions withKafkaSecurity(KafkaClientSecurity kafkaSecurity) {
        return new AuditOptions(bootstrapServers, registryUrl, jdbcUrl, databaseUser, databasePassword, applicationId,
                attempts, retryInterval, timeout, listed, kafkaSecurity);
    }
}
