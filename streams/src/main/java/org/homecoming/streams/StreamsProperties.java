package org.homecoming.streams;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the streams service ({@code homecoming.streams.*}).
 *
 * @param bootstrapServers  Kafka bootstrap servers
 * @param schemaRegistryUrl schema registry base URL(s)
 * @param applicationId     Kafka Streams application id: names the consumer group and internal topics
 * @param stateDir          where local state stores live
 * @param replicationFactor replication factor of internal topics (1 on a single broker)
 * @param threads           stream threads in this instance
 * @param commitInterval    how often a transaction commits; bounds the latency of a count. 250 ms, not Kafka's
 *                          100 ms: less CPU per event and a smaller backlog at the bench's limit, for a quarter
 *                          second of latency (docs/tuning.md, changes 2 and 6)
 * @param flushInterval     how often the local phase of the totals sends its changed partials to the global
 *                          phase; a count waits up to this long before its commit carries it on. 250 ms, one
 *                          commit interval: 3.7 partials per event instead of 4.5 at 100 ms, for a quarter second
 *                          more latency (docs/tuning.md, change 14)
 * @param maxRecordFailures how many times one record may fail with a transient error (each time on a fresh stream
 *                          thread) before the application stops rather than replay it again; a deterministic failure
 *                          stops it at once
 * @param kafkaSecurity     how the counting application authenticates to Kafka (PLAINTEXT when absent)
 */
@Validated
@ConfigurationProperties("homecoming.streams")
public record StreamsProperties(
        @NotBlank String bootstrapServers,
        @NotBlank String schemaRegistryUrl,
        @NotBlank @DefaultValue("homecoming-totals") String applicationId,
        @NotNull Path stateDir,
        @Min(1) @DefaultValue("1") int replicationFactor,
        @Min(1) @DefaultValue("1") int threads,
        @NotNull @DefaultValue("250ms") Duration commitInterval,
        @NotNull @DefaultValue("250ms") Duration flushInterval,
        @Min(1) @DefaultValue("3") int maxRecordFailures,
        KafkaClientSecurity kafkaSecurity) {

    public StreamsProperties {
        kafkaSecurity = KafkaClientSecurity.orNone(kafkaSecurity);
    }
}
