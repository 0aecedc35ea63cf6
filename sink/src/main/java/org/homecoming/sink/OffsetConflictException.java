package org.homecoming.sink;

import org.apache.kafka.common.TopicPartition;

/**
 * The stored position of a partition is not where this sink expected it: another sink instance wrote
 * past it (this one lost the partition in a rebalance). The batch is dropped and the partition re-read
 * from the stored position, so nothing is written twice.
 */
final class OffsetConflictException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient TopicPartition partition;
    private final Long stored;

    OffsetConflictException(TopicPartition partition, Long expected, Long stored) {
        super("Partition " + partition + " is at " + stored + " in PostgreSQL, expected " + expected);
        this.partition = partition;
        this.stored = stored;
    }

    TopicPartition partition() {
        return partition;
    }

    Long stored() {
        return stored;
    }
}
