package org.homecoming.local.bench;

import java.util.Optional;

import org.HdrHistogram.Histogram;

/**
 * Produced-to-visible latency of the probes at one target.
 *
 * @param target        where the effect was watched
 * @param unavailable   why the target was not measured; empty when it was
 * @param probesSent    probes sent
 * @param probesSeen    probes that became visible before the drain timeout
 * @param p50Millis     median
 * @param p99Millis     99th percentile
 * @param maxMillis     largest
 */
public record LatencyStats(String target, Optional<String> unavailable, long probesSent, long probesSeen,
                           double p50Millis, double p99Millis, double maxMillis) {

    /** A target that could not be measured. */
    public static LatencyStats notAvailable(String target, String reason, long probesSent) {
        return new LatencyStats(target, Optional.of(reason), probesSent, 0, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Statistics of a histogram of microseconds. */
    public static LatencyStats of(String target, long probesSent, Histogram micros) {
        long seen = micros.getTotalCount();
        if (seen == 0) {
            return new LatencyStats(target, Optional.empty(), probesSent, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencyStats(target, Optional.empty(), probesSent, seen,
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    public boolean measured() {
        return unavailable.isEmpty() && probesSeen > 0;
    }
}
