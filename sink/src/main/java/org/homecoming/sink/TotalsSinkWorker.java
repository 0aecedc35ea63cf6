package org.homecoming.sink;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.events.Totals;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Copies the totals topic into {@code region_totals} exactly once. Reads committed records only, never
 * lets Kafka auto-commit, writes each polled batch and the partitions' next offsets in one PostgreSQL
 * transaction, and seeks to the stored offsets whenever partitions are assigned. When PostgreSQL refuses a
 * batch the same batch is retried with back-off: nothing is skipped, no offset moves ahead of its rows.
 */
@Component
public class TotalsSinkWorker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TotalsSinkWorker.class);

    private final SinkProperties properties;
    private final PostgresSinkStore store;
    private final Deserializer<Totals> totalsDeserializer;
    private final Map<TopicPartition, Long> expected = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> deadLetters;
    private Thread thread;

    public TotalsSinkWorker(SinkProperties properties, PostgresSinkStore store, Deserializer<Totals> totalsDeserializer) {
        this.properties = properties;
        this.store = store;
        this.totalsDeserializer = totalsDeserializer;
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "totals-sink");
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
            consumer.subscribe(List.of(Topics.TOTALS.name()), new SeekToStoredOffsets());
            SinkBatch pending = null;
            while (running.get()) {
                if (pending == null) {
                    pending = toBatch(consumer.poll(properties.pollTimeout()));
                }
                if (pending.isEmpty()) {
                    pending = null;
                    continue;
                }
                pending = writeWithRetry(pending);
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

    /** Writes the batch, retrying with back-off until it lands; returns the batch still pending, or null. */
    private SinkBatch writeWithRetry(SinkBatch batch) throws InterruptedException {
        long backoff = properties.retryInitial().toMillis();
        while (running.get()) {
            try {
                store.write(batch, expected);
                expected.putAll(batch.nextOffsets());
                commitToKafka(batch);
                return null;
            } catch (OffsetConflictException e) {
                LOG.warn("{}; re-reading from the stored offset", e.getMessage());
                seekTo(e.partition(), e.stored());
                return null;
            } catch (SQLException e) {
                LOG.warn("PostgreSQL refused a batch of {} records ({}: {}); retrying in {} ms",
                        batch.records(), e.getSQLState(), e.getMessage(), backoff);
                TimeUnit.MILLISECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, properties.retryMax().toMillis());
            }
        }
        return batch;
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

    private SinkBatch toBatch(ConsumerRecords<byte[], byte[]> records) {
        SinkBatch batch = new SinkBatch();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (record.value() == null) {
                batch.advance(partition, record.offset());
                continue;
            }
            try {
                Totals totals = totalsDeserializer.deserialize(record.topic(), record.value());
                batch.add(TotalsRow.of(totals, record.topic(), record.partition(), record.offset()));
            } catch (SerializationException e) {
                deadLetter(record, e);
                batch.advance(partition, record.offset());
            }
        }
        return batch;
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception reason) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(Topics.SINK_DEAD_LETTER.name(), record.key(),
                record.value());
        letter.headers().add(Headers.SINK_ERROR, String.valueOf(reason.getMessage()).getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Headers.SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Headers.SOURCE_PARTITION,
                Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Headers.SOURCE_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            // acknowledged before the offset that skips the record can be committed
            deadLetters.send(letter).get(30, TimeUnit.SECONDS);
            LOG.warn("Dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    reason.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while dead-lettering", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot dead-letter " + record.topic() + "-" + record.partition() + "@"
                    + record.offset(), e);
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
            Map<Integer, Long> stored;
            while (true) {
                try {
                    stored = store.storedOffsets(Topics.TOTALS.name());
                    break;
                } catch (SQLException e) {
                    LOG.warn("Cannot read stored offsets ({}); retrying", e.getMessage());
                    try {
                        TimeUnit.MILLISECONDS.sleep(properties.retryMax().toMillis() / 10);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new WakeupException();
                    }
                }
            }
            for (TopicPartition partition : partitions) {
                seekTo(partition, stored.get(partition.partition()));
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
