package org.homecoming.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets of issue 13 and a run's verdict on each. A figure is judged whatever the run's sizes, but a
 * run smaller than the one the targets are set for (the defaults: the scale-1.0 replay, 10,000 events/s for
 * 60 s) says so beside its verdict: a latency met at 500 events/s is no evidence for 10,000.
 */
final class Targets {

    /** End to end over the bare count (1b). */
    static final double RATIO = 0.5;
    /** The goal beyond issue 13. */
    static final double GOAL_RATIO = 0.67;
    static final double QUERY_API_P99_MILLIS = 150;
    static final double POSTGRES_P99_MILLIS = 300;
    /** 1.2 GiB. */
    static final double RSS_MIB = 1.2 * 1024;
    static final double CPU_SECONDS_PER_MILLION = 60;
    static final int LATENCY_RATE = 10_000;
    static final long LATENCY_SECONDS = 60;
    static final double FULL_SCALE = 1.0;

    static final String QUERY_API = "query API";
    static final String POSTGRES = "PostgreSQL";

    private Targets() {
    }

    /** How a figure compares with its target. */
    enum Verdict {
        MET("met"), MISSED("missed"), NOT_MEASURED("not measured");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * One target and the run's figure.
     *
     * @param key          name in the JSON
     * @param figure       name in the table
     * @param unit         unit of {@code measured} and {@code target}
     * @param atMost       the figure must be at most the target (else at least)
     * @param target       the bound
     * @param goal         the bound beyond this issue; NaN when there is none
     * @param measured     the run's figure; NaN when not measured
     * @param verdict      met, missed or not measured
     * @param atConditions the run was as large as the target's conditions
     * @param note         what the reader needs beside the verdict (the goal beyond, unseen probes, smaller
     *                     conditions); empty when nothing
     */
    record Target(String key, String figure, String unit, boolean atMost, double target, double goal, double measured,
                  Verdict verdict, boolean atConditions, Optional<String> note) {

        /** The verdict against the goal beyond this issue; empty when there is none. */
        Optional<Verdict> goalVerdict() {
            return Double.isNaN(goal) ? Optional.empty() : Optional.of(compare(measured, goal, atMost));
        }
    }

    /** Every target with the report's figures. */
    static List<Target> judge(BenchReport report) {
        BenchOptions options = report.options();
        boolean fullWorkload = !options.quick() && options.events() <= 0 && options.scale() >= FULL_SCALE;
        boolean fullLatency = options.rate() >= LATENCY_RATE && options.duration().toSeconds() >= LATENCY_SECONDS;
        String workloadShort = String.format(Locale.ROOT, "this run: %,d events, not the scale-1.0 replay",
                report.endToEnd().events());
        String latencyShort = String.format(Locale.ROOT, "this run: %,d events/s for %d s, not %,d for %d s", options.rate(),
                options.duration().toSeconds(), LATENCY_RATE, LATENCY_SECONDS);

        List<Target> targets = new ArrayList<>();
        double ratio = report.ratioToBareCount();
        Verdict ratioVerdict = compare(ratio, RATIO, false);
        String goal = String.format(Locale.ROOT, "goal beyond: %.2f x, %s", GOAL_RATIO,
                compare(ratio, GOAL_RATIO, false).label());
        targets.add(new Target("endToEndRatioToBareCount", "end to end, x the bare count", "x", false, RATIO, GOAL_RATIO, ratio,
                ratioVerdict, fullWorkload, note(goal, fullWorkload ? null : workloadShort)));
        targets.add(latency(report, "queryApiP99Millis", QUERY_API, QUERY_API_P99_MILLIS, fullLatency, latencyShort));
        targets.add(latency(report, "postgresP99Millis", POSTGRES, POSTGRES_P99_MILLIS, fullLatency, latencyShort));
        double rss = report.totalPeakRssBytes() < 0 ? Double.NaN : report.totalPeakRssBytes() / (1024.0 * 1024.0);
        boolean fullRun = fullWorkload && fullLatency;
        targets.add(new Target("wholeStackPeakRssMib", "whole stack peak RSS, MiB", "MiB", true, RSS_MIB, Double.NaN, rss,
                compare(rss, RSS_MIB, true), fullRun,
                note("JVM + PostgreSQL; the JVM's includes the bench harness", fullRun ? null : "this run is not the full run")));
        double cpu = report.endToEndCpuSecondsPerMillion();
        targets.add(new Target("endToEndCpuSecondsPerMillionEvents", "CPU s per million events, end to end", "s", true,
                CPU_SECONDS_PER_MILLION, Double.NaN, cpu, compare(cpu, CPU_SECONDS_PER_MILLION, true), fullWorkload,
                note(null, fullWorkload ? null : workloadShort)));
        return targets;
    }

    private static Target latency(BenchReport report, String key, String targetName, double bound, boolean atConditions,
                                  String conditions) {
        String figure = "p99 produced -> " + targetName + ", ms";
        Optional<LatencyStats> found = report.latency().targets().stream()
                .filter(stats -> stats.target().equals(targetName)).findFirst();
        if (found.isEmpty() || found.get().unavailable().isPresent()) {
            String why = found.flatMap(LatencyStats::unavailable).orElse("no such target in this run");
            return new Target(key, figure, "ms", true, bound, Double.NaN, Double.NaN, Verdict.NOT_MEASURED, atConditions,
                    note(why, atConditions ? null : conditions));
        }
        LatencyStats stats = found.get();
        Verdict verdict = compare(stats.p99Millis(), bound, true);
        String unseen = null;
        if (stats.probesSeen() < stats.probesSent()) {
            // an unseen probe took longer than the drain timeout: the p99 of the seen ones would err low
            verdict = Verdict.MISSED;
            unseen = String.format(Locale.ROOT, "%,d of %,d probes not seen in time", stats.probesSent() - stats.probesSeen(),
                    stats.probesSent());
        }
        return new Target(key, figure, "ms", true, bound, Double.NaN, stats.p99Millis(), verdict, atConditions,
                note(unseen, atConditions ? null : conditions));
    }

    static Verdict compare(double measured, double bound, boolean atMost) {
        if (Double.isNaN(measured)) {
            return Verdict.NOT_MEASURED;
        }
        return (atMost ? measured <= bound : measured >= bound) ? Verdict.MET : Verdict.MISSED;
    }

    private static Optional<String> note(String first, String second) {
        if (first == null) {
            return Optional.ofNullable(second);
        }
        return Optional.of(second == null ? first : first + "; " + second);
    }
}
