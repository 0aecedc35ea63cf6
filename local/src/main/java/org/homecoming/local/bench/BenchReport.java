package org.homecoming.local.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one benchmark run measured, as the table the command prints and as JSON.
 *
 * @param startedAt     when the run started
 * @param environment   cores, Java, OS
 * @param options       the run's settings
 * @param produce       yardstick (a): raw produce
 * @param count         yardstick (b): bare exactly-once count
 * @param yardstickCpu  CPU of (a) and (b) together
 * @param workload      description of the end-to-end workload
 * @param endToEnd      end-to-end throughput
 * @param endToEndCpu   CPU of the end-to-end phase
 * @param latency       latency phase
 * @param latencyCpu    CPU of the latency phase
 * @param jvmPeakRss    peak RSS of the JVM (broker, registry, services and the bench harness with its
 *                      pre-serialised records), bytes
 * @param postgresPeakRss peak RSS of PostgreSQL, bytes
 */
public record BenchReport(Instant startedAt, Environment environment, BenchOptions options, Yardsticks.Rate produce,
                          Yardsticks.Rate count, ResourceMeter.Cpu yardstickCpu, String workload,
                          EndToEnd.Result endToEnd, ResourceMeter.Cpu endToEndCpu, LatencyRun.Result latency,
                          ResourceMeter.Cpu latencyCpu, long jvmPeakRss, long postgresPeakRss) {

    /**
     * The machine.
     *
     * @param cores  available processors
     * @param java   Java version
     * @param os     operating system
     * @param maxHeap JVM max heap, bytes
     */
    public record Environment(int cores, String java, String os, long maxHeap) {
        public static Environment current() {
            return new Environment(Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().maxMemory());
        }
    }

    /** End-to-end events/s over the bare count's records/s. */
    public double ratioToBareCount() {
        return endToEnd.eventsPerSecond() / count.perSecond();
    }

    /** JVM and PostgreSQL together, bytes; -1 when either is unknown. */
    public long totalPeakRssBytes() {
        return jvmPeakRss < 0 || postgresPeakRss < 0 ? -1 : jvmPeakRss + postgresPeakRss;
    }

    /** CPU of the end-to-end phase (JVM and PostgreSQL) per million events; NaN when unknown. */
    public double endToEndCpuSecondsPerMillion() {
        return perMillion(endToEndCpu.totalNanos(), endToEnd.events());
    }

    /** Every issue-13 target with this run's figure and verdict. */
    public List<Targets.Target> targets() {
        return Targets.judge(this);
    }

    static double perMillion(long nanos, long events) {
        return nanos < 0 || events <= 0 ? Double.NaN : nanos / 1e9 / (events / 1e6);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static double mib(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / (1024.0 * 1024.0);
    }

    /** The printed table, README-ready. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Homecoming benchmark%s, %s: %d cores, Java %s, %s, heap max %,.0f MiB",
                options.quick() ? " (--quick)" : "", startedAt, environment.cores(), environment.java(), environment.os(),
                mib(environment.maxHeap())));
        lines.add("");
        lines.add("1. Yardsticks on the same broker (6 partitions, 150-byte records)");
        lines.add(String.format("   raw produce, acks=all, idempotent      %,11d records %,10.0f records/s",
                produce.records(), produce.perSecond()));
        lines.add(String.format("   bare Streams groupBy().count(), EOS v2 %,11d records %,10.0f records/s",
                count.records(), count.perSecond()));
        lines.add("");
        lines.add("2. End to end: " + workload);
        lines.add(String.format("   generated and serialised before the clock started, in %.1f s: %,.0f MiB on disk "
                        + "(%,.0f bytes a record), not in the figures below", seconds(endToEnd.generateTime()),
                mib(endToEnd.preparedBytes()), (double) endToEnd.preparedBytes() / Math.max(1, endToEnd.events())));
        lines.add(String.format("   sent to Kafka in %.1f s (%,.0f events/s = %.2f x the raw produce rate)",
                seconds(endToEnd.sendTime()), endToEnd.sendPerSecond(), endToEnd.sendPerSecond() / produce.perSecond()));
        lines.add(String.format("   PostgreSQL province totals %s after %.1f s: %,.0f events/s = %.2f x the bare count",
                endToEnd.matched() ? "equal to the expected" : "NOT EQUAL to the expected", seconds(endToEnd.elapsed()),
                endToEnd.eventsPerSecond(), ratioToBareCount()));
        if (!endToEnd.matched()) {
            lines.add("   expected: " + endToEnd.expected());
            lines.add("   stored:   " + endToEnd.stored());
        }
        lines.add("");
        long probes = latency.targets().isEmpty() ? 0 : latency.targets().get(0).probesSent();
        lines.add(String.format("3. Latency, produced -> visible, at %,d events/s for %d s (%,d events sent at %,.0f/s, "
                + "%,d probes)", options.rate(), options.duration().toSeconds(), latency.eventsSent(),
                latency.achievedRate(), probes));
        lines.add(String.format("   load generator: %.1f CPU s for %,d events (%,.0f events/s on one core), %,d sends waited "
                        + "for it, the latest send %.1f ms behind schedule", seconds(latency.generatorBusy()),
                latency.eventsSent(), latency.generatorCapacity(), latency.generatorBehind(),
                latency.maxBehindSchedule().toNanos() / 1e6));
        lines.add(String.format("   %-14s %9s %9s %9s %9s", "visible in", "probes", "p50 ms", "p99 ms", "max ms"));
        for (LatencyStats stats : latency.targets()) {
            if (stats.unavailable().isPresent()) {
                lines.add(String.format("   %-14s n/a (%s)", stats.target(), stats.unavailable().get()));
            } else {
                lines.add(String.format(Locale.ROOT, "   %-14s %9s %9.1f %9.1f %9.1f", stats.target(),
                        stats.probesSeen() + "/" + stats.probesSent(), stats.p50Millis(), stats.p99Millis(),
                        stats.maxMillis()));
            }
        }
        lines.add("");
        lines.add("4. Resources");
        lines.add(String.format("   peak RSS: JVM %,.0f MiB + PostgreSQL %,.0f MiB = %,.0f MiB", mib(jvmPeakRss),
                mib(postgresPeakRss), mib(jvmPeakRss) + mib(postgresPeakRss)));
        lines.add(String.format("   (the bench harness runs in the stack's JVM, so its RSS includes the load generators; the "
                + "%,.0f MiB of end-to-end records wait on disk, read back 1 MiB at a time)", mib(endToEnd.preparedBytes())));
        lines.add(String.format("   CPU s per million events: yardsticks %.1f, end to end %.1f (JVM %.1f + PostgreSQL %.1f), "
                        + "latency phase %.1f",
                perMillion(yardstickCpu.totalNanos(), produce.records()),
                perMillion(endToEndCpu.totalNanos(), endToEnd.events()),
                perMillion(endToEndCpu.jvmNanos(), endToEnd.events()),
                perMillion(endToEndCpu.postgresNanos(), endToEnd.events()),
                perMillion(latencyCpu.totalNanos(), latency.eventsSent())));
        lines.add("");
        lines.add("5. Targets (issue 13)");
        lines.add(String.format("   %-38s %11s %12s  %s", "figure", "measured", "target", "verdict"));
        for (Targets.Target target : targets()) {
            lines.add(String.format("   %-38s %11s %12s  %s%s", target.figure(), number(target.measured(), target.unit()),
                    (target.atMost() ? "<= " : ">= ") + number(target.target(), target.unit()), target.verdict().label(),
                    target.note().map(note -> " (" + note + ")").orElse("")));
        }
        return lines;
    }

    private static String number(double value, String unit) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (unit.equals("x")) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, value == Math.rint(value) ? "%,.0f" : "%,.1f", value);
    }

    /** The results as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("startedAt", startedAt.toString());
        root.put("environment", ordered("cores", environment.cores(), "java", environment.java(), "os", environment.os(),
                "maxHeapBytes", environment.maxHeap()));
        root.put("options", ordered("quick", options.quick(), "scale", options.scale(), "events", options.endToEndEvents(),
                "yardstickRecords", options.yardstickRecords(), "rate", options.rate(),
                "durationSeconds", options.duration().toSeconds(), "probesPerSecond", options.probesPerSecond(),
                "seed", options.seed()));
        root.put("yardsticks", ordered(
                "records", produce.records(),
                "produceSeconds", seconds(produce.elapsed()),
                "produceRecordsPerSecond", produce.perSecond(),
                "countSeconds", seconds(count.elapsed()),
                "countRecordsPerSecond", count.perSecond(),
                "cpuSecondsPerMillionRecords", perMillion(yardstickCpu.totalNanos(), produce.records())));
        root.put("endToEnd", ordered(
                "workload", workload,
                "events", endToEnd.events(),
                "totalsEqual", endToEnd.matched(),
                "expected", totals(endToEnd.expected()),
                "stored", totals(endToEnd.stored()),
                "generateSeconds", seconds(endToEnd.generateTime()),
                "preparedBytes", endToEnd.preparedBytes(),
                "sendSeconds", seconds(endToEnd.sendTime()),
                "sendEventsPerSecond", endToEnd.sendPerSecond(),
                "sendRatioToRawProduce", endToEnd.sendPerSecond() / produce.perSecond(),
                "seconds", seconds(endToEnd.elapsed()),
                "eventsPerSecond", endToEnd.eventsPerSecond(),
                "ratioToBareCount", ratioToBareCount(),
                "cpuSecondsPerMillionEvents", cpu(endToEndCpu, endToEnd.events())));
        List<Object> targets = new ArrayList<>();
        for (LatencyStats stats : latency.targets()) {
            targets.add(ordered("target", stats.target(), "available", stats.unavailable().isEmpty(),
                    "unavailableReason", stats.unavailable().orElse(null), "probesSent", stats.probesSent(),
                    "probesSeen", stats.probesSeen(), "p50Millis", stats.p50Millis(), "p99Millis", stats.p99Millis(),
                    "maxMillis", stats.maxMillis()));
        }
        root.put("latency", ordered(
                "rate", options.rate(),
                "durationSeconds", options.duration().toSeconds(),
                "eventsSent", latency.eventsSent(),
                "achievedEventsPerSecond", latency.achievedRate(),
                "generatorCpuSeconds", seconds(latency.generatorBusy()),
                "generatorEventsPerSecond", latency.generatorCapacity(),
                "sendsWaitingForGenerator", latency.generatorBehind(),
                "maxBehindScheduleMillis", latency.maxBehindSchedule().toNanos() / 1e6,
                "targets", targets,
                "cpuSecondsPerMillionEvents", cpu(latencyCpu, latency.eventsSent())));
        root.put("resources", ordered(
                "jvmPeakRssBytes", jvmPeakRss,
                "postgresPeakRssBytes", postgresPeakRss,
                "totalPeakRssBytes", totalPeakRssBytes(),
                "jvmIncludesBenchHarness", true));
        List<Object> verdicts = new ArrayList<>();
        for (Targets.Target target : targets()) {
            verdicts.add(ordered("key", target.key(), "figure", target.figure(), "unit", target.unit(),
                    "comparison", target.atMost() ? "<=" : ">=", "target", target.target(), "measured", target.measured(),
                    "verdict", target.verdict().label(), "met", target.verdict() == Targets.Verdict.MET,
                    "goal", target.goal(), "goalMet", target.goalVerdict().map(v -> v == Targets.Verdict.MET).orElse(null),
                    "atTargetConditions", target.atConditions(), "note", target.note().orElse(null)));
        }
        root.put("targets", verdicts);
        return root;
    }

    private static Map<String, Object> cpu(ResourceMeter.Cpu cpu, long events) {
        return ordered("jvm", perMillion(cpu.jvmNanos(), events), "postgres", perMillion(cpu.postgresNanos(), events),
                "total", perMillion(cpu.totalNanos(), events));
    }

    private static Map<String, Object> totals(ProvinceTotals totals) {
        return ordered("returnees", totals.returnees(), "employedNearHome", totals.employedNearHome(),
                "businessesStarted", totals.businessesStarted(), "guaranteedLoansFen", totals.guaranteedLoansFen(),
                "jobsCreated", totals.jobsCreated(), "trained", totals.trained());
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The JSON text. */
    public String toJson() {
        return Json.write(toMap());
    }
}
