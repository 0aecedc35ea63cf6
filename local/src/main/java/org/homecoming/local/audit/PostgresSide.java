package org.homecoming.local.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.homecoming.events.PeriodKind;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;

/**
 * {@code region_totals} and {@code registration_event} read in one repeatable-read snapshot: the sink writes a batch
 * of totals, events and offsets in one transaction, so the two tables agree with each other at every snapshot.
 */
final class PostgresSide {

    private static final String TOTALS = "SELECT region_code, period_kind, period_start, returnees, employed_near_home,"
            + " businesses_started, guaranteed_loans_fen, jobs_created, trained FROM region_totals";
    private static final String LEDGER = "SELECT event_id, person_ref, event_type, township_code, occurred_on, retracted"
            + " FROM registration_event";

    private final AuditOptions options;

    PostgresSide(AuditOptions options) {
        this.options = options;
    }

    /** Fails with an {@link AuditException} now, rather than after reading Kafka, when the tables cannot be read. */
    void check() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM region_totals, registration_event LIMIT 1").close();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", options.databaseUser());
        properties.setProperty("password", options.databasePassword());
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, options.timeout().toSeconds())));
        properties.setProperty("ApplicationName", "homecoming-audit");
        return DriverManager.getConnection(options.jdbcUrl(), properties);
    }

    private AuditException failure(SQLException e) {
        String hint = "42P01".equals(e.getSQLState()) ? " (has the sink run against it?)" : "";
        return new AuditException("Cannot read PostgreSQL at " + options.jdbcUrl() + ": " + e.getMessage() + hint, e);
    }

    /**
     * One snapshot: hands on every row of {@code region_totals}, then of {@code registration_event}, as they stream in.
     *
     * @throws AuditException when the database cannot be used, or the sink has not created its tables
     */
    void snapshot(BiConsumer<Bucket, Metrics> totals, Consumer<Comparisons.LedgerRow> ledger) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(20_000);
                try (ResultSet rs = statement.executeQuery(TOTALS)) {
                    while (rs.next()) {
                        totals.accept(new Bucket(rs.getString(1), PeriodKind.valueOf(rs.getString(2)),
                                rs.getObject(3, LocalDate.class)), new Metrics(rs.getLong(4), rs.getLong(5), rs.getLong(6),
                                rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                    }
                }
                try (ResultSet rs = statement.executeQuery(LEDGER)) {
                    while (rs.next()) {
                        ledger.accept(new Comparisons.LedgerRow(rs.getObject(1, UUID.class), rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getObject(5, LocalDate.class), rs.getBoolean(6)));
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure(e);
        }
    }
}
