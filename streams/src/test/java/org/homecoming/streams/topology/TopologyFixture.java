package org.homecoming.streams.topology;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.ReferenceModel;
import org.homecoming.streams.model.SentRecord;

/**
 * The production topology in a {@link TopologyTestDriver}, with the production topics, serdes (no
 * auto-registration: the contract's schemas are registered first, as in a deployment) and exactly-once v2.
 * Reads every output record and keeps the totals topic as a compacted consumer would.
 */
final class TopologyFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2021-03-15T04:00:00Z");

    /** The local phase's flush interval; the fixture advances the wall clock by it after each record. */
    static final Duration FLUSH = Duration.ofMillis(100);

    private final SpecificAvroSerde<RegistrationEvent> eventSerde;
    private final SpecificAvroSerde<TotalsKey> keySerde;
    private final SpecificAvroSerde<Totals> totalsSerde;
    private final Topology topology;
    private final Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> registrations;
    private TestOutputTopic<TotalsKey, Totals> totalsTopic;
    private TestOutputTopic<String, RegistrationEvent> acceptedTopic;
    private TestOutputTopic<byte[], byte[]> rejectedTopic;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<Bucket, Metrics> totals = new HashMap<>();
    private final List<Totals> totalsRecords = new ArrayList<>();
    private final List<Instant> totalsTimestamps = new ArrayList<>();
    private final List<RegistrationEvent> accepted = new ArrayList<>();
    private final List<TestRecord<byte[], byte[]>> rejected = new ArrayList<>();
    private final List<SentRecord> sent = new ArrayList<>();

    /** The production topology with RocksDB stores. */
    TopologyFixture(Path stateDir) {
        this(stateDir, Stores::persistentKeyValueStore);
    }

    /** The production topology with stores of the given kind. */
    TopologyFixture(Path stateDir, Function<String, KeyValueBytesStoreSupplier> stores) {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ContractSchemas.registerAll(registry);
        eventSerde = SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false);
        keySerde = SpecificAvroSerde.of(TotalsKey.class, registry, false, true);
        totalsSerde = SpecificAvroSerde.of(Totals.class, registry, false, false);
        topology = TotalsTopology.build(new TopologySerdes(eventSerde, keySerde, totalsSerde), Regions.shanxi(),
                Clock.fixed(NOW, ZoneOffset.UTC), FLUSH, stores, meters);
        this.stateDir = stateDir;
        start();
    }

    private void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "homecoming-totals-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, config);
        registrations = driver.createInputTopic(Topics.REGISTRATIONS.name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        totalsTopic = driver.createOutputTopic(Topics.TOTALS.name(), keySerde.deserializer(), totalsSerde.deserializer());
        acceptedTopic = driver.createOutputTopic(Topics.ACCEPTED.name(), Serdes.String().deserializer(),
                eventSerde.deserializer());
        rejectedTopic = driver.createOutputTopic(Topics.REJECTED.name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    /** Sends one record and lets the local phase flush, as the wall clock would within one flush interval. */
    void send(SentRecord record) {
        sendWithoutFlush(record);
        driver.advanceWallClockTime(FLUSH);
        drain();
    }

    /**
     * Sends one record and commits it, but the local phase does not flush: the ledger holds a change that the
     * partials sent so far do not, as after a commit that came before the flush.
     */
    void sendWithoutFlush(SentRecord record) {
        byte[] value = record.event() == null ? record.raw() : serialize(record.event());
        registrations.pipeInput(record.key(), value, record.timestamp());
        sent.add(record);
        drain();
    }

    /**
     * Closes the application and starts it again on the same state directory, as a restart or a rebalance
     * would: the local phase rebuilds its partials from the stores and sends what differs from what it sent.
     */
    void restart() {
        driver.close();
        start();
        driver.advanceWallClockTime(FLUSH);
        drain();
    }

    /** Sends an event keyed by its personRef, taken in at {@link #NOW}. */
    void send(RegistrationEvent event) {
        send(SentRecord.of(event, NOW));
    }

    /** The reference model fed with every record sent so far. */
    ReferenceModel model() {
        return ReferenceModel.of(Regions.shanxi(), sent);
    }

    byte[] serialize(RegistrationEvent event) {
        return eventSerde.serializer().serialize(Topics.REGISTRATIONS.name(), event);
    }

    private void drain() {
        for (TestRecord<TotalsKey, Totals> record : totalsTopic.readRecordsToList()) {
            Totals t = record.value();
            totalsRecords.add(t);
            totalsTimestamps.add(record.getRecordTime());
            totals.put(Bucket.of(record.key()), new Metrics(t.getReturnees(), t.getEmployedNearHome(),
                    t.getBusinessesStarted(), t.getGuaranteedLoansFen(), t.getJobsCreated(), t.getTrained()));
        }
        acceptedTopic.readRecordsToList().forEach(r -> accepted.add(r.value()));
        rejected.addAll(rejectedTopic.readRecordsToList());
    }

    /** The newest value of every bucket ever written, zeros included. */
    Map<Bucket, Metrics> totals() {
        return Map.copyOf(totals);
    }

    /** The newest value of every bucket whose numbers are not all zero. */
    Map<Bucket, Metrics> nonZeroTotals() {
        Map<Bucket, Metrics> nonZero = new HashMap<>(totals);
        nonZero.values().removeIf(Metrics::isZero);
        return nonZero;
    }

    /** One bucket's newest value, zero when never written. */
    Metrics bucket(Bucket bucket) {
        return totals.getOrDefault(bucket, Metrics.ZERO);
    }

    /** Every totals record written so far, in order. */
    List<Totals> totalsRecords() {
        return List.copyOf(totalsRecords);
    }

    /** The Kafka timestamp of every totals record written so far, in order. */
    List<Instant> totalsTimestamps() {
        return List.copyOf(totalsTimestamps);
    }

    /** The meters the topology counts into. */
    SimpleMeterRegistry meters() {
        return meters;
    }

    /** Events written to the accepted topic, in order. */
    List<RegistrationEvent> accepted() {
        return List.copyOf(accepted);
    }

    /** Records written to the rejected topic, in order. */
    List<TestRecord<byte[], byte[]>> rejected() {
        return List.copyOf(rejected);
    }

    /** The reason header of every rejected record, in order. */
    List<String> rejectedReasons() {
        return rejected.stream().map(r -> header(r, Headers.REJECT_REASON)).toList();
    }

    static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
