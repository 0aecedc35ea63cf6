package org.homecoming.streams.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of one Kafka Streams application, in the readiness health group: UP only while the client is RUNNING
 * (and, where restores are tracked, no store partition is restoring); OUT_OF_SERVICE while it starts, rebalances,
 * restores or stops; DOWN once it has failed (it stays so until the service is restarted), with the failed record's
 * position and the exception's class.
 */
public final class StreamsHealthIndicator implements HealthIndicator {

    private final RunningStreams streams;
    private final StreamsFailureHandler failures;
    private final RestoringPartitions restores;
    private final Map<String, Object> details;

    /**
     * @param restores the application's restore listener, or {@code null} when readiness does not wait for restores
     * @param details  fixed details to show (for the view, its {@code application.server})
     */
    public StreamsHealthIndicator(RunningStreams streams, StreamsFailureHandler failures, RestoringPartitions restores,
                                  Map<String, Object> details) {
        this.streams = streams;
        this.failures = failures;
        this.restores = restores;
        this.details = Map.copyOf(details);
    }

    @Override
    public Health health() {
        return readiness(streams.state(), restores == null ? null : restores.count(), failures.fatal(),
                failures.replacements(), details);
    }

    /**
     * The readiness of a client in {@code state}.
     *
     * @param restoringPartitions store partitions restoring, or {@code null} when not tracked
     * @param fatal               the failure that stopped the client, if one did
     * @param replacements        stream threads replaced after transient failures
     */
    static Health readiness(KafkaStreams.State state, Integer restoringPartitions, Optional<FatalFailure> fatal,
                            int replacements, Map<String, Object> details) {
        Health.Builder health;
        if (fatal.isPresent() || state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            health = Health.down();
        } else if (state == KafkaStreams.State.RUNNING && (restoringPartitions == null || restoringPartitions == 0)) {
            health = Health.up();
        } else {
            health = Health.outOfService();
        }
        health.withDetail("state", state == null ? "NOT_STARTED" : state.name());
        if (restoringPartitions != null) {
            health.withDetail("restoringPartitions", restoringPartitions);
        }
        health.withDetail("threadReplacements", replacements);
        health.withDetails(details);
        fatal.ifPresent(failure -> {
            if (failure.record() != null) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("topic", failure.record().topic());
                record.put("partition", failure.record().partition());
                record.put("offset", failure.record().offset());
                health.withDetail("failedRecord", record);
            }
            health.withDetail("exception", failure.exception());
            health.withDetail("reason", failure.reason());
            health.withDetail("failedAt", failure.at().toString());
        });
        return health.build();
    }
}
