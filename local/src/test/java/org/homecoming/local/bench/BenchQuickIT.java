package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.homecoming.local.HomecomingCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./homecoming bench --quick} end to end on a real embedded stack: it completes, the totals in
 * PostgreSQL equal the workload's, and the JSON holds every figure. Speeds are never asserted.
 */
class BenchQuickIT {

    @TempDir
    Path dir;

    @Test
    void a_quick_bench_completes_with_exact_totals_and_writes_every_figure() throws IOException {
        Path out = dir.resolve("results");
        int exit = new CommandLine(new HomecomingCommand())
                .execute("bench", "--quick", "--out", out.toString(), "--data-dir", dir.resolve("data").toString());

        assertThat(exit).isZero();
        DocumentContext json = JsonPath.parse(Files.readString(onlyJson(out)));

        assertThat(json.read("$.options.quick", Boolean.class)).isTrue();
        for (String figure : List.of("$.yardsticks.produceRecordsPerSecond", "$.yardsticks.countRecordsPerSecond",
                "$.yardsticks.cpuSecondsPerMillionRecords", "$.endToEnd.eventsPerSecond", "$.endToEnd.sendEventsPerSecond",
                "$.endToEnd.ratioToBareCount", "$.endToEnd.cpuSecondsPerMillionEvents.jvm",
                "$.endToEnd.cpuSecondsPerMillionEvents.postgres", "$.endToEnd.cpuSecondsPerMillionEvents.total",
                "$.endToEnd.generateSeconds", "$.endToEnd.preparedBytes", "$.endToEnd.sendRatioToRawProduce",
                "$.latency.achievedEventsPerSecond", "$.latency.cpuSecondsPerMillionEvents.total",
                "$.latency.generatorEventsPerSecond",
                "$.resources.jvmPeakRssBytes", "$.resources.postgresPeakRssBytes", "$.resources.totalPeakRssBytes")) {
            assertThat(json.read(figure, Double.class)).as(figure).isPositive();
        }

        assertThat(json.read("$.endToEnd.totalsEqual", Boolean.class)).isTrue();
        assertThat(json.read("$.endToEnd.events", Long.class)).isEqualTo(5_000L);
        Map<String, Object> expected = json.read("$.endToEnd.expected");
        assertThat(expected).containsEntry("returnees", 5_000).isEqualTo(json.read("$.endToEnd.stored"));
        assertThat(json.read("$.latency.eventsSent", Long.class)).isEqualTo(5_000L);

        List<String> verdicts = json.read("$.targets[*].verdict");
        assertThat(verdicts).hasSize(5).allMatch(v -> List.of("met", "missed", "not measured").contains(v));
        List<Boolean> atConditions = json.read("$.targets[*].atTargetConditions");
        assertThat(atConditions).as("a quick run is never at the targets' conditions").containsOnly(false);

        List<Map<String, Object>> targets = json.read("$.latency.targets");
        assertThat(targets).extracting(t -> t.get("target")).containsExactly("totals topic", "query API", "PostgreSQL");
        for (Map<String, Object> target : targets) {
            if (!(Boolean) target.get("available")) {
                assertThat(target.get("target")).as("only the query API may be absent").isEqualTo("query API");
                assertThat((String) target.get("unavailableReason")).isNotBlank();
                continue;
            }
            assertThat(((Number) target.get("probesSent")).longValue()).isEqualTo(50L);
            // a slow machine may still be draining the last probes at the timeout: never a speed assertion
            assertThat(((Number) target.get("probesSeen")).longValue()).as("probes seen in %s", target.get("target"))
                    .isBetween(1L, 50L);
            double p50 = ((Number) target.get("p50Millis")).doubleValue();
            double p99 = ((Number) target.get("p99Millis")).doubleValue();
            double max = ((Number) target.get("maxMillis")).doubleValue();
            assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo(max);
        }
    }

    private static Path onlyJson(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            List<Path> json = files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
            assertThat(json).hasSize(1);
            return json.get(0);
        }
    }
}
