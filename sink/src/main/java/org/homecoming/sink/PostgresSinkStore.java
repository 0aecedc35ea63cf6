package org.homecoming.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink's side of PostgreSQL: stored positions, and batches written with their positions in one
 * transaction.
 */
public class PostgresSinkStore {

    private final DataSource dataSource;
    private final StatementForm form;

    /**
     * @param dataSource the database
     * @param form       how batches of totals upserts are sent
     */
    public PostgresSinkStore(DataSource dataSource, StatementForm form) {
        this.dataSource = dataSource;
        this.form = form;
    }

    /** The stored next offset of every partition of a topic that has one. */
    public Map<Integer, Long> storedOffsets(String topic) throws SQLException {
        Map<Integer, Long> offsets = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SinkSql.SELECT_OFFSETS)) {
            select.setString(1, topic);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    offsets.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return offsets;
    }

    /**
     * Writes the batch's rows and moves its partitions' positions, all or nothing. The ledger is always bulk-loaded
     * ({@link StatementForm#COPY}); the totals go in the configured form.
     *
     * @param expected    the position this sink believes each partition is at ({@code null}: none stored; no
     *                    entry: not known, which is always a conflict)
     * @param deadLetters stores the batch's {@linkplain SinkBatch#refused() refused records} before it commits
     * @throws OffsetConflictException when a stored position differs from the expected one
     */
    void write(SinkBatch batch, Map<TopicPartition, Long> expected, DeadLetters deadLetters)
            throws SQLException, OffsetConflictException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                checkPositions(connection, batch, expected);
                form.write(connection, StatementForm.Statements.TOTALS, batch.totals());
                StatementForm.COPY.write(connection, StatementForm.Statements.EVENTS, batch.events());
                applyRetractions(connection, batch.events());
                if (!batch.refused().isEmpty()) {
                    deadLetters.store(batch.refused());
                }
                storePositions(connection, batch);
                connection.commit();
            } catch (SQLException | OffsetConflictException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /**
     * Writes the batch row by row, each under a savepoint, after a batch write failed on a data error: rows
     * PostgreSQL refuses for their data are left out and handed to {@code deadLetters}, which must have
     * stored them durably before the transaction (rows and positions) commits. Any other error rolls all back.
     *
     * @return the rows left out
     */
    List<Refused> writeIsolating(SinkBatch batch, Map<TopicPartition, Long> expected, DeadLetters deadLetters)
            throws SQLException, OffsetConflictException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                checkPositions(connection, batch, expected);
                List<Refused> refused = new ArrayList<>(batch.refused());
                List<EventRow> written = new ArrayList<>();
                isolate(connection, SinkSql.UPSERT_TOTALS, batch, batch.totals(), refused, new ArrayList<>());
                isolate(connection, SinkSql.INSERT_EVENT, batch, batch.events(), refused, written);
                applyRetractions(connection, written);
                deadLetters.store(refused);
                storePositions(connection, batch);
                connection.commit();
                return refused;
            } catch (SQLException | OffsetConflictException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static <R extends SinkRow> void isolate(Connection connection, String sql, SinkBatch batch, List<R> rows,
                                                    List<Refused> refused, List<R> written) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (R row : rows) {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    StatementForm.bind(statement, 0, row.values());
                    statement.executeUpdate();
                    connection.releaseSavepoint(savepoint);
                    written.add(row);
                } catch (SQLException e) {
                    if (!SqlErrors.isPermanentDataError(e)) {
                        throw e;
                    }
                    connection.rollback(savepoint);
                    refused.add(new Refused(batch.source(row), SqlErrors.sqlState(e), SqlErrors.reason(e)));
                }
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void checkPositions(Connection connection, SinkBatch batch, Map<TopicPartition, Long> expected)
            throws SQLException, OffsetConflictException {
        try (PreparedStatement select = connection.prepareStatement(SinkSql.SELECT_OFFSET_FOR_UPDATE)) {
            for (TopicPartition partition : batch.nextOffsets().keySet()) {
                select.setString(1, partition.topic());
                select.setInt(2, partition.partition());
                Long stored = null;
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        stored = rs.getLong(1);
                    }
                }
                if (!expected.containsKey(partition) || !Objects.equals(stored, expected.get(partition))) {
                    throw new OffsetConflictException(partition, expected.get(partition), stored);
                }
            }
        }
    }

    private static void applyRetractions(Connection connection, List<EventRow> events) throws SQLException {
        String[] retractions = events.stream().filter(EventRow::isRetraction).map(e -> e.eventId().toString())
                .toArray(String[]::new);
        if (retractions.length == 0) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(SinkSql.APPLY_RETRACTIONS)) {
            update.setArray(1, connection.createArrayOf("text", retractions));
            update.executeUpdate();
        }
    }

    private static void storePositions(Connection connection, SinkBatch batch) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(SinkSql.UPSERT_OFFSET)) {
            for (Map.Entry<TopicPartition, Long> position : batch.nextOffsets().entrySet()) {
                upsert.setString(1, position.getKey().topic());
                upsert.setInt(2, position.getKey().partition());
                upsert.setLong(3, position.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * A record PostgreSQL refused for its data.
     *
     * @param record   the Kafka record
     * @param sqlState PostgreSQL's SQLSTATE
     * @param reason   SQLSTATE and PostgreSQL's message, without the failing row's data
     */
    record Refused(ConsumerRecord<byte[], byte[]> record, String sqlState, String reason) {
    }

    /** Where refused records go; returns only once they are stored durably. */
    @FunctionalInterface
    interface DeadLetters {
        void store(List<Refused> refused);
    }
}
