package org.homecoming.streams.topology;

import java.time.Clock;
import java.time.LocalDate;

import com.carrotsearch.hppc.LongObjectHashMap;

import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Metrics;

/**
 * The global phase of the two-phase totals, keyed by bucket: keeps the latest partial of every input
 * partition in {@link Names#BUCKET_PARTIALS_STORE} and writes their sum, the bucket's absolute total, to the
 * totals topic.
 */
final class GlobalTotalsProcessor extends ContextualProcessor<Long, PartitionPartial, TotalsKey, Totals> {

    private final LongObjectHashMap<Region> regions = new LongObjectHashMap<>();
    private final Clock clock;
    private KeyValueStore<Long, BucketPartials> store;

    GlobalTotalsProcessor(Regions regions, Clock clock) {
        // By packed code, so a totals record needs neither a code string nor a map lookup by one.
        regions.all().forEach(region -> this.regions.put(Bucket.packedCode(region.code()), region));
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
        Region region = regions.get(Bucket.packedCode(packed));
        if (region == null) {
            throw new IllegalStateException("A partial for a region that is not in the reference data: " + packed);
        }
        PeriodKind kind = Bucket.packedKind(packed);
        LocalDate start = Bucket.packedStart(packed);
        context().forward(new Record<>(new TotalsKey(region.code(), kind, start),
                totals(region, kind, start, after.total()), record.timestamp()));
    }

    private Totals totals(Region region, PeriodKind kind, LocalDate start, Metrics total) {
        return Totals.newBuilder()
                .setRegionCode(region.code())
                .setRegionLevel(region.level())
                .setPeriodKind(kind)
                .setPeriodStart(start)
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
