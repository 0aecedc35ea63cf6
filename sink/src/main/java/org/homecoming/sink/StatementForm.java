package org.homecoming.sink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.postgresql.PGConnection;

/**
 * The ways of sending a batch of upserts to PostgreSQL that {@code SinkBenchmarkMain} compares:
 * one statement per row sent as a JDBC batch (which pgjdbc rewrites into multi-row statements when the
 * connection has {@code reWriteBatchedInserts=true}), explicit multi-row {@code VALUES} statements, one
 * statement binding a column array each, unnested on the server, and {@code COPY} into a staging table followed by
 * one upsert from it.
 */
public enum StatementForm {

    /** {@code addBatch()} per row, {@code executeBatch()} once. */
    BATCH {
        @Override
        void write(Connection connection, Statements sql, List<? extends SinkRow> rows) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql.singleRow())) {
                for (SinkRow row : rows) {
                    bind(statement, 0, row.values());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    },

    /** {@code INSERT ... VALUES (...), (...), ...} in chunks of {@link #MULTI_ROW_CHUNK} rows. */
    MULTI_ROW {
        @Override
        void write(Connection connection, Statements sql, List<? extends SinkRow> rows) throws SQLException {
            for (int from = 0; from < rows.size(); from += MULTI_ROW_CHUNK) {
                List<? extends SinkRow> chunk = rows.subList(from, Math.min(rows.size(), from + MULTI_ROW_CHUNK));
                try (PreparedStatement statement = connection.prepareStatement(sql.multiRow(chunk.size()))) {
                    int index = 0;
                    for (SinkRow row : chunk) {
                        index = bind(statement, index, row.values());
                    }
                    statement.executeUpdate();
                }
            }
        }
    },

    /** {@code INSERT ... SELECT * FROM unnest(?, ?, ...)}: one array per column, one statement per batch. */
    UNNEST {
        @Override
        void write(Connection connection, Statements sql, List<? extends SinkRow> rows) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            String[] types = sql.arrayTypes();
            List<Object[]> columns = new ArrayList<>();
            for (int c = 0; c < types.length; c++) {
                columns.add("text".equals(types[c]) ? new String[rows.size()]
                        : "int8".equals(types[c]) ? new Long[rows.size()] : new Integer[rows.size()]);
            }
            for (int r = 0; r < rows.size(); r++) {
                Object[] values = rows.get(r).values();
                for (int c = 0; c < types.length; c++) {
                    Object value = values[c];
                    columns.get(c)[r] = value == null || value instanceof Long || value instanceof Integer ? value
                            : value.toString();
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.unnest())) {
                List<Array> arrays = new ArrayList<>();
                try {
                    for (int c = 0; c < types.length; c++) {
                        Array array = connection.createArrayOf(types[c], columns.get(c));
                        arrays.add(array);
                        statement.setArray(c + 1, array);
                    }
                    statement.executeUpdate();
                } finally {
                    for (Array array : arrays) {
                        array.free();
                    }
                }
            }
        }
    },

    /**
     * {@code COPY ... FROM STDIN} into the session's temporary staging table, then one {@code INSERT ... SELECT}
     * from it with the same conflict rule as the other forms: COPY itself can neither skip nor update a row.
     */
    COPY {
        @Override
        void write(Connection connection, Statements sql, List<? extends SinkRow> rows) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            if (!connection.getAutoCommit()) {
                copyAndMerge(connection, sql.staging(), rows);
                return;
            }
            // the staging table empties at every commit: COPY and the insert from it must share one transaction
            connection.setAutoCommit(false);
            try {
                copyAndMerge(connection, sql.staging(), rows);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    };

    /** Rows per multi-row statement: 13 totals columns x 1,000 stays far below PostgreSQL's 65,535 parameters. */
    static final int MULTI_ROW_CHUNK = 1000;

    /** Writes the rows in this form. The rows must have distinct keys (an upsert cannot touch a row twice). */
    abstract void write(Connection connection, Statements sql, List<? extends SinkRow> rows) throws SQLException;

    private static void copyAndMerge(Connection connection, Staging sql, List<? extends SinkRow> rows)
            throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute(sql.create());
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.copy(),
                    new ByteArrayInputStream(CopyText.encode(rows)));
        } catch (IOException e) {
            throw new IllegalStateException("Reading a byte array failed", e);
        }
        try (PreparedStatement merge = connection.prepareStatement(sql.merge())) {
            merge.executeUpdate();
        }
    }

    static int bind(PreparedStatement statement, int offset, Object[] values) throws SQLException {
        int index = offset;
        for (Object value : values) {
            index++;
            if (value == null) {
                statement.setNull(index, Types.OTHER);
            } else if (value instanceof Instant instant) {
                statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else {
                statement.setObject(index, value);
            }
        }
        return index;
    }

    /**
     * One upsert in its four forms, and the SQL array element type of each column for the unnest form
     * ({@code text}, {@code int8} or {@code int4}).
     *
     * @param singleRow  the statement for one row
     * @param unnest     the statement taking one array per column
     * @param arrayTypes element type of each column's array
     * @param multiRowOf builds the statement for n rows
     * @param staging    the statements of the COPY form
     */
    record Statements(String singleRow, String unnest, String[] arrayTypes, IntFunction<String> multiRowOf,
                      Staging staging) {

        String multiRow(int rows) {
            return multiRowOf.apply(rows);
        }

        /** The totals upsert. */
        static final Statements TOTALS = new Statements(SinkSql.UPSERT_TOTALS, SinkSql.UPSERT_TOTALS_UNNEST,
                new String[] {"text", "text", "text", "int8", "int8", "int8", "int8", "int8", "int8", "text", "int4",
                    "int8", "text"},
                SinkSql::upsertTotalsMultiRow,
                new Staging(SinkSql.CREATE_TOTALS_STAGING, SinkSql.COPY_TOTALS_STAGING, SinkSql.UPSERT_TOTALS_FROM_STAGING));

        /** The ledger insert. */
        static final Statements EVENTS = new Statements(SinkSql.INSERT_EVENT, SinkSql.INSERT_EVENTS_UNNEST,
                new String[] {"text", "text", "int4", "text", "text", "text", "text", "text", "text", "text", "text",
                    "text", "text", "int8", "int8", "int4", "text", "int4", "text", "text", "text", "int4", "int8"},
                SinkSql::insertEventsMultiRow,
                new Staging(SinkSql.CREATE_EVENTS_STAGING, SinkSql.COPY_EVENTS_STAGING, SinkSql.INSERT_EVENTS_FROM_STAGING));
    }

    /**
     * The COPY form of one upsert. Its column lists are those of the single-row statement, in the order of
     * {@link SinkRow#values()}, so the staging table, the COPY text and the bound statements share one column model.
     *
     * @param create creates the session's staging table if it is missing
     * @param copy   {@code COPY} of the rows into the staging table
     * @param merge  the upsert of every staged row into the real table
     */
    record Staging(String create, String copy, String merge) {
    }
}
