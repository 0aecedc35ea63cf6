package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Expected;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Totals;
import org.homecoming.producer.simulator.SimulationTarget;
import org.homecoming.schemas.region.Regions;
import org.junit.jupiter.api.Test;

class SeedComparisonTest {

    private final Expected expected = ProvinceYearSimulation.plan(
            ProvinceYearSimulation.Options.withDefaultNoise(0.01, 42), Regions.shanxi()).expected();

    @Test
    void the_figures_the_replay_must_end_with_are_exact_and_printed_beside_china_daily() {
        SeedComparison comparison = comparison(expected.province(), expected.duplicates(), rejected());

        assertThat(comparison.exact()).isTrue();
        String printed = print(comparison);
        assertThat(printed).contains("China Daily, 2021-03-15", "expected at this scale", "PostgreSQL", "query API")
                .containsPattern("returnees +807,000 +8,070 +8,070 +8,070  exact")
                .containsPattern("trained +38,000 +380 +380 +380  exact")
                .containsPattern("loans \\(10,000 yuan\\) +— +6,061\\.4 +6,061\\.4 +6,061\\.4  exact")
                .containsPattern("UNKNOWN_RETRACTION_TARGET +2 +— +2  exact")
                .containsPattern("UNKNOWN_TOWNSHIP +3 +3 +—  exact")
                .contains("Duplicates absorbed (resent with the same eventId): 225 expected, 225 = ")
                .contains("OK: every figure is exact")
                .doesNotContain("DIFFERENT");
    }

    @Test
    void one_figure_off_anywhere_is_not_exact_and_is_marked() {
        Totals province = expected.province();
        Totals oneShort = new Totals(province.returnees(), province.employedNearHome(), province.businessesStarted(),
                province.guaranteedLoansFen() - 1, province.jobsCreated(), province.trained());

        assertThat(comparison(oneShort, expected.duplicates(), rejected()).exact()).isFalse();
        assertThat(print(comparison(oneShort, expected.duplicates(), rejected()))).contains("DIFFERENT", "MISMATCH");
        assertThat(comparison(province, expected.duplicates() - 1, rejected()).exact()).isFalse();
        assertThat(comparison(province, expected.duplicates(), Map.of()).exact()).isFalse();
    }

    @Test
    void money_prints_as_ten_thousand_yuan_exact_to_the_fen() {
        assertThat(SeedComparison.wan(61_991_300_000L)).isEqualTo("61,991.3");
        assertThat(SeedComparison.wan(1)).isEqualTo("0.000001");
        assertThat(SeedComparison.wan(0)).isEqualTo("0");
    }

    private Map<String, Long> rejected() {
        return Map.of(ProvinceYearSimulation.COUNTING_ONLY_REASON, expected.rejectedByCounting());
    }

    /** What the pipeline would hold; the ledger is sized so that the duplicates come out as given. */
    private SeedComparison comparison(Totals province, long duplicates, Map<String, Long> rejected) {
        long accepted = expected.events() - expected.refusedByGateway();
        long rejectedCount = rejected.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> refused = new TreeMap<>(expected.invalidByReason());
        refused.remove(ProvinceYearSimulation.COUNTING_ONLY_REASON);
        return new SeedComparison(0.01, expected, new SimulationTarget.Delivery(expected.events(), accepted,
                expected.refusedByGateway(), 0), refused, new SeedComparison.Observed(province, province,
                new HashMap<>(expected.byCity()), rejected, accepted - duplicates - rejectedCount), Duration.ofSeconds(9));
    }

    private static String print(SeedComparison comparison) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        comparison.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
