package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
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
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
            consumer.subscribe(List.of(Topics.TOTALS.name()));
            SpecificAvroDeserializer<TotalsKey> keys = new SpecificAvroDeserializer<>(TotalsKey.class,
                    new RestSchemaRegistryClient(stack.registryUrl()));
            SpecificAvroDeserializer<Totals> values = new SpecificAvroDeserializer<>(Totals.class,
                    new RestSchemaRegistryClient(stack.registryUrl()));
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Totals totals = values.deserialize(record.topic(), record.value());
                    assertThat(totals).as("totals records are never tombstones").isNotNull();
                    fromTopic.put(Bucket.of(keys.deserialize(record.topic(), record.key())), metrics(totals));
                }
                return nonZero(fromTopic).equals(expected);
            });
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        LOG.info("{} records of {} people: totals topic equal to the model ({} non-zero buckets) {} s after the first send"
                        + " ({} records/s)", RECORDS, PEOPLE, expected.size(), String.format("%.1f", seconds),
                String.format("%.0f", RECORDS / seconds));
        assertThat(fromTopic.values()).noneMatch(Metrics::anyNegative);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> nonZero(regionTotals()).equals(expected));
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

    private static KafkaConsumer<byte[], byte[]> committedReader() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "counting-rules-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    // Counts up to the committed end of every partition as it stands now: every record of the input was counted
    // by then (the totals equal the model), so a quiet spell of polls, which a loaded machine can fake, is not
    // what ends the count.
    private static int countCommitted(String topic) {
        int[] count = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
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

    private static Metrics metrics(Totals t) {
        return new Metrics(t.getReturnees(), t.getEmployedNearHome(), t.getBusinessesStarted(), t.getGuaranteedLoansFen(),
                t.getJobsCreated(), t.getTrained());
    }

    private static Map<Bucket, Metrics> nonZero(Map<Bucket, Metrics> totals) {
        Map<Bucket, Metrics> nonZero = new HashMap<>(totals);
        nonZero.values().removeIf(Metrics::isZero);
        return nonZero;
    }

    private static Map<Bucket, Metrics> regionTotals() throws SQLException {
        Map<Bucket, Metrics> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT region_code, period_kind, period_start, returnees, "
                     + "employed_near_home, businesses_started, guaranteed_loans_fen, jobs_created, trained "
                     + "FROM region_totals")) {
            while (rs.next()) {
                Bucket bucket = new Bucket(rs.getString(1), PeriodKind.valueOf(rs.getString(2)),
                        rs.getObject(3, LocalDate.class));
                rows.put(bucket, new Metrics(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                        rs.getLong(9)));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return rows;
            }
            throw e;
        }
        return rows;
    }
}
