package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** Readiness: down while the view starts, rebalances or restores; up only when it can answer. */
class TotalsViewReadinessTest {

    @Test
    void only_a_running_view_with_nothing_restoring_is_ready() {
        assertThat(TotalsViewService.readiness(KafkaStreams.State.RUNNING, 0, "h:1").getStatus()).isEqualTo(Status.UP);
        assertThat(TotalsViewService.readiness(KafkaStreams.State.RUNNING, 2, "h:1").getStatus())
                .isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(TotalsViewService.readiness(KafkaStreams.State.REBALANCING, 0, "h:1").getStatus())
                .isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(TotalsViewService.readiness(KafkaStreams.State.CREATED, 0, "h:1").getStatus())
                .isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(TotalsViewService.readiness(KafkaStreams.State.ERROR, 0, "h:1").getStatus())
                .isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(TotalsViewService.readiness(null, 0, "h:1").getDetails()).containsEntry("state", "NOT_STARTED");
    }

    @Test
    void a_view_not_started_is_out_of_service() {
        TotalsViewService view = new TotalsViewService(null, TotalsApiTest.streamsProperties(), TotalsApiTest.properties(1));
        assertThat(view.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(view.health().getDetails()).containsEntry("applicationServer", "localhost:8082");
    }

    @Test
    void the_restore_tracker_counts_partitions_until_they_end_or_are_suspended() {
        TotalsViewService.RestoreTracker tracker = new TotalsViewService.RestoreTracker();
        TopicPartition p0 = new TopicPartition("homecoming.totals", 0);
        TopicPartition p1 = new TopicPartition("homecoming.totals", 1);
        tracker.onRestoreStart(p0, "totals-view-store", 0, 100);
        tracker.onRestoreStart(p1, "totals-view-store", 0, 100);
        tracker.onBatchRestored(p0, "totals-view-store", 50, 50);
        assertThat(tracker.restoring()).isEqualTo(2);
        tracker.onRestoreEnd(p0, "totals-view-store", 100);
        assertThat(tracker.restoring()).isEqualTo(1);
        tracker.onRestoreSuspended(p1, "totals-view-store", 10);
        assertThat(tracker.restoring()).isZero();
    }
}
