package org.homecoming.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * What Kafka itself does on this broker, as the yardstick for Homecoming: (a) a bare idempotent
 * {@code acks=all} producer writing 150-byte records to 6 partitions, and (b) a bare Kafka Streams
 * {@code groupBy(one of 1,000 keys).count()} under {@code exactly_once_v2} over those same records, the
 * floor of work any exactly-once aggregation does (a repartition, a state store, a changelog, a
 * transaction per commit).
 */
public final class Yardsticks {

    /** Input of both yardsticks. */
    static final String INPUT = "bench.yardstick.input";
    /** Counts of the bare Streams app. */
    static final String COUNTS = "bench.yardstick.counts";
    static final int PARTITIONS = 6;
    static final int RECORD_BYTES = 150;
    static final int GROUPS = 1_000;

    private final String bootstrapServers;
    private final Path stateDir;

    public Yardsticks(String bootstrapServers, Path stateDir) {
        this.bootstrapServers = bootstrapServers;
        this.stateDir = stateDir;
    }

    /** The producer's settings, reported beside its rate. */
    static Map<String, Object> producerSettings() {
        return Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    }

    /**
     * Rate of one run.
     *
     * @param records records processed
     * @param elapsed how long they took
     */
    public record Rate(long records, Duration elapsed) {
        public double perSecond() {
            return records / Math.max(elapsed.toNanos() / 1e9, 1e-9);
        }
    }

    /**
     * Creates the two topics (they must not exist yet) and waits until the broker leads every partition.
     * An idempotent producer whose first batch meets NOT_LEADER_OR_FOLLOWER on a brand-new partition can
     * see its later batches accepted first and then retry the first one into OUT_OF_ORDER_SEQUENCE_NUMBER
     * until it times out, so nothing is produced before the partitions answer ListOffsets, which only
     * the leader does.
     */
    public void createTopics() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short) 1), new NewTopic(COUNTS, PARTITIONS, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the yardstick topics", e);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = java.util.stream.Stream.of(INPUT, COUNTS)
                    .flatMap(topic -> java.util.stream.IntStream.range(0, PARTITIONS)
                            .mapToObj(p -> new TopicPartition(topic, p)))
                    .toList();
            consumer.endOffsets(partitions, Duration.ofSeconds(60));
        }
    }

    /**
     * (a) Produces {@code records} records as fast as one producer can and waits for every
     * acknowledgement. Keys are distinct; the first two bytes of each value name one of 1,000 groups,
     * spread evenly.
     */
    public Rate produce(long records) {
        Map<String, Object> config = new HashMap<>(producerSettings());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        AtomicReference<Exception> failure = new AtomicReference<>();
        SplittableRandom random = new SplittableRandom(1);
        byte[] padding = new byte[RECORD_BYTES];
        random.nextBytes(padding);
        long begin;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            begin = System.nanoTime();
            for (long i = 0; i < records; i++) {
                byte[] value = padding.clone();
                int group = (int) (i % GROUPS);
                value[0] = (byte) (group >>> 8);
                value[1] = (byte) group;
                producer.send(new ProducerRecord<>(INPUT, Long.toString(i), value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
        if (failure.get() != null) {
            throw new IllegalStateException("The yardstick producer failed", failure.get());
        }
        return new Rate(records, elapsed);
    }

    /** The bare count: regroup by the value's group, count, write the counts. */
    static Topology countTopology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("yardstick-source"))
                .groupBy((key, value) -> Integer.toString(((value[0] & 0xff) << 8) | (value[1] & 0xff)),
                        Grouped.with("yardstick-by-group", Serdes.String(), Serdes.ByteArray()))
                .count(Named.as("yardstick-count"), Materialized.as("yardstick-counts"))
                .toStream(Named.as("yardstick-to-stream"))
                .to(COUNTS, Produced.with(Serdes.String(), Serdes.Long()).withName("yardstick-sink"));
        return builder.build();
    }

    /**
     * (b) Runs the bare count under exactly-once v2 over the {@code records} already in the input topic,
     * timed from the moment the app is running until the committed counts add up to {@code records}.
     */
    public Rate count(long records, Duration timeout) throws InterruptedException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-yardstick-count");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        CountDownLatch running = new CountDownLatch(1);
        KafkaStreams streams = new KafkaStreams(countTopology(), props);
        try (KafkaConsumer<String, Long> counts = countsConsumer()) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The yardstick Streams app did not start in " + timeout);
            }
            long begin = System.nanoTime();
            long deadline = begin + timeout.toNanos();
            Map<String, Long> latest = new HashMap<>();
            AtomicLong sum = new AtomicLong();
            while (sum.get() != records) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The bare count reached " + sum.get() + " of " + records
                            + " in " + timeout);
                }
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("The yardstick Streams app failed");
                }
                for (ConsumerRecord<String, Long> record : counts.poll(Duration.ofMillis(20))) {
                    Long before = latest.put(record.key(), record.value());
                    sum.addAndGet(record.value() - (before == null ? 0 : before));
                }
            }
            return new Rate(records, Duration.ofNanos(System.nanoTime() - begin));
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    private KafkaConsumer<String, Long> countsConsumer() {
        KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new LongDeserializer());
        Collection<TopicPartition> partitions = java.util.stream.IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(COUNTS, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
