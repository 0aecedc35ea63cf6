package org.homecoming.streams.topology;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

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
import org.homecoming.events.RegionLevel;
import org.homecoming.events.Totals;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.homecoming.streams.counting.Metrics;

/**
 * The counting rules of docs/counting-rules.md: decode and validate each registration, keep each
 * person's ledger (dedupe, retractions, who counts where), and add every person change to the 16
 * buckets it touches (township, county, city, province x all time, year, month, day). Writes absolute
 * totals to the compacted totals topic, accepted events to the accepted topic and refused records,
 * with their reason, to the rejected topic; the application never stops on bad input.
 */
public final class TotalsTopology {

    private TotalsTopology() {
    }

    /**
     * Builds the topology.
     *
     * @param serdes  serdes of the external topics
     * @param regions the reference data
     * @param clock   the clock stamping {@code updatedAt}
     */
    public static Topology build(TopologySerdes serdes, Regions regions, Clock clock) {
        return build(serdes, regions, clock, Stores::persistentKeyValueStore);
    }

    /**
     * Builds the topology with stores of another kind. Production keeps both stores in RocksDB (the
     * three-argument {@link #build(TopologySerdes, Regions, Clock)}); a test driver that commits after every
     * record may keep them in memory, where a RocksDB flush per commit would cost a quarter of a second.
     *
     * @param stores makes the supplier of the store with the given name
     */
    public static Topology build(TopologySerdes serdes, Regions regions, Clock clock,
                                 Function<String, KeyValueBytesStoreSupplier> stores) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(Names.PERSON_LEDGER_STORE),
                Serdes.String(), new PersonLedgerSerde()));
        EventRules rules = new EventRules(regions);

        KStream<byte[], Decoded> decoded = builder
                .stream(Topics.REGISTRATIONS.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(Names.REGISTRATIONS_SOURCE))
                .processValues(() -> new DecodeProcessor(serdes.event().deserializer(), rules), Named.as(Names.DECODE));

        Map<String, KStream<byte[], Decoded>> routes = decoded.split(Named.as(Names.ROUTE))
                .branch((key, value) -> value.isRejected(), Branched.as(Names.ROUTE_REJECTED))
                .defaultBranch(Branched.as(Names.ROUTE_ACCEPTED));

        KStream<String, Outcome> outcomes = routes.get(Names.ROUTE + Names.ROUTE_ACCEPTED)
                .process(() -> new PersonLedgerProcessor(regions), Named.as(Names.PERSON_LEDGER),
                        Names.PERSON_LEDGER_STORE);
        Map<String, KStream<String, Outcome>> byOutcome = outcomes.split(Named.as(Names.OUTCOME))
                .branch((key, value) -> value.accepted() != null, Branched.as(Names.OUTCOME_ACCEPTED))
                .branch((key, value) -> value.rejected() != null, Branched.as(Names.OUTCOME_REJECTED))
                .defaultBranch(Branched.as(Names.OUTCOME_DELTA));

        byOutcome.get(Names.OUTCOME + Names.OUTCOME_ACCEPTED)
                .mapValues(Outcome::accepted, Named.as(Names.ACCEPTED_EVENT))
                .to(Topics.ACCEPTED.name(), Produced.with(Serdes.String(), serdes.event()).withName(Names.ACCEPTED_SINK));

        KStream<byte[], Rejection> ledgerRejections = byOutcome.get(Names.OUTCOME + Names.OUTCOME_REJECTED)
                .map((key, value) -> KeyValue.pair(value.rejected().key(), value.rejected()),
                        Named.as(Names.LEDGER_REJECTION));
        routes.get(Names.ROUTE + Names.ROUTE_REJECTED)
                .mapValues(Decoded::rejection, Named.as(Names.DECODE_REJECTION))
                .merge(ledgerRejections, Named.as(Names.MERGE_REJECTED))
                .processValues(RejectedRecords::new, Named.as(Names.REJECTED_TO_RECORD))
                .to(Topics.REJECTED.name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(Names.REJECTED_SINK));

        MetricsSerde metricsSerde = new MetricsSerde();
        byOutcome.get(Names.OUTCOME + Names.OUTCOME_DELTA)
                .mapValues(Outcome::delta, Named.as(Names.BUCKET_DELTA))
                .groupByKey(Grouped.with(Names.BY_BUCKET, Serdes.String(), metricsSerde))
                .aggregate(() -> Metrics.ZERO, (bucket, delta, total) -> total.plus(delta), Named.as(Names.SUM_TOTALS),
                        Materialized.<String, Metrics>as(stores.apply(Names.TOTALS_STORE))
                                .withKeySerde(Serdes.String())
                                .withValueSerde(metricsSerde))
                .toStream(Named.as(Names.TOTALS_TO_STREAM))
                .map((bucketText, total) -> {
                    Bucket bucket = Bucket.parse(bucketText);
                    return KeyValue.pair(bucket.toKey(), totals(regions, bucket, total, clock));
                }, Named.as(Names.TO_TOTALS))
                .to(Topics.TOTALS.name(), Produced.with(serdes.totalsKey(), serdes.totals())
                        .withName(Names.TOTALS_SINK));

        return builder.build();
    }

    private static Totals totals(Regions regions, Bucket bucket, Metrics total, Clock clock) {
        RegionLevel level = regions.find(bucket.regionCode()).orElseThrow().level();
        return Totals.newBuilder()
                .setRegionCode(bucket.regionCode())
                .setRegionLevel(level)
                .setPeriodKind(bucket.periodKind())
                .setPeriodStart(bucket.periodStart())
                .setReturnees(total.returnees())
                .setEmployedNearHome(total.employedNearHome())
                .setBusinessesStarted(total.businessesStarted())
                .setGuaranteedLoansFen(total.guaranteedLoansFen())
                .setJobsCreated(total.jobsCreated())
                .setTrained(total.trained())
                .setUpdatedAt(clock.instant())
                .build();
    }
}
