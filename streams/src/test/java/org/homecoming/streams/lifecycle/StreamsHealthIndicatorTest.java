package org.homecoming.streams.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Readiness: up only when the client runs, out of service on the way, down once it stopped on a failure. */
class StreamsHealthIndicatorTest {

    private static final Map<String, Object> NONE = Map.of();

    @Test
    void only_a_running_client_is_ready() {
        assertThat(status(State.RUNNING, null)).isEqualTo(Status.UP);
        assertThat(status(State.CREATED, null)).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(status(State.REBALANCING, null)).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(status(State.PENDING_SHUTDOWN, null)).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(status(State.NOT_RUNNING, null)).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(status(null, null)).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(StreamsHealthIndicator.readiness(null, null, Optional.empty(), 0, NONE).getDetails())
                .containsEntry("state", "NOT_STARTED");
    }

    @Test
    void where_restores_are_tracked_a_running_client_still_restoring_is_not_ready() {
        assertThat(status(State.RUNNING, 0)).isEqualTo(Status.UP);
        assertThat(status(State.RUNNING, 2)).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(StreamsHealthIndicator.readiness(State.RUNNING, 2, Optional.empty(), 0, Map.of("applicationServer", "h:1"))
                .getDetails()).containsEntry("restoringPartitions", 2).containsEntry("applicationServer", "h:1");
    }

    @Test
    void a_client_in_error_is_down() {
        assertThat(status(State.ERROR, null)).isEqualTo(Status.DOWN);
        assertThat(status(State.PENDING_ERROR, null)).isEqualTo(Status.DOWN);
    }

    @Test
    void after_a_fatal_failure_readiness_is_down_with_the_record_position_and_the_exception_class_only() {
        FatalFailure fatal = new FatalFailure(new RecordPosition("homecoming.registrations", 4, 1_234),
                "java.lang.ArithmeticException", "deterministic failure", Instant.parse("2021-03-15T04:00:00Z"));

        Health health = StreamsHealthIndicator.readiness(State.PENDING_ERROR, null, Optional.of(fatal), 0, NONE);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails())
                .containsEntry("state", "PENDING_ERROR")
                .containsEntry("failedRecord", Map.of("topic", "homecoming.registrations", "partition", 4, "offset", 1_234L))
                .containsEntry("exception", "java.lang.ArithmeticException")
                .containsEntry("reason", "deterministic failure");
    }

    @Test
    void the_indicator_reads_the_running_client_and_the_failures_of_its_application() {
        RunningStreams notStarted = new RunningStreams();
        StreamsFailureHandler failures = new StreamsFailureHandler("test", 3, Clock.systemUTC());
        StreamsHealthIndicator indicator = new StreamsHealthIndicator(notStarted, failures, new RestoringPartitions(),
                Map.of("applicationServer", "localhost:8082"));

        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(indicator.health().getDetails()).containsEntry("applicationServer", "localhost:8082")
                .containsEntry("threadReplacements", 0);

        assertThat(failures.handle(new ArithmeticException("long overflow")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(indicator.health().getDetails()).containsEntry("exception", "java.lang.ArithmeticException")
                .doesNotContainKey("failedRecord");
    }

    @Test
    void the_restore_tracker_counts_partitions_until_they_end_or_are_suspended() {
        RestoringPartitions tracker = new RestoringPartitions();
        TopicPartition p0 = new TopicPartition("homecoming.totals", 0);
        TopicPartition p1 = new TopicPartition("homecoming.totals", 1);
        tracker.onRestoreStart(p0, "totals-view-store", 0, 100);
        tracker.onRestoreStart(p1, "totals-view-store", 0, 100);
        tracker.onBatchRestored(p0, "totals-view-store", 50, 50);
        assertThat(tracker.count()).isEqualTo(2);
        tracker.onRestoreEnd(p0, "totals-view-store", 100);
        assertThat(tracker.count()).isEqualTo(1);
        tracker.onRestoreSuspended(p1, "totals-view-store", 10);
        assertThat(tracker.count()).isZero();
    }

    private static Status status(State state, Integer restoring) {
        return StreamsHealthIndicator.readiness(state, restoring, Optional.empty(), 0, NONE).getStatus();
    }
}
