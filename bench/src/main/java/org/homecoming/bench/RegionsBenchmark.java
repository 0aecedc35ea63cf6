package org.homecoming.bench;

import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.topology.Bucket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Reference-data lookups and the fan-out of one fact into its 16 buckets (township, county, city,
 * province x all time, year, month, day), which the topology does for every counted change.
 */
public class RegionsBenchmark extends PerRecordBenchmark {

    private Regions regions;
    private List<RegistrationEvent> events;
    private int next;

    @Setup
    public void setUp() {
        regions = Regions.shanxi();
        events = Samples.events(regions);
    }

    @Benchmark
    public boolean isTownship() {
        next = (next + 1) & (Samples.SIZE - 1);
        return regions.isTownship(events.get(next).getTownshipCode());
    }

    @Benchmark
    public String[] lineage() {
        next = (next + 1) & (Samples.SIZE - 1);
        return regions.lineage(events.get(next).getTownshipCode());
    }

    @Benchmark
    public List<String> bucketExpansion() {
        next = (next + 1) & (Samples.SIZE - 1);
        RegistrationEvent event = events.get(next);
        List<String> buckets = new ArrayList<>(16);
        for (String region : regions.lineage(event.getTownshipCode())) {
            for (Bucket bucket : Bucket.periodsOf(region, event.getOccurredOn())) {
                buckets.add(bucket.text());
            }
        }
        return buckets;
    }
}
