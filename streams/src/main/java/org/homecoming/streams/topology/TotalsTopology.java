package org.homecoming.streams.topology;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.Totals;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Regions;

/**
 * Counts returnee registrations per bucket (township, county, city, province x all time, year, month,
 * day) and writes absolute counts to the compacted totals topic. Records that cannot be read go to the
 * rejected topic with their reason; the application never stops on bad input.
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
        StreamsBuilder builder = new StreamsBuilder();

        KStream<byte[], Decoded> decoded = builder
                .stream(Topics.REGISTRATIONS.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(Names.REGISTRATIONS_SOURCE))
                .processValues(() -> new DecodeProcessor(serdes.event().deserializer()), Named.as(Names.DECODE));

        var routes = decoded.split(Named.as(Names.ROUTE))
                .branch((key, value) -> value.isRejected(), Branched.as(Names.ROUTE_REJECTED))
                .defaultBranch(Branched.as(Names.ROUTE_ACCEPTED));

        routes.get(Names.ROUTE + Names.ROUTE_REJECTED)
                .mapValues(Decoded::rejection, Named.as(Names.REJECTED_TO_RECORD + "-extract"))
                .processValues(RejectedRecords::new, Named.as(Names.REJECTED_TO_RECORD))
                .to(Topics.REJECTED.name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(Names.REJECTED_SINK));

        routes.get(Names.ROUTE + Names.ROUTE_ACCEPTED)
                .filter((key, value) -> value.event().getPayload() instanceof ReturneeRegistered
                        && regions.isTownship(value.event().getTownshipCode()), Named.as(Names.RETURNEES_ONLY))
                .flatMap((key, value) -> buckets(regions, value.event()), Named.as(Names.TO_BUCKETS))
                .groupByKey(Grouped.with(Names.BY_BUCKET, Serdes.String(), Serdes.String()))
                .count(Named.as(Names.COUNT_RETURNEES),
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(Names.RETURNEE_COUNT_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.Long()))
                .toStream(Named.as(Names.COUNTS_TO_STREAM))
                .map((bucketText, count) -> {
                    Bucket bucket = Bucket.parse(bucketText);
                    return KeyValue.pair(bucket.toKey(), totals(regions, bucket, count, clock));
                }, Named.as(Names.TO_TOTALS))
                .to(Topics.TOTALS.name(), Produced.with(serdes.totalsKey(), serdes.totals())
                        .withName(Names.TOTALS_SINK));

        return builder.build();
    }

    private static List<KeyValue<String, String>> buckets(Regions regions, RegistrationEvent event) {
        List<KeyValue<String, String>> buckets = new ArrayList<>(16);
        for (String region : regions.lineage(event.getTownshipCode())) {
            for (Bucket bucket : Bucket.periodsOf(region, event.getOccurredOn())) {
                buckets.add(KeyValue.pair(bucket.text(), event.getEventId().toString()));
            }
        }
        return buckets;
    }

    private static Totals totals(Regions regions, Bucket bucket, long returnees, Clock clock) {
        RegionLevel level = regions.find(bucket.regionCode()).orElseThrow().level();
        return Totals.newBuilder()
                .setRegionCode(bucket.regionCode())
                .setRegionLevel(level)
                .setPeriodKind(bucket.periodKind())
                .setPeriodStart(bucket.periodStart())
                .setReturnees(returnees)
                .setEmployedNearHome(0)
                .setBusinessesStarted(0)
                .setGuaranteedLoansFen(0)
                .setJobsCreated(0)
                .setTrained(0)
                .setUpdatedAt(clock.instant())
                .build();
    }
}
