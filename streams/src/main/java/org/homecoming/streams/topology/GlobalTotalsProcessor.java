package org.homecoming.streams.topology;

import java.time.Clock;

import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Metrics;

/**
 * The global phase of the two-phase totals, keyed by bucket: keeps the latest partial of every input
 * partition in {@link Names#BUCKET_PARTIALS_STORE} and writes their sum, the bucket's absolute total, to the
 * totals topic.
 */
final class GlobalTotalsProcessor extends ContextualProcessor<Long, PartitionPartial, TotalsKey, Totals> {

    private final Regions regions;
    private final Clock clock;
    private KeyValueStore<Long, BucketPartials> store;

    GlobalTotalsProcessor(Regions regions, Clock clock) {
        this.regions = regions;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<TotalsKey, Totals> context) {
        super.init(context);
        store = context.getStateStore(Names.BUCKET_PARTIALS_STORE);
    }

    @Override
    public void process(Record<Long, PartitionPartial> record) {
        long packed = record.key();
        BucketPartials before = store.get(packed);
        if (before == null) {
            before = BucketPartials.NONE;
        }
        BucketPartials after = before.with(record.value());
        // One partition's term changed or the sum did not: a partial sent again after a restart writes nothing.
        if (before.equals(after)) {
            return;
        }
        store.put(packed, after.isEmpty() ? null : after);
        Metrics total = after.total();
        Bucket bucket = Bucket.unpacked(packed);
        context().forward(new Record<>(bucket.toKey(), totals(bucket, total), record.timestamp()));
    }

    private Totals totals(Bucket bucket, Metrics total) {
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
