package org.homecoming.local.audit;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the partitions of one topic as bytes, without a consumer group, from the beginning and then on from where
 * the previous read stopped, each partition up to an offset: the counting group's committed offset, or the end.
 */
final class PartitionReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Duration timeout;

    PartitionReader(Map<String, Object> config, List<TopicPartition> partitions, Duration timeout) {
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = List.copyOf(partitions);
        this.timeout = timeout;
        consumer.assign(this.partitions);
        consumer.seekToBeginning(this.partitions);
    }

    /**
     * Hands on every record before its partition's target offset, in offset order per partition; a partition without
     * a target is not read. Returns how many records it handed on; fails when none come for the timeout.
     */
    long readTo(Map<TopicPartition, Long> targets, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        long read = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<TopicPartition> pending = new HashSet<>(partitions);
        try {
            pending.removeIf(p -> consumer.position(p, timeout) >= targets.getOrDefault(p, 0L));
            while (!pending.isEmpty()) {
                pauseAllBut(pending);
                if (System.nanoTime() > deadline) {
                    throw new AuditException("Nothing more of " + pending + " came in " + timeout + " before "
                            + targets);
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (TopicPartition partition : records.partitions()) {
                    long target = targets.getOrDefault(partition, 0L);
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        if (record.offset() >= target) {
                            // past the target: the next read starts here
                            consumer.seek(partition, target);
                            break;
                        }
                        each.accept(record);
                        read++;
                    }
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                pending.removeIf(p -> consumer.position(p, timeout) >= targets.getOrDefault(p, 0L));
            }
        } catch (KafkaException e) {
            throw new AuditException("Cannot read " + partitions + ": " + e.getMessage(), e);
        } finally {
            consumer.resume(partitions);
        }
        return read;
    }

    private void pauseAllBut(Set<TopicPartition> reading) {
        consumer.resume(reading);
        consumer.pause(partitions.stream().filter(p -> !reading.contains(p)).toList());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
