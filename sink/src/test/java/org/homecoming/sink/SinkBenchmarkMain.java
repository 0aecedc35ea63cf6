package org.homecoming.sink;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.homecoming.events.RegionLevel;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;

/**
 * Compares the statement forms of {@link StatementForm} on a real (embedded) PostgreSQL: totals upserts
 * that insert new buckets, the same buckets updated, and ledger inserts; each batch in its own transaction, as
 * the sink writes them. Prints figures; not a test.
 *
 * <p>Run: {@code ./mvnw -q -pl sink -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test} then
 * {@code java -cp sink/target/test-classes:sink/target/classes:$(cat sink/target/cp.txt) org.homecoming.sink.SinkBenchmarkMain}
 * (optional arguments: rows per run, batch sizes).
 */
public final class SinkBenchmarkMain {

    private SinkBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        List<Integer> batchSizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            batchSizes.add(Integer.parseInt(args[i]));
        }
        if (batchSizes.isEmpty()) {
            batchSizes = List.of(500, 5000);
        }
        List<TotalsRow> inserts = totals(rows, 0);
        List<TotalsRow> updates = totals(rows, rows);
        List<EventRow> events = events(rows);
        int rounds = 3;
        System.out.printf("PostgreSQL 17 (embedded), %,d rows per run, each batch one transaction, median of %d runs%n",
                rows, rounds);
        System.out.printf("%-9s %6s %16s %16s %16s%n", "form", "batch", "totals insert/s", "totals update/s",
                "ledger insert/s");
        Map<String, List<double[]>> results = new TreeMap<>();
        try (TestDatabase postgres = TestDatabase.start()) {
            for (int round = 0; round <= rounds; round++) {
                boolean warmUp = round == 0;
                for (int batch : batchSizes) {
                    List<StatementForm> forms = new ArrayList<>(List.of(StatementForm.values()));
                    Collections.rotate(forms, round);
                    for (StatementForm form : forms) {
                        String db = postgres.createMigrated();
                        DataSource dataSource = postgres.rewriting("homecoming_sink", db);
                        double insert = rate(dataSource, form, StatementForm.Statements.TOTALS, inserts, batch);
                        double update = rate(dataSource, form, StatementForm.Statements.TOTALS, updates, batch);
                        double ledger = rate(dataSource, form, StatementForm.Statements.EVENTS, events, batch);
                        if (!warmUp) {
                            results.computeIfAbsent(String.format("%06d %s", batch, form), k -> new ArrayList<>())
                                    .add(new double[] {insert, update, ledger});
                        }
                    }
                }
            }
        }
        results.forEach((key, runs) -> System.out.printf("%-9s %,6d %,16.0f %,16.0f %,16.0f%n", key.substring(7),
                Integer.parseInt(key.substring(0, 6)), median(runs, 0), median(runs, 1), median(runs, 2)));
    }

    private static double median(List<double[]> runs, int column) {
        double[] values = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    private static double rate(DataSource dataSource, StatementForm form, StatementForm.Statements sql,
                               List<? extends SinkRow> rows, int batch) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (int from = 0; from < rows.size(); from += batch) {
                form.write(connection, sql, rows.subList(from, Math.min(rows.size(), from + batch)));
                connection.commit();
            }
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("SELECT 1");
            }
        }
        return rows.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Distinct DAY buckets over every township, county, city and the province. */
    private static List<TotalsRow> totals(int count, long offsetBase) {
        List<Region> regions = new ArrayList<>(Regions.shanxi().all());
        List<TotalsRow> rows = new ArrayList<>(count);
        LocalDate first = LocalDate.of(2020, 1, 1);
        for (int i = 0; i < count; i++) {
            Region region = regions.get(i % regions.size());
            LocalDate day = first.plusDays(i / regions.size());
            rows.add(new TotalsRow(region.code(), "DAY", day, i % 97, i % 13, i % 7, (i % 5) * 1_000_000L, i % 11, i % 3,
                    Topics.TOTALS.name(), i % 6, offsetBase + i, Instant.now()));
        }
        return rows;
    }

    private static List<EventRow> events(int count) {
        List<Region> townships = Regions.shanxi().atLevel(RegionLevel.TOWNSHIP);
        List<EventRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(new EventRow(UUID.randomUUID(), TestEvents.person("bench" + i), 1, "BusinessStarted",
                    townships.get(i % townships.size()).code(), "T1", LocalDate.of(2021, 1, 1).plusDays(i % 365),
                    Instant.now(), null, null, null, null, "RURAL_INN", 2_000_000L, 1_000_000L, 2, null, null, null, null,
                    Topics.ACCEPTED.name(), i % 6, i));
        }
        return rows;
    }
}
