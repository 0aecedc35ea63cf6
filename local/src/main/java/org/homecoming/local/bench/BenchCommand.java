package org.homecoming.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./homecoming bench}: the yardsticks, end-to-end throughput, latency and resources in one run on a
 * fresh embedded stack.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Homecoming on the embedded stack beside bare Kafka: yardsticks, end-to-end "
                + "throughput, produced-to-visible latency, peak RSS and CPU. Prints a table and writes JSON.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--scale", defaultValue = "1.0",
            description = "End-to-end workload relative to the 2020 seed (1.0 = 807,000 returnees; default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--events", defaultValue = "0", description = "End-to-end events; overrides --scale when set.")
    long events;

    @Option(names = "--yardstick-records", defaultValue = "1000000",
            description = "Records of each yardstick (default ${DEFAULT-VALUE}).")
    long yardstickRecords;

    @Option(names = "--rate", defaultValue = "10000",
            description = "Events per second during the latency phase (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "60", description = "Seconds of the latency phase (default ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--probes-per-second", defaultValue = "5",
            description = "Timestamped probe events per second in the latency phase (default ${DEFAULT-VALUE}).")
    int probesPerSecond;

    @Option(names = "--drain-timeout", defaultValue = "120",
            description = "Seconds to wait after the latency load for the last probes (default ${DEFAULT-VALUE}).")
    long drainSeconds;

    @Option(names = "--timeout", defaultValue = "1800",
            description = "Seconds to wait for PostgreSQL to equal the expected totals (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick", description = "Smoke-test sizes (5,000 events, 50,000 yardstick records, "
            + "500 events/s for 10 s): finishes in about a minute on an idle machine.")
    boolean quick;

    @Option(names = "--out", defaultValue = "target/bench",
            description = "Folder for the JSON results (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data-dir", defaultValue = ".homecoming/bench",
            description = "Data folder of the embedded stack, emptied first (default ${DEFAULT-VALUE}).")
    Path dataDir;

    /** The options as given, or the quick sizes. */
    BenchOptions options() {
        BenchOptions options = new BenchOptions(scale, events, yardstickRecords, rate, Duration.ofSeconds(durationSeconds),
                probesPerSecond, Duration.ofSeconds(drainSeconds), Duration.ofSeconds(timeoutSeconds), seed, quick, out,
                dataDir);
        return quick ? options.quickSizes() : options;
    }

    @Override
    public Integer call() throws Exception {
        Bench.Outcome outcome = new Bench(options(), System.out).run();
        System.out.println();
        outcome.report().lines().forEach(System.out::println);
        System.out.println();
        System.out.println("Results: " + outcome.jsonFile());
        return outcome.report().endToEnd().matched() ? 0 : 1;
    }
}
