package org.homecoming.local.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.registry.SchemaRegistryClient;

/**
 * The probe township's all-time returnees as the compacted totals topic carries them, read by a
 * {@code read_committed} consumer, so a value is visible only once the streams transaction that wrote it
 * committed. The first read catches up from the beginning of the topic to learn the current value.
 */
public final class TotalsTopicTarget implements VisibilityTarget {

    private static final Duration CATCH_UP = Duration.ofMinutes(2);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final byte[] probeKey;
    private final Deserializer<Totals> totals;
    private long latest;
    private boolean caughtUp;

    public TotalsTopicTarget(String bootstrapServers, SchemaRegistryClient registry, String township) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = IntStream.range(0, Topics.TOTALS.partitions())
                .mapToObj(p -> new TopicPartition(Topics.TOTALS.name(), p)).toList();
        this.probeKey = SpecificAvroSerde.of(TotalsKey.class, registry, false, true).serializer()
                .serialize(Topics.TOTALS.name(), new TotalsKey(township, PeriodKind.ALL, java.time.LocalDate.EPOCH));
        this.totals = SpecificAvroSerde.of(Totals.class, registry, false, false).deserializer();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @Override
    public String name() {
        return "totals topic";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public long read() {
        if (!caughtUp) {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read the totals topic to its end in " + CATCH_UP);
                }
                consume(Duration.ofMillis(100));
            }
            caughtUp = true;
            return latest;
        }
        consume(Duration.ofMillis(10));
        return latest;
    }

    private void consume(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            // compare bytes first: decoding every bucket's value would cost more than the work measured
            if (Arrays.equals(record.key(), probeKey)) {
                latest = totals.deserialize(record.topic(), record.value()).getReturnees();
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
