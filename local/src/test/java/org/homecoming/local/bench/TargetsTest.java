package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TargetsTest {

    private static final long MIB = 1024L * 1024;

    /** A full-size run (the defaults) with the given figures. */
    private static BenchReport fullRun(double countPerSecond, double e2ePerSecond, double apiP99, double postgresP99,
                                       long postgresSeen, long rssBytes, long e2eCpuNanos) {
        BenchOptions options = BenchCommandTest.parse();
        long events = 1_000_000;
        return new BenchReport(Instant.parse("2026-12-01T05:00:00Z"), new BenchReport.Environment(2, "17", "Linux", 1L << 30),
                options, new Yardsticks.Rate(1_000_000, Duration.ofSeconds(4)),
                new Yardsticks.Rate(1_000_000, Duration.ofNanos((long) (1e15 / countPerSecond))),
                new ResourceMeter.Cpu(1, 1), "province-year replay",
                new EndToEnd.Result(events, ProvinceTotals.ZERO, ProvinceTotals.ZERO, Duration.ofSeconds(10), 150 * MIB,
                        Duration.ofSeconds(4), Duration.ofNanos((long) (events * 1e9 / e2ePerSecond))),
                new ResourceMeter.Cpu(e2eCpuNanos, 0),
                new LatencyRun.Result(600_000, Duration.ofSeconds(60), List.of(
                        new LatencyStats("totals topic", Optional.empty(), 300, 300, 10, 20, 30),
                        new LatencyStats("query API", Optional.empty(), 300, 300, 50, apiP99, 200),
                        new LatencyStats("PostgreSQL", Optional.empty(), 300, postgresSeen, 100, postgresP99, 400)),
                        Duration.ofSeconds(2), 0, Duration.ofMillis(1)),
                new ResourceMeter.Cpu(1, 1), rssBytes - 200 * MIB, 200 * MIB);
    }

    private static List<Targets.Verdict> verdicts(BenchReport report) {
        return report.targets().stream().map(Targets.Target::verdict).toList();
    }

    @Test
    void a_full_run_on_every_bound_meets_every_target_at_the_targets_conditions() {
        long rss = (long) (1.2 * 1024 * MIB);
        BenchReport report = fullRun(100_000, 50_000, 150, 300, 300, rss, 60_000_000_000L);

        assertThat(verdicts(report)).containsOnly(Targets.Verdict.MET).hasSize(5);
        assertThat(report.targets()).allMatch(Targets.Target::atConditions);
        Targets.Target ratio = report.targets().get(0);
        assertThat(ratio.measured()).isEqualTo(0.5);
        assertThat(ratio.goalVerdict()).contains(Targets.Verdict.MISSED);
        assertThat(ratio.note()).contains("goal beyond: 0.67 x, missed");
    }

    @Test
    void just_past_every_bound_misses_every_target() {
        long rss = (long) (1.2 * 1024 * MIB) + MIB;
        BenchReport report = fullRun(100_000, 49_900, 150.1, 300.1, 300, rss, 60_100_000_000L);

        assertThat(verdicts(report)).containsOnly(Targets.Verdict.MISSED).hasSize(5);
    }

    @Test
    void the_goal_beyond_is_judged_apart_from_the_target() {
        Targets.Target ratio = fullRun(100_000, 70_000, 1, 1, 300, 1024 * MIB, 1).targets().get(0);

        assertThat(ratio.verdict()).isEqualTo(Targets.Verdict.MET);
        assertThat(ratio.goalVerdict()).contains(Targets.Verdict.MET);
    }

    @Test
    void a_probe_never_seen_misses_the_latency_target_whatever_the_p99_of_the_seen_ones() {
        Targets.Target postgres = fullRun(100_000, 50_000, 100, 100, 299, 1024 * MIB, 1).targets().get(2);

        assertThat(postgres.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(postgres.note()).contains("1 of 300 probes not seen in time");
    }

    @Test
    void a_figure_that_was_not_measured_is_neither_met_nor_missed() {
        assertThat(Targets.compare(Double.NaN, 1, true)).isEqualTo(Targets.Verdict.NOT_MEASURED);
        assertThat(Targets.compare(1, 1, true)).isEqualTo(Targets.Verdict.MET);
        assertThat(Targets.compare(1, 1, false)).isEqualTo(Targets.Verdict.MET);
        assertThat(Targets.compare(0.9, 1, false)).isEqualTo(Targets.Verdict.MISSED);
    }

    @Test
    void a_smaller_run_is_judged_but_says_it_is_not_at_the_targets_conditions() {
        BenchOptions quick = BenchCommandTest.parse("--quick");
        BenchReport full = fullRun(100_000, 50_000, 100, 100, 300, 1024 * MIB, 1);
        BenchReport small = new BenchReport(full.startedAt(), full.environment(), quick, full.produce(), full.count(),
                full.yardstickCpu(), full.workload(), full.endToEnd(), full.endToEndCpu(), full.latency(), full.latencyCpu(),
                full.jvmPeakRss(), full.postgresPeakRss());

        assertThat(small.targets()).noneMatch(Targets.Target::atConditions);
        assertThat(small.targets().get(1).note()).contains("this run: 500 events/s for 10 s, not 10,000 for 60 s");
        assertThat(small.targets().get(0).note().orElseThrow()).contains("not the scale-1.0 replay");
        assertThat(verdicts(small)).containsOnly(Targets.Verdict.MET);
    }
}
