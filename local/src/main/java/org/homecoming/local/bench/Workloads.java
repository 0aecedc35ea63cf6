package org.homecoming.local.bench;

import org.homecoming.schemas.region.Regions;

/**
 * Chooses the end-to-end workload: the province-year replay (2020 at {@code --scale}, with its default noise
 * and its own expected totals), or, when a number of events is given ({@code --events}, {@code --quick}),
 * that many returnee registrations of as many people.
 */
public final class Workloads {

    private Workloads() {
    }

    /** The workload of a run. */
    public static Workload forRun(BenchOptions options, Regions regions) {
        if (options.events() > 0) {
            return new ReturneeWorkload(options.events(), options.seed(), regions);
        }
        return new ProvinceYearWorkload(options.scale(), options.seed(), regions);
    }
}
