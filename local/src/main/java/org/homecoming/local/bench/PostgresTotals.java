package org.homecoming.local.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads one region's all-time totals from PostgreSQL over one kept-open connection, as a BI tool would
 * see them (autocommit, read committed).
 */
public final class PostgresTotals implements AutoCloseable {

    static final String SELECT_ALL_TIME = """
            SELECT returnees, employed_near_home, businesses_started, guaranteed_loans_fen, jobs_created, trained
            FROM region_totals
            WHERE region_code = ? AND period_kind = 'ALL' AND period_start = DATE '1970-01-01'
            """;

    private final String jdbcUrl;
    private final String user;
    private Connection connection;
    private PreparedStatement select;

    public PostgresTotals(String jdbcUrl, String user) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
    }

    /** The region's all-time totals; zero before its first row (or before the sink created the table). */
    public ProvinceTotals allTime(String regionCode) throws SQLException {
        try {
            if (select == null) {
                connection = DriverManager.getConnection(jdbcUrl, user, "");
                select = connection.prepareStatement(SELECT_ALL_TIME);
            }
            select.setString(1, regionCode);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return ProvinceTotals.ZERO;
                }
                return new ProvinceTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6));
            }
        } catch (SQLException e) {
            close();
            if ("42P01".equals(e.getSQLState())) {
                return ProvinceTotals.ZERO; // the sink has not migrated the schema yet
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // closing a broken connection; nothing left to release
        } finally {
            connection = null;
            select = null;
        }
    }
}
