package org.homecoming.streams.topology;

import java.time.Clock;
import java.time.LocalDate;

import com.carrotsearch.hppc.LongObjectHashMap;

import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Metrics;

/**
 * The last step of the global phase: a bucket's partials, as the cached {@link Names#BUCKET_PARTIALS_STORE}
 * hands them on at a commit, become the bucket's totals record, their sum.
 */
final class GlobalTotalsProcessor extends ContextualProcessor<Long, BucketPartials, TotalsKey, Totals> {

    private final LongObjectHashMap<Region> regions = new LongObjectHashMap<>();
    private final Clock clock;

    GlobalTotalsProcessor(Regions regions, Clock clock) {
        // By packed code, so a totals record needs neither a code string nor a map lookup by one.
        regions.all().forEach(region -> this.regions.put(Bucket.packedCode(region.code()), region));
        this.clock = clock;
    }

    @Override
    public void process(Record<Long, BucketPartials> record) {
        long packed = record.key();
        Region region = regions.get(Bucket.packedCode(packed));
        if (region == null) {
            throw new IllegalStateException("A partial for a region that is not in the reference data: " + packed);
        }
        PeriodKind kind = Bucket.packedKind(packed);
        LocalDate start = Bucket.packedStart(packed);
        context().forward(new Record<>(new TotalsKey(region.code(), kind, start),
                totals(region, kind, start, record.value().total()), record.timestamp()));
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
