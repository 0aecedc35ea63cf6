package org.homecoming.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.schemas.Topics;
import org.junit.jupiter.api.Test;

class SinkBatchTest {

    private static TotalsRow totals(long returnees, int partition, long offset) {
        return new TotalsRow("140000", "ALL", LocalDate.EPOCH, returnees, 0, 0, 0, 0, 0, Topics.TOTALS.name(), partition,
                offset, Instant.EPOCH);
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
        return new ConsumerRecord<>(Topics.TOTALS.name(), partition, offset, null, new byte[0]);
    }

    @Test
    void a_later_record_of_a_bucket_replaces_the_earlier_one_and_offsets_move_past_every_record() {
        SinkBatch batch = new SinkBatch();
        batch.add(totals(1, 0, 10), record(0, 10));
        batch.add(totals(2, 0, 11), record(0, 11));
        batch.advance(new TopicPartition(Topics.TOTALS.name(), 0), 12);
        batch.add(totals(5, 3, 7), record(3, 7));

        assertThat(batch.totals()).extracting(TotalsRow::returnees).containsExactly(5L);
        assertThat(batch.source(batch.totals().get(0)).offset()).isEqualTo(7);
        assertThat(batch.nextOffsets()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new TopicPartition(Topics.TOTALS.name(), 0), 13L, new TopicPartition(Topics.TOTALS.name(), 3), 8L));
        assertThat(batch.records()).isEqualTo(4);
    }

    @Test
    void only_data_errors_are_final_and_a_batch_error_takes_the_state_of_the_statement_inside() {
        assertThat(SqlErrors.isPermanentDataError(new SQLException("x", "23505"))).isTrue();
        assertThat(SqlErrors.isPermanentDataError(new SQLException("x", "22P02"))).isTrue();
        assertThat(SqlErrors.isPermanentDataError(new SQLException("x", "40001"))).isFalse();
        assertThat(SqlErrors.isPermanentDataError(new SQLException("x", "08006"))).isFalse();
        assertThat(SqlErrors.isPermanentDataError(new SQLException("x", "57P01"))).isFalse();
        assertThat(SqlErrors.isPermanentDataError(new SQLException("timeout"))).isFalse();
        BatchUpdateException batch = new BatchUpdateException("batch", "XX000", new int[0]);
        batch.setNextException(new SQLException("inner", "23503"));
        assertThat(SqlErrors.sqlState(batch)).isEqualTo("23503");
        assertThat(SqlErrors.reason(new SQLException("value 140105198001011234 too long", "22001")))
                .isEqualTo("22001: value [redacted] too long");
    }
}
