package org.homecoming.local;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Expected;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Totals;
import org.homecoming.producer.simulator.SimulationTarget;

/**
 * The demo's verdict: the seed's figures (China Daily, 2021-03-15) beside what the replay at a scale must end with
 * and what PostgreSQL and the query API hold, the cities, the rejected records by reason and the duplicates absorbed.
 * Exact only when every figure is.
 *
 * @param scale    the replay's scale
 * @param expected what the replay must end with
 * @param delivery what the gateway answered
 * @param refused  the gateway's refusals by error code
 * @param observed what the pipeline holds
 * @param elapsed  from the first record planned to this comparison
 */
record SeedComparison(double scale, Expected expected, SimulationTarget.Delivery delivery, Map<String, Long> refused,
                      Observed observed, Duration elapsed) {

    /**
     * What the pipeline holds.
     *
     * @param postgres   the province's all-time totals in PostgreSQL
     * @param api        the same from the query API (all -1 while it cannot answer)
     * @param cities     each city's all-time totals in PostgreSQL
     * @param rejected   the counting application's rejections by reason, from the query API
     * @param ledgerRows accepted events in PostgreSQL's event ledger
     */
    record Observed(Totals postgres, Totals api, Map<String, Totals> cities, Map<String, Long> rejected, long ledgerRows) {
    }

    private static final String DASH = "—";

    /** Records the gateway acknowledged that changed nothing: neither in the ledger nor rejected. */
    long duplicatesAbsorbed() {
        return delivery.accepted() - observed.ledgerRows() - observed.rejected().values().stream().mapToLong(Long::longValue)
                .sum();
    }

    /** Rejections the replay must end with, by reason: the gateway's and the counting application's apart. */
    Map<String, Long> expectedRefused() {
        Map<String, Long> refusals = new TreeMap<>(expected.invalidByReason());
        refusals.remove(ProvinceYearSimulation.COUNTING_ONLY_REASON);
        return refusals;
    }

    Map<String, Long> expectedRejected() {
        return expected.rejectedByCounting() == 0 ? Map.of()
                : Map.of(ProvinceYearSimulation.COUNTING_ONLY_REASON, expected.rejectedByCounting());
    }

    boolean exact() {
        return delivery.failed() == 0
                && expected.province().equals(observed.postgres())
                && expected.province().equals(observed.api())
                && expected.byCity().equals(observed.cities())
                && expectedRefused().equals(refused)
                && expectedRejected().equals(observed.rejected())
                && duplicatesAbsorbed() == expected.duplicates();
    }

    void print(PrintStream out) {
        out.println();
        out.printf("Seed comparison, Shanxi (140000), all time, --scale %s:%n", scale);
        out.printf("  %-26s %24s %22s %14s %14s%n", "metric", "China Daily, 2021-03-15", "expected at this scale",
                "PostgreSQL", "query API");
        row(out, "returnees", ProvinceYearSimulation.SEED_RETURNEES, Totals::returnees, false);
        row(out, "employed near home", ProvinceYearSimulation.SEED_EMPLOYED, Totals::employedNearHome, false);
        row(out, "businesses started", ProvinceYearSimulation.SEED_BUSINESSES, Totals::businessesStarted, false);
        row(out, "trained", ProvinceYearSimulation.SEED_TRAINED, Totals::trained, false);
        row(out, "loans (10,000 yuan)", -1, Totals::guaranteedLoansFen, true);
        row(out, "jobs created", -1, Totals::jobsCreated, false);
        boolean cities = expected.byCity().equals(observed.cities());
        out.printf("  %-26s %24s %22s %14s %14s  %s%n", "the 11 cities, each metric", DASH, "per city",
                observed.cities().size() + " cities", DASH, verdict(cities));

        out.println("Rejected records, by reason:");
        out.printf("  %-26s %24s %22s %32s%n", "reason", "expected", "refused by the gateway",
                "rejected by counting (query API)");
        TreeSet<String> reasons = new TreeSet<>(expected.invalidByReason().keySet());
        reasons.addAll(refused.keySet());
        reasons.addAll(observed.rejected().keySet());
        for (String reason : reasons) {
            long want = expected.invalidByReason().getOrDefault(reason, 0L);
            boolean countingOnly = ProvinceYearSimulation.COUNTING_ONLY_REASON.equals(reason);
            Long gateway = refused.get(reason);
            Long counting = observed.rejected().get(reason);
            boolean ok = countingOnly ? gateway == null && counting != null && counting == want
                    : counting == null && gateway != null && gateway == want;
            out.printf("  %-26s %24s %22s %32s  %s%n", reason, count(want), gateway == null ? DASH : count(gateway),
                    counting == null ? DASH : count(counting), verdict(ok));
        }
        long rejected = observed.rejected().values().stream().mapToLong(Long::longValue).sum();
        out.printf("Duplicates absorbed (resent with the same eventId): %s expected, %s = %s acknowledged - %s accepted "
                        + "into the ledger - %s rejected  %s%n",
                count(expected.duplicates()), count(duplicatesAbsorbed()), count(delivery.accepted()),
                count(observed.ledgerRows()), count(rejected), verdict(duplicatesAbsorbed() == expected.duplicates()));
        if (exact()) {
            out.printf("OK: every figure is exact, %.1f s from the first record sent to the last figure compared%n",
                    elapsed.toMillis() / 1000.0);
        } else {
            out.printf("MISMATCH after %.1f s: the figures marked DIFFERENT are not what the replay must end with%n",
                    elapsed.toMillis() / 1000.0);
        }
    }

    private void row(PrintStream out, String metric, long seedFigure, ToLongFunction<Totals> of, boolean money) {
        long want = of.applyAsLong(expected.province());
        long postgres = of.applyAsLong(observed.postgres());
        long api = of.applyAsLong(observed.api());
        out.printf("  %-26s %24s %22s %14s %14s  %s%n", metric, seedFigure < 0 ? DASH : count(seedFigure),
                money ? wan(want) : count(want), money ? wan(postgres) : count(postgres),
                api < 0 ? DASH : money ? wan(api) : count(api), verdict(want == postgres && want == api));
    }

    private static String verdict(boolean ok) {
        return ok ? "exact" : "DIFFERENT";
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Fen as 万元 (10,000 yuan), exact to the fen. */
    static String wan(long fen) {
        DecimalFormat format = new DecimalFormat("#,##0.######", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(BigDecimal.valueOf(fen).movePointLeft(6));
    }
}
