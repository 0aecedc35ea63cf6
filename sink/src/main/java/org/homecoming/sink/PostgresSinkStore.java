package org.homecoming.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * The sink's side of PostgreSQL: stored positions, and batches written with their positions in one
 * transaction.
 */
@Component
public class PostgresSinkStore {

    private final DataSource dataSource;

    public PostgresSinkStore(DataSource dataSource) {
        this.dataSource = dataSource;
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
     * Writes the batch's rows and moves its partitions' positions, all or nothing.
     *
     * @param expected the position this sink believes each partition is at ({@code null}: none stored)
     * @throws OffsetConflictException when a stored position differs from the expected one
     */
    void write(SinkBatch batch, Map<TopicPartition, Long> expected) throws SQLException, OffsetConflictException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                checkPositions(connection, batch, expected);
                upsertTotals(connection, batch);
                storePositions(connection, batch);
                connection.commit();
            } catch (SQLException | OffsetConflictException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
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
                if (!Objects.equals(stored, expected.get(partition))) {
                    throw new OffsetConflictException(partition, expected.get(partition), stored);
                }
            }
        }
    }

    private static void upsertTotals(Connection connection, SinkBatch batch) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(SinkSql.UPSERT_TOTALS)) {
            for (TotalsRow row : batch.rows()) {
                upsert.setString(1, row.regionCode());
                upsert.setString(2, row.periodKind());
                upsert.setObject(3, row.periodStart());
                upsert.setLong(4, row.returnees());
                upsert.setLong(5, row.employedNearHome());
                upsert.setLong(6, row.businessesStarted());
                upsert.setLong(7, row.guaranteedLoansFen());
                upsert.setLong(8, row.jobsCreated());
                upsert.setLong(9, row.trained());
                upsert.setString(10, row.sourceTopic());
                upsert.setInt(11, row.sourcePartition());
                upsert.setLong(12, row.sourceOffset());
                upsert.setTimestamp(13, Timestamp.from(row.updatedAt()));
                upsert.addBatch();
            }
            upsert.executeBatch();
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
}
