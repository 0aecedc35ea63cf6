package org.homecoming.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What one PostgreSQL transaction writes: the newest totals row per bucket and the accepted events among the
 * records polled, and the next offset of every partition those records came from.
 */
final class SinkBatch {

    private final Map<String, TotalsRow> totals = new LinkedHashMap<>();
    private final Map<UUID, EventRow> events = new LinkedHashMap<>();
    private final Map<SinkRow, ConsumerRecord<byte[], byte[]>> sources = new HashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final List<PostgresSinkStore.Refused> refused = new ArrayList<>();
    private int records;

    /** Adds a totals record's row; a later record of the same bucket replaces an earlier one. */
    void add(TotalsRow row, ConsumerRecord<byte[], byte[]> source) {
        TotalsRow replaced = totals.put(row.bucket(), row);
        if (replaced != null) {
            sources.remove(replaced);
        }
        sources.put(row, source);
        advance(new TopicPartition(row.sourceTopic(), row.sourcePartition()), row.sourceOffset());
    }

    /** Adds an accepted event; a second record of the same event id changes nothing (the first one wins). */
    void add(EventRow row, ConsumerRecord<byte[], byte[]> source) {
        if (events.putIfAbsent(row.eventId(), row) == null) {
            sources.put(row, source);
        }
        advance(new TopicPartition(row.sourceTopic(), row.sourcePartition()), row.sourceOffset());
    }

    /** Moves a partition past a record that yields no row (a tombstone). */
    void advance(TopicPartition partition, long offset) {
        nextOffsets.merge(partition, offset + 1, Math::max);
        firstOffsets.merge(partition, offset, Math::min);
        records++;
    }

    /** A record that can never be written (it cannot be read): dead-lettered in the transaction that moves past it. */
    void refuse(ConsumerRecord<byte[], byte[]> record, String code, String reason) {
        refused.add(new PostgresSinkStore.Refused(record, code, reason));
        advance(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    List<PostgresSinkStore.Refused> refused() {
        return refused;
    }

    /** The offset of the first record of each partition, where a dropped batch is read again from. */
    Map<TopicPartition, Long> firstOffsets() {
        return firstOffsets;
    }

    List<TotalsRow> totals() {
        return new ArrayList<>(totals.values());
    }

    List<EventRow> events() {
        return new ArrayList<>(events.values());
    }

    /** The Kafka record a row was read from. */
    ConsumerRecord<byte[], byte[]> source(SinkRow row) {
        return sources.get(row);
    }

    Map<TopicPartition, Long> nextOffsets() {
        return nextOffsets;
    }

    int records() {
        return records;
    }

    int rows() {
        return totals.size() + events.size();
    }

    boolean isEmpty() {
        return nextOffsets.isEmpty();
    }
}
