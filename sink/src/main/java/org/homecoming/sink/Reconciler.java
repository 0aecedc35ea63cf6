package org.homecoming.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Recomputes every bucket from the event ledger ({@link SinkSql#EXPECTED_TOTALS}, the counting rules in SQL) and
 * compares it with {@code region_totals}. Both are read in one repeatable-read snapshot. While the sink is
 * still catching up the two tables can be at different points of the streams application's output, so a
 * difference is only reported when it is still there after {@code attempts} snapshots.
 */
public final class Reconciler {

    private final DataSource dataSource;

    public Reconciler(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One snapshot's comparison. */
    public Report reconcile() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                long events;
                long expected;
                long stored;
                try (PreparedStatement scope = connection.prepareStatement(SinkSql.RECONCILE_SCOPE);
                     ResultSet rs = scope.executeQuery()) {
                    rs.next();
                    events = rs.getLong(1);
                    expected = rs.getLong(2);
                    stored = rs.getLong(3);
                }
                List<Drift> drifts = new ArrayList<>();
                try (PreparedStatement drift = connection.prepareStatement(SinkSql.DRIFT);
                     ResultSet rs = drift.executeQuery()) {
                    while (rs.next()) {
                        drifts.add(new Drift(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                                metrics(rs, 4), metrics(rs, 10)));
                    }
                }
                return new Report(events, expected, stored, drifts);
            } finally {
                connection.rollback();
            }
        }
    }

    /**
     * Compares until a snapshot shows no drift or {@code attempts} snapshots were taken, waiting {@code pauseMillis}
     * between them; returns the last report.
     */
    public Report reconcile(int attempts, long pauseMillis) throws SQLException, InterruptedException {
        Report report = reconcile();
        for (int attempt = 1; attempt < attempts && !report.drifts().isEmpty(); attempt++) {
            Thread.sleep(pauseMillis);
            report = reconcile();
        }
        return report;
    }

    private static Metrics metrics(ResultSet rs, int first) throws SQLException {
        return new Metrics(rs.getLong(first), rs.getLong(first + 1), rs.getLong(first + 2), rs.getLong(first + 3),
                rs.getLong(first + 4), rs.getLong(first + 5));
    }

    /**
     * The six metrics of a bucket.
     *
     * @param returnees          people counted as returnees
     * @param employedNearHome   people employed at or near home
     * @param businessesStarted  people who started a business
     * @param guaranteedLoansFen sum of guaranteed loans, fen
     * @param jobsCreated        sum of jobs created
     * @param trained            people trained
     */
    public record Metrics(long returnees, long employedNearHome, long businessesStarted, long guaranteedLoansFen,
                          long jobsCreated, long trained) {
    }

    /**
     * A bucket whose stored totals differ from the recomputed ones.
     *
     * @param regionCode  region
     * @param periodKind  ALL, YEAR, MONTH or DAY
     * @param periodStart first day of the period
     * @param expected    recomputed from the ledger
     * @param stored      in region_totals
     */
    public record Drift(String regionCode, String periodKind, LocalDate periodStart, Metrics expected, Metrics stored) {

        /** One line: the bucket and every metric that differs, as expected/stored. */
        public String describe() {
            StringBuilder line = new StringBuilder(String.format("%-9s %-5s %s", regionCode, periodKind, periodStart));
            append(line, "returnees", expected.returnees(), stored.returnees());
            append(line, "employed_near_home", expected.employedNearHome(), stored.employedNearHome());
            append(line, "businesses_started", expected.businessesStarted(), stored.businessesStarted());
            append(line, "guaranteed_loans_fen", expected.guaranteedLoansFen(), stored.guaranteedLoansFen());
            append(line, "jobs_created", expected.jobsCreated(), stored.jobsCreated());
            append(line, "trained", expected.trained(), stored.trained());
            return line.toString();
        }

        private static void append(StringBuilder line, String name, long expected, long stored) {
            if (expected != stored) {
                line.append(String.format("  %s expected %d stored %d", name, expected, stored));
            }
        }
    }

    /**
     * What one comparison found.
     *
     * @param ledgerEvents    rows of registration_event
     * @param expectedBuckets buckets recomputed (non-empty ones)
     * @param storedBuckets   rows of region_totals
     * @param drifts          buckets that differ, a missing side counting as zeros
     */
    public record Report(long ledgerEvents, long expectedBuckets, long storedBuckets, List<Drift> drifts) {

        public Report {
            drifts = List.copyOf(drifts);
        }

        public boolean isClean() {
            return drifts.isEmpty();
        }
    }
}
