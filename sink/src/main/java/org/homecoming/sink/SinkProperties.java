package org.homecoming.sink;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sink service ({@code homecoming.sink.*}).
 *
 * @param bootstrapServers  Kafka bootstrap servers
 * @param schemaRegistryUrl schema registry base URL(s)
 * @param groupId           consumer group; positions live in PostgreSQL, the group only assigns partitions
 * @param pollTimeout       longest wait for records in one poll
 * @param maxPollRecords    most records one poll (and so one transaction) takes
 * @param maxPollInterval   longest time between polls before the group drops the member; a write that waits for
 *                          PostgreSQL (the pool's {@code connection-timeout}) must fit in it, while the back-off
 *                          between attempts keeps polling
 * @param retryInitial      first back-off after PostgreSQL refused a batch
 * @param retryMax          longest back-off between attempts, and so the longest the sink may take to notice that
 *                          PostgreSQL is back
 * @param instanceId        static group membership id ({@code group.instance.id}), so a restarted instance takes
 *                          its partitions back at once; empty for dynamic membership
 * @param sessionTimeout    how long the group waits for a silent instance before reassigning its partitions
 * @param statementForm     how batches of totals upserts are sent to PostgreSQL (see {@code SinkBenchmarkMain}); the
 *                          ledger is always bulk-loaded with {@code COPY}
 * @param kafkaSecurity     how the sink's consumer and dead-letter producer authenticate to Kafka (PLAINTEXT when absent)
 */
@Validated
@ConfigurationProperties("homecoming.sink")
public record SinkProperties(
        @NotBlank String bootstrapServers,
        @NotBlank String schemaRegistryUrl,
        @NotBlank @DefaultValue("homecoming-sink") String groupId,
        @NotNull @DefaultValue("200ms") Duration pollTimeout,
        @Min(1) @DefaultValue("5000") int maxPollRecords,
        @NotNull @DefaultValue("5m") Duration maxPollInterval,
        @NotNull @DefaultValue("100ms") Duration retryInitial,
        @NotNull @DefaultValue("5s") Duration retryMax,
        @DefaultValue("") String instanceId,
        @NotNull @DefaultValue("45s") Duration sessionTimeout,
        @NotNull @DefaultValue("UNNEST") StatementForm statementForm,
        KafkaClientSecurity kafkaSecurity) {

    public SinkProperties {
        kafkaSecurity = KafkaClientSecurity.orNone(kafkaSecurity);
    }
}
