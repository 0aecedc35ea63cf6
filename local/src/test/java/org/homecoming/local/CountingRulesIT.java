package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.homecoming.local.CommittedTotals.nonZero;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.RandomRegistrations;
import org.homecoming.streams.model.ReferenceModel;
import org.homecoming.streams.model.SentRecord;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random traffic (returns, moves, employment, businesses, training, resends, retractions, invalid
 * records and poison bytes) through the real broker (6 partitions, exactly-once v2), registry and
 * PostgreSQL: the totals topic read with {@code read_committed} and the {@code region_totals} table both
 * equal the reference model in every bucket.
 */
class CountingRulesIT {

    private static final Logger LOG = LoggerFactory.getLogger(CountingRulesIT.class);
    private static final long SEED = 20_210_315L;
    private static final int PEOPLE = 400;
    private static final int RECORDS = 4_000;

    @TempDir
    static Path dataDir;

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(StackPorts.free(), dataDir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void random_traffic_with_duplicates_retractions_and_invalid_records_ends_equal_to_the_reference_model() {
        List<SentRecord> sent = RandomRegistrations.generate(SEED, PEOPLE, RECORDS, Regions.shanxi());
        ReferenceModel model = ReferenceModel.of(Regions.shanxi(), sent);
        Map<Bucket, Metrics> expected = model.totals();
        assertThat(model.duplicates()).isPositive();
        assertThat(model.rejections()).contains("UNDESERIALIZABLE", "BAD_KEY", "UNKNOWN_RETRACTION_TARGET",
                "LOAN_OVER_CEILING", "DATE_IN_FUTURE");

        long begin = System.nanoTime();
        send(sent);
        Map<Bucket, Metrics> fromTopic = new HashMap<>();
        try (CommittedTotals.TopicReader topic = new CommittedTotals.TopicReader(stack.bootstrapServers(),
                stack.registryUrl())) {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
                fromTopic.putAll(topic.catchUp());
                return nonZero(fromTopic).equals(expected);
            });
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        LOG.info("{} records of {} people: totals topic equal to the model ({} non-zero buckets) {} s after the first send"
                        + " ({} records/s)", RECORDS, PEOPLE, expected.size(), String.format("%.1f", seconds),
                String.format("%.0f", RECORDS / seconds));
        assertThat(fromTopic.values()).noneMatch(Metrics::anyNegative);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> nonZero(CommittedTotals.regionTotals(stack.jdbcUrl())).equals(expected));
        assertThat(countCommitted(Topics.REJECTED.name())).isEqualTo(model.rejections().size());
        assertThat(countCommitted(Topics.ACCEPTED.name())).isEqualTo(model.accepted().size());
    }

    private static void send(List<SentRecord> records) {
        SpecificAvroSerializer<RegistrationEvent> serializer =
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(stack.registryUrl()), false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SentRecord record : records) {
                byte[] value = record.event() == null ? record.raw()
                        : serializer.serialize(Topics.REGISTRATIONS.name(), record.event());
                producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), null, record.timestamp().toEpochMilli(),
                        record.key(), value));
            }
            producer.flush();
        }
    }

    // Counts up to the committed end of every partition as it stands now: every record of the input was counted
    // by then (the totals equal the model), so a quiet spell of polls, which a loaded machine can fake, is not
    // what ends the count.
    private static int countCommitted(String topic) {
        int[] count = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedTotals.committedReader(stack.bootstrapServers())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                count[0] += consumer.poll(Duration.ofMillis(200)).count();
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return count[0];
    }
}
