package org.homecoming.streams.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;

/**
 * The counting rules of docs/counting-rules.md: decode and validate each registration, keep each person's
 * ledger (dedupe, retractions, who counts where), and count every person change in the 16 buckets it touches
 * (township, county, city, province x all time, year, month, day) in two phases. The local phase, in the task
 * that owns the person, keeps that input partition's absolute partial per bucket and sends the changed ones
 * once per flush interval; the global phase, keyed by bucket, sums the latest partial of every partition and
 * writes the absolute total to the compacted totals topic. Accepted events go to the accepted topic as they
 * arrived, refused records with their reason to the rejected topic; the application never stops on bad input.
 * Each totals record carries, as its timestamp, the newest registration timestamp the local phase had read when it
 * sent the partial, so the view can tell how fresh the totals are.
 *
 * <p>{@link #addTo} adds the topology to a given builder (the one Spring's {@code StreamsBuilderFactoryBean} runs);
 * {@link #build} makes it on a builder of its own, for the tests.
 */
public final class TotalsTopology {

    private TotalsTopology() {
    }

    /** The topology with RocksDB stores, counting into {@code meters}. */
    public static Topology build(TopologySerdes serdes, Regions regions, Clock clock, Duration flushInterval,
                                 MeterRegistry meters) {
        return build(serdes, regions, clock, flushInterval, Stores::persistentKeyValueStore, meters);
    }

    /**
     * Builds the topology with stores of another kind. Production keeps every store in RocksDB; a test driver
     * that commits after every record may keep them in memory, where a RocksDB flush per commit would cost a
     * quarter of a second.
     *
     * @param flushInterval how often the local phase sends its changed partials (wall-clock)
     * @param stores        makes the supplier of the store with the given name
     * @param meters        where accepted, rejected and duplicate records are counted
     */
    public static Topology build(TopologySerdes serdes, Regions regions, Clock clock, Duration flushInterval,
                                 Function<String, KeyValueBytesStoreSupplier> stores, MeterRegistry meters) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, serdes, regions, clock, flushInterval, stores, meters);
        return builder.build();
    }

    /** Adds the topology, with RocksDB stores, to {@code builder}. */
    public static void addTo(StreamsBuilder builder, TopologySerdes serdes, Regions regions, Clock clock,
                             Duration flushInterval, MeterRegistry meters) {
        addTo(builder, serdes, regions, clock, flushInterval, Stores::persistentKeyValueStore, meters);
    }

    /** Adds the topology to {@code builder}; the parameters are those of {@link #build}. */
    public static void addTo(StreamsBuilder builder, TopologySerdes serdes, Regions regions, Clock clock,
                             Duration flushInterval, Function<String, KeyValueBytesStoreSupplier> stores,
                             MeterRegistry meters) {
        CountingMeters counting = new CountingMeters(meters);
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(Names.PERSON_LEDGER_STORE),
                Serdes.String(), new PersonLedgerSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(Names.EMITTED_PARTIALS_STORE),
                Serdes.Long(), new MetricsSerde()));
        EventRules rules = new EventRules(regions);

        KStream<byte[], Decoded> decoded = builder
                .stream(Topics.REGISTRATIONS.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(Names.REGISTRATIONS_SOURCE))
                .processValues(() -> new DecodeProcessor(serdes.event().deserializer(), rules), Named.as(Names.DECODE));

        Map<String, KStream<byte[], Decoded>> routes = decoded.split(Named.as(Names.ROUTE))
                .branch((key, value) -> value.isRejected(), Branched.as(Names.ROUTE_REJECTED))
                .defaultBranch(Branched.as(Names.ROUTE_ACCEPTED));

        KStream<String, Outcome> outcomes = routes.get(Names.ROUTE + Names.ROUTE_ACCEPTED)
                .process(() -> new PersonLedgerProcessor(regions, counting), Named.as(Names.PERSON_LEDGER),
                        Names.PERSON_LEDGER_STORE);
        Map<String, KStream<String, Outcome>> byOutcome = outcomes.split(Named.as(Names.OUTCOME))
                .branch((key, value) -> value.accepted() != null, Branched.as(Names.OUTCOME_ACCEPTED))
                .branch((key, value) -> value.rejected() != null, Branched.as(Names.OUTCOME_REJECTED))
                .defaultBranch(Branched.as(Names.OUTCOME_CHANGE));

        byOutcome.get(Names.OUTCOME + Names.OUTCOME_ACCEPTED)
                .map((key, value) -> KeyValue.pair(value.accepted().key(), value.accepted().value()),
                        Named.as(Names.ACCEPTED_EVENT))
                .to(Topics.ACCEPTED.name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(Names.ACCEPTED_SINK));

        KStream<byte[], Rejection> ledgerRejections = byOutcome.get(Names.OUTCOME + Names.OUTCOME_REJECTED)
                .map((key, value) -> KeyValue.pair(value.rejected().key(), value.rejected()),
                        Named.as(Names.LEDGER_REJECTION));
        routes.get(Names.ROUTE + Names.ROUTE_REJECTED)
                .mapValues(Decoded::rejection, Named.as(Names.DECODE_REJECTION))
                .merge(ledgerRejections, Named.as(Names.MERGE_REJECTED))
                .processValues(() -> new RejectedRecords(counting), Named.as(Names.REJECTED_TO_RECORD))
                .to(Topics.REJECTED.name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(Names.REJECTED_SINK));

        byOutcome.get(Names.OUTCOME + Names.OUTCOME_CHANGE)
                .process(() -> new LocalPartialsProcessor(regions, flushInterval), Named.as(Names.LOCAL_PARTIALS),
                        Names.PERSON_LEDGER_STORE, Names.EMITTED_PARTIALS_STORE)
                .groupByKey(Grouped.with(Names.PARTIALS_BY_BUCKET, Serdes.Long(), new PartitionPartial.PartitionPartialSerde()))
                // Cached, so each bucket's total is written once per commit however many partitions sent a partial.
                .aggregate(() -> BucketPartials.NONE, (bucket, partial, partials) -> partials.with(partial),
                        Named.as(Names.SUM_PARTIALS),
                        Materialized.<Long, BucketPartials>as(stores.apply(Names.BUCKET_PARTIALS_STORE))
                                .withKeySerde(Serdes.Long())
                                .withValueSerde(new BucketPartials.BucketPartialsSerde()))
                .toStream(Named.as(Names.PARTIALS_TO_STREAM))
                .process(() -> new GlobalTotalsProcessor(regions, clock), Named.as(Names.TO_TOTALS))
                .to(Topics.TOTALS.name(), Produced.with(serdes.totalsKey(), serdes.totals()).withName(Names.TOTALS_SINK));
    }
}
