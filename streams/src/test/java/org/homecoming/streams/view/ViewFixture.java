package org.homecoming.streams.view;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.homecoming.streams.topology.Bucket;
import org.homecoming.streams.topology.Names;

/**
 * The view topology in a {@link TopologyTestDriver}: totals piped into the totals topic land in the real
 * {@code totals-view-store}, which a {@link TotalsLookup} reads as the API does (through {@link TotalsViewCodec}).
 */
final class ViewFixture implements AutoCloseable {

    final Regions regions = Regions.shanxi();
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    /** The counting application's serdes, writing the totals topic. */
    final SpecificAvroSerde<TotalsKey> keySerde = SpecificAvroSerde.of(TotalsKey.class, registry, false, true);
    final SpecificAvroSerde<Totals> valueSerde = SpecificAvroSerde.of(Totals.class, registry, false, false);
    /** The view's own, as its Spring configuration makes them. */
    final TotalsViewCodec codec = new TotalsViewCodec(SpecificAvroSerde.of(TotalsKey.class, registry, false, true)
            .serializer(), SpecificAvroSerde.of(Totals.class, registry, false, false).deserializer());
    final TotalsFreshness freshness = new TotalsFreshness();
    final TopologyTestDriver driver;
    final TestInputTopic<TotalsKey, Totals> totalsTopic;

    ViewFixture(Path stateDir) {
        // registered beforehand, as in production, where no service registers a schema
        registry.register(Topics.keySubject(Topics.TOTALS.name()), TotalsKey.getClassSchema());
        registry.register(Topics.valueSubject(Topics.TOTALS.name()), Totals.getClassSchema());
        Properties config = TotalsViewTopology.config(TotalsViewTopology.APPLICATION_ID, "localhost:9", stateDir.toString(),
                "localhost:8082", 1);
        driver = new TopologyTestDriver(TotalsViewTopology.build(freshness), config);
        totalsTopic = driver.createInputTopic(Topics.TOTALS.name(), keySerde.serializer(), valueSerde.serializer());
    }

    /** Writes the totals of one bucket as the counting application would. */
    void put(String region, PeriodKind kind, LocalDate start, long returnees, long employed, long businesses,
             long loansFen, long jobs, long trained, Instant updatedAt) {
        put(region, kind, start, returnees, employed, businesses, loansFen, jobs, trained, updatedAt, updatedAt);
    }

    /** Writes the totals of one bucket with the record timestamp the counting application gave it. */
    void put(String region, PeriodKind kind, LocalDate start, long returnees, long employed, long businesses,
             long loansFen, long jobs, long trained, Instant updatedAt, Instant recordTime) {
        totalsTopic.pipeInput(new TotalsKey(region, kind, start), Totals.newBuilder()
                .setRegionCode(region)
                .setRegionLevel(regions.find(region).orElseThrow().level())
                .setPeriodKind(kind)
                .setPeriodStart(start)
                .setReturnees(returnees)
                .setEmployedNearHome(employed)
                .setBusinessesStarted(businesses)
                .setGuaranteedLoansFen(loansFen)
                .setJobsCreated(jobs)
                .setTrained(trained)
                .setUpdatedAt(updatedAt)
                .build(), recordTime);
    }

    /** Writes returnees only, all time. */
    void putReturnees(String region, long returnees, Instant updatedAt) {
        put(region, PeriodKind.ALL, Bucket.ALL_TIME_START, returnees, 0, 0, 0, 0, 0, updatedAt);
    }

    /** Deletes a bucket (tombstone). */
    void delete(String region, PeriodKind kind, LocalDate start) {
        totalsTopic.pipeInput(new TotalsKey(region, kind, start), null);
    }

    KeyValueStore<Bytes, byte[]> store() {
        return driver.getKeyValueStore(Names.TOTALS_VIEW_STORE);
    }

    /** A lookup over the driver's store, as the one instance owning every bucket. */
    TotalsLookup lookup() {
        return (Collection<Bucket> buckets) -> {
            Map<Bucket, StoredTotals> found = new HashMap<>();
            for (StoredTotals totals : codec.read(store(), buckets.stream().map(codec::key).toList())) {
                found.put(totals.bucket(), totals);
            }
            return found;
        };
    }

    @Override
    public void close() {
        driver.close();
    }
}
