package org.homecoming.sink;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * What one PostgreSQL transaction writes: the newest row per bucket among the records polled, and the
 * next offset of every partition those records came from.
 */
final class SinkBatch {

    private final Map<String, TotalsRow> rows = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private int records;

    /** Adds a record's row; a later record of the same bucket replaces an earlier one. */
    void add(TotalsRow row) {
        rows.put(row.bucket(), row);
        advance(new TopicPartition(row.sourceTopic(), row.sourcePartition()), row.sourceOffset());
    }

    /** Moves a partition past a record that yields no row (dead-lettered, tombstone). */
    void advance(TopicPartition partition, long offset) {
        nextOffsets.merge(partition, offset + 1, Math::max);
        records++;
    }

    Collection<TotalsRow> rows() {
        return rows.values();
    }

    Map<TopicPartition, Long> nextOffsets() {
        return nextOffsets;
    }

    int records() {
        return records;
    }

    boolean isEmpty() {
        return nextOffsets.isEmpty();
    }
}
