package org.homecoming.sink;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Copies the totals topic into {@code region_totals} and the accepted-events topic into
 * {@code registration_event}, exactly once: each polled batch of both topics and their partitions' next offsets
 * go into PostgreSQL in one transaction, and every assignment starts from the offsets stored there. Kafka's
 * committed offsets are only acknowledged afterwards, for lag monitoring.
 *
 * <p>A failure that is not the record's fault (PostgreSQL or the registry unavailable) is thrown, and the
 * container's error handler retries the same batch with back-off while it keeps polling a paused consumer, so
 * an outage longer than {@code max.poll.interval.ms} does not cost the group membership. Only a data error
 * (SQLSTATE 22xxx, 23xxx) is final, and only for its record: the batch is re-run row by row and the refused
 * records, like records that cannot be deserialised, go to the dead-letter topic through the
 * {@code deadLetters} recoverer, acknowledged before the transaction that moves past them commits.
 */
public final class SinkListener implements BatchAcknowledgingConsumerAwareMessageListener<byte[], byte[]>,
        ConsumerSeekAware {

    static final String DEAD_LETTERS_METRIC = "homecoming.sink.dead.letters";
    static final String ROWS_METRIC = "homecoming.sink.rows";
    static final List<String> TOPICS = List.of(Topics.TOTALS.name(), Topics.ACCEPTED.name());

    private static final Logger LOG = LoggerFactory.getLogger(SinkListener.class);

    private final PostgresSinkStore store;
    private final Deserializer<Totals> totalsDeserializer;
    private final Deserializer<RegistrationEvent> eventDeserializer;
    private final ConsumerRecordRecoverer deadLetters;
    private final MeterRegistry meters;
    private final Counter totalsRows;
    private final Counter eventRows;
    /**
     * The position this sink believes each owned partition is at in PostgreSQL: {@code null} when none is stored,
     * no entry when not known yet. Each consumer thread of the container touches its own partitions only.
     */
    private final Map<TopicPartition, Long> expected = Collections.synchronizedMap(new HashMap<>());

    public SinkListener(PostgresSinkStore store, Deserializer<Totals> totalsDeserializer,
                        Deserializer<RegistrationEvent> eventDeserializer, ConsumerRecordRecoverer deadLetters,
                        MeterRegistry meters) {
        this.store = store;
        this.totalsDeserializer = totalsDeserializer;
        this.eventDeserializer = eventDeserializer;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.totalsRows = rows(meters, "region_totals");
        this.eventRows = rows(meters, "registration_event");
    }

    private static Counter rows(MeterRegistry meters, String table) {
        return Counter.builder(ROWS_METRIC).description("Rows the sink committed to PostgreSQL").baseUnit("rows")
                .tag("table", table).register(meters);
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records, Acknowledgment acknowledgment,
                          Consumer<?, ?> consumer) {
        SinkBatch batch = toBatch(records);
        try {
            write(batch);
        } catch (OffsetConflictException e) {
            LOG.warn("{}; re-reading from the stored offset", e.getMessage());
            rewind(batch, e, consumer);
            return;
        }
        expected.putAll(batch.nextOffsets());
        totalsRows.increment(batch.totals().size());
        eventRows.increment(batch.events().size());
        acknowledgment.acknowledge();
    }

    private void write(SinkBatch batch) throws OffsetConflictException {
        try {
            store.write(batch, expected, this::deadLetter);
        } catch (SQLException e) {
            if (!SqlErrors.isPermanentDataError(e)) {
                throw new SinkUnavailableException("PostgreSQL refused a batch of " + batch.records() + " records ("
                        + SqlErrors.reason(e) + ")", e);
            }
            LOG.warn("PostgreSQL refused the data of a batch of {} records ({}); isolating the record",
                    batch.records(), SqlErrors.reason(e));
            try {
                List<PostgresSinkStore.Refused> refused = store.writeIsolating(batch, expected, this::deadLetter);
                LOG.warn("Wrote {} records row by row; {} refused went to {}", batch.records(), refused.size(),
                        Topics.SINK_DEAD_LETTER.name());
            } catch (SQLException again) {
                throw new SinkUnavailableException("PostgreSQL refused a batch of " + batch.records()
                        + " records row by row (" + SqlErrors.reason(again) + ")", again);
            }
        }
    }

    /**
     * Another instance wrote past this one, or the position was never read: nothing of the batch was written, so
     * each of its partitions is read again, the conflicting one from where PostgreSQL has it.
     */
    private void rewind(SinkBatch batch, OffsetConflictException conflict, Consumer<?, ?> consumer) {
        Set<TopicPartition> owned = consumer.assignment();
        batch.firstOffsets().forEach((partition, first) -> {
            if (owned.contains(partition) && !partition.equals(conflict.partition())) {
                consumer.seek(partition, first);
            }
        });
        if (owned.contains(conflict.partition())) {
            if (conflict.stored() == null) {
                consumer.seekToBeginning(List.of(conflict.partition()));
            } else {
                consumer.seek(conflict.partition(), conflict.stored());
            }
            expected.put(conflict.partition(), conflict.stored());
        }
    }

    private SinkBatch toBatch(List<ConsumerRecord<byte[], byte[]>> records) {
        SinkBatch batch = new SinkBatch();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() == null) {
                batch.advance(new TopicPartition(record.topic(), record.partition()), record.offset());
                continue;
            }
            try {
                if (Topics.TOTALS.name().equals(record.topic())) {
                    Totals totals = totalsDeserializer.deserialize(record.topic(), record.value());
                    batch.add(TotalsRow.of(totals, record.topic(), record.partition(), record.offset()), record);
                } else {
                    RegistrationEvent event = eventDeserializer.deserialize(record.topic(), record.value());
                    batch.add(EventRow.of(event, record.topic(), record.partition(), record.offset()), record);
                }
            } catch (KafkaException | IllegalArgumentException | ClassCastException e) {
                if (registryUnavailable(e)) {
                    // not the record's fault: the whole batch is tried again, nothing is dead-lettered
                    throw new SinkUnavailableException("Schema registry unavailable (" + e.getMessage() + ")", e);
                }
                // poison bytes, an unknown schema id, an unknown payload: never writable
                batch.refuse(record, "UNDESERIALIZABLE", "UNDESERIALIZABLE: " + e.getClass().getSimpleName());
            }
        }
        return batch;
    }

    private static boolean registryUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException registry && registry.httpStatus() >= 500) {
                return true;
            }
        }
        return false;
    }

    /** Publishes each record and waits for the broker's acknowledgement; throws if it cannot. */
    private void deadLetter(List<PostgresSinkStore.Refused> refused) {
        for (PostgresSinkStore.Refused r : refused) {
            ConsumerRecord<byte[], byte[]> record = r.record();
            deadLetters.accept(record, new RefusedRecordException(r.reason()));
            Counter.builder(DEAD_LETTERS_METRIC).description("Records the sink could never write")
                    .tag("topic", record.topic()).tag("reason", r.sqlState()).register(meters).increment();
            LOG.warn("Dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), r.reason());
        }
    }

    /** Continues from the positions stored with the data; if PostgreSQL cannot say now, the first write will. */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        if (assignments.isEmpty()) {
            return;
        }
        Map<String, Map<Integer, Long>> stored = new HashMap<>();
        try {
            for (String topic : TOPICS) {
                stored.put(topic, store.storedOffsets(topic));
            }
        } catch (SQLException e) {
            // blocking here would hold up the rebalance; an unknown position is a conflict at the first write
            LOG.warn("Assigned {} but cannot read their stored offsets ({}); the first write will find them",
                    assignments.keySet(), SqlErrors.reason(e));
            return;
        }
        for (TopicPartition partition : assignments.keySet()) {
            Long position = stored.get(partition.topic()).get(partition.partition());
            if (position == null) {
                callback.seekToBeginning(List.of(partition));
            } else {
                callback.seek(partition.topic(), partition.partition(), position);
            }
            expected.put(partition, position);
        }
        LOG.info("Assigned {}; resuming from stored offsets {}", assignments.keySet(), stored);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(expected::remove);
    }

    /** PostgreSQL's reason for refusing a record; carries no data of the record. */
    static final class RefusedRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedRecordException(String reason) {
            super(reason, null, false, false);
        }
    }
}
