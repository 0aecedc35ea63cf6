package org.homecoming.local.bench;

import org.homecoming.schemas.region.Regions;

/**
 * Chooses the end-to-end workload. Today: the walking skeleton's returnee simulation. The province-year
 * replay (2020 at {@code --scale}, with its default noise and its own expected totals) plugs in here as
 * one more {@link Workload}.
 */
public final class Workloads {

    private Workloads() {
    }

    /** The workload of a run. */
    public static Workload forRun(BenchOptions options, Regions regions) {
        return new ReturneeWorkload(options.endToEndEvents(), options.seed(), regions);
    }
}
