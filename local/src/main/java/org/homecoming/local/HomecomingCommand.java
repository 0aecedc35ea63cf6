package org.homecoming.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.homecoming.local.audit.AuditCommand;
import org.homecoming.local.bench.BenchCommand;
import org.homecoming.local.chaos.ChaosCommand;
import org.homecoming.local.security.KafkaAccessCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code ./homecoming} command line.
 */
@Command(name = "homecoming", mixinStandardHelpOptions = true,
        description = "Homecoming: exact counts of migrant workers returning home to Shanxi.",
        subcommands = {HomecomingCommand.DemoCommand.class, HomecomingCommand.UpCommand.class,
            RegisterSchemasCommand.class, ReconcileCommand.class, QueryBenchCommand.class,
            SimulateCommand.class, BenchCommand.class, AuditCommand.class, ChaosCommand.class, KafkaAccessCommand.class})
public final class HomecomingCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HomecomingCommand()).execute(args));
    }

    /** Starts the embedded stack and prints where everything listens. */
    static LocalStack startStack(Path dataDir, StackPorts ports, PrintStream out) throws IOException {
        return startStack(dataDir, ports, null, out);
    }

    /** As {@link #startStack(Path, StackPorts, PrintStream)}, Kafka secured with the passwords of {@code secretsDir}. */
    static LocalStack startStack(Path dataDir, StackPorts ports, Path secretsDir, PrintStream out) throws IOException {
        out.printf("Starting the embedded stack (data in %s%s) ...%n", dataDir,
                secretsDir == null ? "" : ", Kafka secured, passwords in " + secretsDir);
        long begin = System.nanoTime();
        LocalStack stack = secretsDir == null ? LocalStack.start(ports, dataDir)
                : LocalStack.startSecured(ports, dataDir, secretsDir);
        out.printf("Homecoming is up in %.1f s:%n", (System.nanoTime() - begin) / 1e9);
        stack.describe().forEach(out::println);
        stack.secretsDir().ifPresent(dir -> out.printf("Kafka passwords (SCRAM-SHA-512), one file per principal, mode 0600: "
                + "%s%n  e.g. ./homecoming audit --secure --secrets-dir %s%n", dir, dir));
        return stack;
    }

    static void awaitCtrlC(LocalStack stack, PrintStream out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping Homecoming ...");
            stack.close();
            out.println("Stopped.");
            stopped.countDown();
        }, "homecoming-shutdown"));
        out.println("Running. Press Ctrl-C to stop.");
        stopped.await();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Start everything on fresh data, replay Shanxi's 2020 (with resends, retractions and invalid "
                    + "records) through the intake gateway, and compare China Daily's figures, the expected ones, "
                    + "PostgreSQL and the query API; exit 0 only when every figure is exact.")
    static final class DemoCommand implements Callable<Integer> {

        @Option(names = "--scale", defaultValue = "0.1",
                description = "Share of the seed year to replay: 1 = 807,000 returnees (default ${DEFAULT-VALUE}).")
        double scale;

        @Option(names = "--events", description = "Send this many bare returnee registrations straight to Kafka instead "
                + "of the province year, and compare the province's returnees.")
        Integer events;

        @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--data-dir", defaultValue = ".homecoming/demo",
                description = "Data folder, emptied first (default ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--exit-when-done", description = "Stop and exit once the figures are compared.")
        boolean exitWhenDone;

        @Option(names = "--timeout", defaultValue = "PT10M",
                description = "Longest wait for PostgreSQL and the query API (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--secure", description = "Secure Kafka: SCRAM-SHA-512 principals per service with ACLs; the "
                + "passwords are generated into --secrets-dir.")
        boolean secure;

        @Option(names = "--secrets-dir", defaultValue = ".homecoming/secrets",
                description = "Where --secure keeps its passwords, mode 0600 (default ${DEFAULT-VALUE}).")
        Path secretsDir;

        @Option(names = "--free-ports", description = "Listen on free ports instead of the usual ones (8080-8083, "
                + "9092, 15432), for a machine where something else uses them; the addresses are printed.")
        boolean freePorts;

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            deleteRecursively(dataDir);
            LocalStack stack = startStack(dataDir, freePorts ? StackPorts.free() : StackPorts.defaults(),
                    secure ? secretsDir : null, out);
            boolean exact;
            try {
                exact = events == null ? provinceYear(stack, out) : returnees(stack, out);
            } catch (Exception e) {
                stack.close();
                throw e;
            }
            if (exitWhenDone) {
                stack.close();
                return exact ? 0 : 1;
            }
            out.printf("The dashboard stays live at %s%n", stack.dashboardUrl());
            awaitCtrlC(stack, out);
            return exact ? 0 : 1;
        }

        private boolean provinceYear(LocalStack stack, PrintStream out) throws Exception {
            SeedComparison comparison = new ProvinceYearDemo(stack, out).run(scale, seed, timeout);
            comparison.print(out);
            return comparison.exact();
        }

        private boolean returnees(LocalStack stack, PrintStream out) throws Exception {
            Demo.Result result = new Demo(stack, out).run(events, seed, timeout);
            out.printf("Stored:    %,d returnees for Shanxi (140000, all time) in PostgreSQL%n", result.stored());
            if (result.matches()) {
                out.printf("OK: sent %,d = stored %,d, %.1f s end to end (%,.0f events/s)%n", result.sent(),
                        result.stored(), result.endToEnd().toMillis() / 1000.0, result.eventsPerSecond());
            } else {
                out.printf("MISMATCH: sent %,d, stored %,d after %s%n", result.sent(), result.stored(), timeout);
            }
            return result.matches();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the embedded stack and keep it running until Ctrl-C; data is kept between runs.")
    static final class UpCommand implements Callable<Integer> {

        @Option(names = "--data-dir", defaultValue = ".homecoming/data", description = "Data folder (default ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--secure", description = "Secure Kafka: SCRAM-SHA-512 principals per service with ACLs; the "
                + "passwords are generated into --secrets-dir, and a restart finds them there.")
        boolean secure;

        @Option(names = "--secrets-dir", defaultValue = ".homecoming/secrets",
                description = "Where --secure keeps its passwords, mode 0600 (default ${DEFAULT-VALUE}).")
        Path secretsDir;

        @Override
        public Integer call() throws Exception {
            LocalStack stack = startStack(dataDir, StackPorts.defaults(), secure ? secretsDir : null, System.out);
            awaitCtrlC(stack, System.out);
            return 0;
        }
    }
}
