package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyTrackerTest {

    @Test
    void each_probe_is_visible_when_the_count_first_grows_past_it() {
        LatencyRun.Probes probes = new LatencyRun.Probes(10);
        LatencyRun.Tracker tracker = new LatencyRun.Tracker(probes, 100);
        probes.sent(1_000_000);
        probes.sent(2_000_000);
        probes.sent(3_000_000);

        tracker.observe(100, 5_000_000);
        assertThat(tracker.seen()).isZero();
        tracker.observe(102, 12_000_000);
        tracker.observe(102, 20_000_000);
        tracker.observe(103, 33_000_000);

        assertThat(tracker.seen()).isEqualTo(3);
        assertThat(tracker.histogram().getTotalCount()).isEqualTo(3);
        assertThat(tracker.histogram().getMinValue()).isEqualTo(10_000); // probe 2: 12 ms - 2 ms, in µs
        assertThat(tracker.histogram().getMaxValue()).isBetween(30_000L, 30_100L); // probe 3: 33 ms - 3 ms
        LatencyStats stats = LatencyStats.of("PostgreSQL", 3, tracker.histogram());
        assertThat(stats.probesSeen()).isEqualTo(3);
        assertThat(stats.p50Millis()).isBetween(10.9, 11.1);
        assertThat(stats.measured()).isTrue();
    }

    @Test
    void a_count_ahead_of_the_probes_sent_credits_only_the_probes_sent() {
        LatencyRun.Probes probes = new LatencyRun.Probes(10);
        LatencyRun.Tracker tracker = new LatencyRun.Tracker(probes, 0);
        probes.sent(1_000);

        tracker.observe(5, 2_000);

        assertThat(tracker.seen()).isEqualTo(1);
    }

    @Test
    void a_target_that_saw_nothing_has_no_percentiles() {
        LatencyStats stats = LatencyStats.of("query API", 4, new org.HdrHistogram.Histogram(3));
        assertThat(stats.measured()).isFalse();
        assertThat(stats.p99Millis()).isNaN();
        assertThat(LatencyStats.notAvailable("query API", "HTTP 404", 4).unavailable()).contains("HTTP 404");
    }
}
