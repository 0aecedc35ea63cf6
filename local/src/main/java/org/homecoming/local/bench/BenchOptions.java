package org.homecoming.local.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one benchmark run.
 *
 * @param scale             size of the end-to-end workload relative to the 2020 seed figures (807,000
 *                          returnees at 1.0); ignored when {@code events} is positive
 * @param events            end-to-end events, overriding {@code scale} when positive
 * @param yardstickRecords  records of the two yardsticks
 * @param rate              background events per second in the latency phase
 * @param duration          length of the latency phase
 * @param probesPerSecond   probes per second in the latency phase
 * @param drainTimeout      longest wait after the latency load for the last probes to show
 * @param endToEndTimeout   longest wait for PostgreSQL to equal the expected totals
 * @param seed              workload seed
 * @param quick             the CI smoke-test sizes
 * @param out               folder the JSON results go to
 * @param dataDir           data folder of the embedded stack, emptied first
 */
public record BenchOptions(double scale, long events, long yardstickRecords, int rate, Duration duration,
                           int probesPerSecond, Duration drainTimeout, Duration endToEndTimeout, long seed,
                           boolean quick, Path out, Path dataDir) {

    /** Returnees in the 2020 seed figures, the size of the replay at scale 1.0. */
    public static final long SEED_RETURNEES = 807_000;

    public BenchOptions {
        if (rate <= 0 || probesPerSecond <= 0 || rate < probesPerSecond) {
            throw new IllegalArgumentException("--rate must be positive and at least --probes-per-second");
        }
        if (duration.toSeconds() < 1) {
            throw new IllegalArgumentException("--duration must be at least one second");
        }
        if (events <= 0 && scale <= 0) {
            throw new IllegalArgumentException("--scale must be positive");
        }
        if (yardstickRecords <= 0) {
            throw new IllegalArgumentException("--yardstick-records must be positive");
        }
    }

    /** The sizes of {@code --quick}: a smoke test that finishes in under a minute. */
    public BenchOptions quickSizes() {
        return new BenchOptions(scale, 5_000, 50_000, 500, Duration.ofSeconds(10), 5, Duration.ofSeconds(60),
                Duration.ofMinutes(2), seed, true, out, dataDir);
    }

    /** End-to-end events this run sends. */
    public long endToEndEvents() {
        return events > 0 ? events : Math.round(scale * SEED_RETURNEES);
    }
}
