package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.RecordDecoder;
import org.homecoming.streams.model.SentRecord;
import org.homecoming.streams.topology.Bucket;

/**
 * What the pipeline committed, read back as a downstream reader sees it ({@code read_committed}), in the reference
 * model's terms: the registrations topic as records the model can take, the newest totals of every bucket in the
 * totals topic, and {@code region_totals} in PostgreSQL; and how two sets of buckets differ.
 */
final class CommittedTotals {

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(1);

    private CommittedTotals() {
    }

    /** A consumer of committed records only, in a group of its own that starts at the beginning. */
    static KafkaConsumer<byte[], byte[]> committedReader(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "committed-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaConsumer<byte[], byte[]> groupless(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Every record of the registrations topic as the counting application receives it: key, value (an event, or
     * the raw bytes when they do not decode) and Kafka timestamp, partition after partition. Each person's records
     * keep their order, as they share a partition; the counting rules never relate two people.
     */
    static List<SentRecord> registrations(String bootstrapServers, String registryUrl) {
        RecordDecoder decoder = new RecordDecoder(new RestSchemaRegistryClient(registryUrl));
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(Topics.REGISTRATIONS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            readToEnd(consumer, partitions, read::add);
        }
        // a stable sort: offset order within each partition stays as polled
        read.sort(Comparator.comparingInt(ConsumerRecord::partition));
        List<SentRecord> records = new ArrayList<>(read.size());
        for (ConsumerRecord<byte[], byte[]> record : read) {
            records.add(decoder.decode(record.topic(), record.key(), record.value(), record.timestamp()));
        }
        return records;
    }

    /** Polls until every partition's position reaches its end as read_committed sees it (the last stable offset). */
    private static void readToEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            assertThat(System.nanoTime()).as("read %s to %s within %s", partitions, ends, READ_TIMEOUT).isLessThan(deadline);
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                each.accept(record);
            }
        }
    }

    private static List<TopicPartition> partitions(Topics.TopicSpec topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(topic.name(), p));
        }
        return partitions;
    }

    /** Follows the totals topic from its beginning and keeps the newest committed totals of every bucket. */
    static final class TopicReader implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final SpecificAvroDeserializer<TotalsKey> keys;
        private final SpecificAvroDeserializer<Totals> values;
        private final List<TopicPartition> partitions = partitions(Topics.TOTALS);
        private final Map<Bucket, Metrics> newest = new HashMap<>();

        TopicReader(String bootstrapServers, String registryUrl) {
            this(committedReader(bootstrapServers), registryUrl);
        }

        /**
         * A reader with these client settings (address and credentials): no group, nothing committed, so a principal
         * that may only read the totals topic (bi) can follow it.
         */
        TopicReader(Map<String, Object> client, String registryUrl) {
            this(groupless(client), registryUrl);
        }

        private TopicReader(KafkaConsumer<byte[], byte[]> consumer, String registryUrl) {
            this.consumer = consumer;
            keys = new SpecificAvroDeserializer<>(TotalsKey.class, new RestSchemaRegistryClient(registryUrl));
            values = new SpecificAvroDeserializer<>(Totals.class, new RestSchemaRegistryClient(registryUrl));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads what was committed since the last call; the newest totals of every bucket so far. */
        Map<Bucket, Metrics> catchUp() {
            readToEnd(consumer, partitions, record -> {
                Totals totals = values.deserialize(record.topic(), record.value());
                assertThat(totals).as("totals records are never tombstones").isNotNull();
                newest.put(Bucket.of(keys.deserialize(record.topic(), record.key())), metrics(totals));
            });
            return new HashMap<>(newest);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    static Metrics metrics(Totals t) {
        return new Metrics(t.getReturnees(), t.getEmployedNearHome(), t.getBusinessesStarted(), t.getGuaranteedLoansFen(),
                t.getJobsCreated(), t.getTrained());
    }

    /** The buckets whose metrics are not all zero: the reference model leaves the others out. */
    static Map<Bucket, Metrics> nonZero(Map<Bucket, Metrics> totals) {
        Map<Bucket, Metrics> nonZero = new HashMap<>(totals);
        nonZero.values().removeIf(Metrics::isZero);
        return nonZero;
    }

    /** Every row of {@code region_totals}; none before the sink has created the table. */
    static Map<Bucket, Metrics> regionTotals(String jdbcUrl) throws SQLException {
        return regionTotals(jdbcUrl, Postgres.SUPERUSER, "");
    }

    /** As {@link #regionTotals(String)}, as {@code user}. */
    static Map<Bucket, Metrics> regionTotals(String jdbcUrl, String user, String password) throws SQLException {
        Map<Bucket, Metrics> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
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

    /**
     * The first {@code limit} buckets (in text order) where {@code actual} differs from {@code expected}, a missing
     * bucket counting as zeros, then how many differ in all; empty when they agree.
     */
    static List<String> differences(Map<Bucket, Metrics> expected, Map<Bucket, Metrics> actual, int limit) {
        Set<Bucket> buckets = new TreeSet<>(Comparator.comparing(Bucket::text));
        buckets.addAll(nonZero(expected).keySet());
        buckets.addAll(nonZero(actual).keySet());
        List<String> differences = new ArrayList<>();
        int differing = 0;
        for (Bucket bucket : buckets) {
            Metrics want = expected.getOrDefault(bucket, Metrics.ZERO);
            Metrics got = actual.getOrDefault(bucket, Metrics.ZERO);
            if (!want.equals(got)) {
                differing++;
                if (differences.size() < limit) {
                    differences.add(bucket.text() + ": expected " + want + ", found " + got);
                }
            }
        }
        if (differing > differences.size()) {
            differences.add("... " + differing + " of " + buckets.size() + " buckets differ");
        }
        return differences;
    }
}
