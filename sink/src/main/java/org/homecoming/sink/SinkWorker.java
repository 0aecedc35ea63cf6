package org.homecoming.sink;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Copies the totals topic into {@code region_totals} and the accepted-events topic into
 * {@code registration_event}, exactly once. Reads committed records only, never lets Kafka auto-commit, writes
 * each polled batch of both topics and their partitions' next offsets in one PostgreSQL transaction, and seeks
 * to the stored offsets whenever partitions are assigned.
 *
 * <p>When PostgreSQL refuses a batch the same batch is retried with back-off: nothing is skipped, no offset
 * moves ahead of its rows. Only a data error (SQLSTATE 22xxx, 23xxx) is treated as final, and only for the
 * record that causes it: the batch is re-run row by row, the refused records go to the sink dead-letter topic
 * with the reason (acknowledged before the transaction that moves past them commits) and are counted in
 * {@value #DEAD_LETTERS_METRIC}. Records that cannot be deserialised go the same way.
 */
public class SinkWorker implements SmartLifecycle {

    /** Micrometer counter of records sent to the sink dead-letter topic, tagged by source topic and reason. */
    public static final String DEAD_LETTERS_METRIC = "homecoming.sink.dead.letters";
    /** Micrometer counter of rows committed to PostgreSQL, tagged by table. */
    public static final String ROWS_METRIC = "homecoming.sink.rows";

    private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
    private static final List<String> TOPICS = List.of(Topics.TOTALS.name(), Topics.ACCEPTED.name());

    private final SinkProperties properties;
    private final PostgresSinkStore store;
    private final Deserializer<Totals> totalsDeserializer;
    private final Deserializer<RegistrationEvent> eventDeserializer;
    private final MeterRegistry meters;
    private final Map<TopicPartition, Long> expected = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> deadLetters;
    private Thread thread;

    public SinkWorker(SinkProperties properties, PostgresSinkStore store, Deserializer<Totals> totalsDeserializer,
                      Deserializer<RegistrationEvent> eventDeserializer, MeterRegistry meters) {
        this.properties = properties;
        this.store = store;
        this.totalsDeserializer = totalsDeserializer;
        this.eventDeserializer = eventDeserializer;
        this.meters = meters;
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "postgres-sink");
        thread.start();
    }

    private Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        if (properties.instanceId() != null && !properties.instanceId().isBlank()) {
            // static membership: a restarted instance takes its partitions back at once, without a rebalance
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.instanceId());
        }
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis());
        return config;
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    private void run() {
        try {
            consumer.subscribe(TOPICS, new SeekToStoredOffsets());
            while (running.get()) {
                SinkBatch batch = toBatch(consumer.poll(properties.pollTimeout()));
                if (!batch.isEmpty()) {
                    writeWithRetry(batch);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            deadLetters.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    /** Writes the batch, retrying with back-off until it lands or the worker stops. */
    private void writeWithRetry(SinkBatch batch) throws InterruptedException {
        long backoff = properties.retryInitial().toMillis();
        boolean isolate = false;
        while (running.get()) {
            try {
                if (isolate) {
                    List<PostgresSinkStore.Refused> refused = store.writeIsolating(batch, expected, this::deadLetter);
                    LOG.warn("Wrote {} records row by row; {} refused for their data went to {}", batch.records(),
                            refused.size(), Topics.SINK_DEAD_LETTER.name());
                } else {
                    store.write(batch, expected);
                }
                expected.putAll(batch.nextOffsets());
                meters.counter(ROWS_METRIC, "table", "region_totals").increment(batch.totals().size());
                meters.counter(ROWS_METRIC, "table", "registration_event").increment(batch.events().size());
                commitToKafka(batch);
                return;
            } catch (OffsetConflictException e) {
                LOG.warn("{}; re-reading from the stored offset", e.getMessage());
                seekTo(e.partition(), e.stored());
                return;
            } catch (SQLException e) {
                if (!isolate && SqlErrors.isPermanentDataError(e)) {
                    LOG.warn("PostgreSQL refused the data of a batch of {} records ({}); isolating the record",
                            batch.records(), SqlErrors.reason(e));
                    isolate = true;
                    continue;
                }
                LOG.warn("PostgreSQL refused a batch of {} records ({}); retrying in {} ms", batch.records(),
                        SqlErrors.reason(e), backoff);
            } catch (KafkaException e) {
                LOG.warn("Cannot store dead letters ({}); retrying in {} ms", e.getMessage(), backoff);
            }
            TimeUnit.MILLISECONDS.sleep(backoff);
            backoff = Math.min(backoff * 2, properties.retryMax().toMillis());
        }
        // stopping: the batch is not written and its offsets not stored; the next start reads it again
    }

    /** Kafka's committed offsets are informational (lag monitoring); PostgreSQL holds the real position. */
    private void commitToKafka(SinkBatch batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        batch.nextOffsets().forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.debug("Informational offset commit failed: {}", error.getMessage());
            }
        });
    }

    private SinkBatch toBatch(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        SinkBatch batch = new SinkBatch();
        Set<TopicPartition> rewound = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (rewound.contains(partition)) {
                continue;
            }
            if (record.value() == null) {
                batch.advance(partition, record.offset());
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
                    // not the record's fault: read it again later, never dead-letter it
                    LOG.warn("Schema registry unavailable ({}); re-reading {} from {}", e.getMessage(), partition,
                            record.offset());
                    consumer.seek(partition, record.offset());
                    rewound.add(partition);
                    continue;
                }
                // undeserialisable (poison bytes, unknown schema id, an unknown payload): never writable
                deadLetter(List.of(new PostgresSinkStore.Refused(record, "UNDESERIALIZABLE",
                        "UNDESERIALIZABLE: " + e.getClass().getSimpleName())));
                batch.advance(partition, record.offset());
            }
        }
        if (!rewound.isEmpty()) {
            TimeUnit.MILLISECONDS.sleep(properties.retryMax().toMillis() / 10);
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

    /** Sends refused records to the dead-letter topic and waits for the broker's acknowledgement. */
    private void deadLetter(List<PostgresSinkStore.Refused> refused) {
        try {
            for (PostgresSinkStore.Refused r : refused) {
                ConsumerRecord<byte[], byte[]> record = r.record();
                ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(Topics.SINK_DEAD_LETTER.name(),
                        record.key(), record.value());
                letter.headers().add(Headers.SINK_ERROR, r.reason().getBytes(StandardCharsets.UTF_8));
                letter.headers().add(Headers.SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
                letter.headers().add(Headers.SOURCE_PARTITION,
                        Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
                letter.headers().add(Headers.SOURCE_OFFSET,
                        Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
                deadLetters.send(letter).get(30, TimeUnit.SECONDS);
                Counter.builder(DEAD_LETTERS_METRIC).description("Records the sink could never write")
                        .tag("topic", record.topic()).tag("reason", r.sqlState()).register(meters).increment();
                LOG.warn("Dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), r.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Cannot dead-letter: " + e.getMessage(), e);
        }
    }

    private void seekTo(TopicPartition partition, Long stored) {
        if (stored == null) {
            consumer.seekToBeginning(List.of(partition));
        } else {
            consumer.seek(partition, stored);
        }
        expected.put(partition, stored);
    }

    /** On every assignment, continue from the positions stored with the data in PostgreSQL. */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<String, Map<Integer, Long>> stored = new HashMap<>();
            long backoff = properties.retryInitial().toMillis();
            while (stored.size() < TOPICS.size()) {
                try {
                    for (String topic : TOPICS) {
                        stored.put(topic, store.storedOffsets(topic));
                    }
                } catch (SQLException e) {
                    stored.clear();
                    LOG.warn("Cannot read stored offsets ({}); retrying in {} ms", SqlErrors.reason(e), backoff);
                    try {
                        TimeUnit.MILLISECONDS.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new WakeupException();
                    }
                    backoff = Math.min(backoff * 2, properties.retryMax().toMillis());
                    if (!running.get()) {
                        throw new WakeupException();
                    }
                }
            }
            for (TopicPartition partition : partitions) {
                seekTo(partition, stored.get(partition.topic()).get(partition.partition()));
            }
            LOG.info("Assigned {}; resuming from stored offsets {}", partitions, stored);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(expected::remove);
        }
    }

    @Override
    public void stop() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }
}
