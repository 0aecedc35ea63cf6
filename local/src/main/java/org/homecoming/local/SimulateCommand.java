package org.homecoming.local;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.GatewayTarget;
import org.homecoming.producer.simulator.KafkaTarget;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Expected;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Totals;
import org.homecoming.producer.simulator.SimulationTarget;
import org.homecoming.schemas.region.Regions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./homecoming simulate}: replays Shanxi's 2020 at a scale, with noise, straight to Kafka or through
 * the intake gateway, after printing the exact province totals the pipeline must end with.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replay Shanxi 2020 (807,000 returnees at --scale 1) with duplicates, retractions and invalid "
                + "records, to Kafka or through the intake gateway; prints the exact expected totals first.")
public final class SimulateCommand implements Callable<Integer> {

    /** The demo profile's person key (base64 of a public string): personRefs made with it are not pseudonymous. */
    static final String DEMO_KEY_BASE64 = Base64.getEncoder().encodeToString(Demo.DEMO_KEY);
    private static final String SELECT_PROVINCE = """
            SELECT returnees, employed_near_home, businesses_started, guaranteed_loans_fen, jobs_created, trained
            FROM region_totals WHERE region_code = ? AND period_kind = 'ALL' AND period_start = DATE '1970-01-01'
            """;

    /** Where the records go. */
    enum Target { kafka, gateway }

    @Option(names = "--scale", defaultValue = "0.01", description = "1.0 = the seed year (default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duplicates", defaultValue = "0.02", description = "Share of events resent (default ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--retractions", defaultValue = "0.005",
            description = "Share of returnee registrations retracted and re-registered (default ${DEFAULT-VALUE}).")
    double retractions;

    @Option(names = "--invalid", defaultValue = "0.001",
            description = "Share of invalid records added (default ${DEFAULT-VALUE}).")
    double invalid;

    @Option(names = "--target", defaultValue = "kafka", description = "kafka or gateway (default ${DEFAULT-VALUE}).")
    Target target;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka, for --target kafka (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://localhost:8081}",
            description = "Schema registry, for --target kafka (default ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    @Option(names = "--gateway-url", defaultValue = "${env:HOMECOMING_GATEWAY_URL:-http://localhost:8080}",
            description = "Intake gateway, for --target gateway (default ${DEFAULT-VALUE}).")
    URI gatewayUrl;

    @Option(names = "--token", defaultValue = "${env:HOMECOMING_TERMINAL_TOKEN:-demo-terminal-token}",
            description = "Terminal bearer token for the gateway (default: the demo profile's).")
    String token;

    @Option(names = "--person-key", defaultValue = "${env:HOMECOMING_PERSON_KEY}",
            description = "Base64 HMAC key for personRef with --target kafka (env HOMECOMING_PERSON_KEY; default: the demo key).")
    String personKey;

    @Option(names = "--batch-size", defaultValue = "500", description = "Records per gateway batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--concurrency", defaultValue = "4", description = "Concurrent gateway requests (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--dry-run", description = "Print the expected totals and stop.")
    boolean dryRun;

    @Option(names = "--embedded", description = "Start the embedded stack (fresh data in --data-dir, free ports), "
            + "simulate into it, then compare PostgreSQL with the expected totals and stop.")
    boolean embedded;

    @Option(names = "--data-dir", defaultValue = ".homecoming/simulate", description = "Data folder for --embedded.")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "PT10M", description = "Longest wait for PostgreSQL with --embedded.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(
                new ProvinceYearSimulation.Options(scale, seed, duplicates, retractions, invalid), Regions.shanxi());
        Expected expected = simulation.expected();
        printExpected(out, expected);
        if (dryRun) {
            return 0;
        }
        LocalStack stack = null;
        try {
            if (embedded) {
                HomecomingCommand.deleteRecursively(dataDir);
                stack = HomecomingCommand.startStack(dataDir, StackPorts.free(), out);
                bootstrapServers = stack.bootstrapServers();
                schemaRegistryUrl = stack.registryUrl();
                gatewayUrl = URI.create("http://localhost:" + stack.ports().producer());
            }
            SimulationTarget.Delivery delivery = send(simulation, out);
            if (delivery.failed() > 0) {
                out.printf("FAILED: %,d records were neither acknowledged nor refused%n", delivery.failed());
                return 1;
            }
            if (stack != null) {
                return compare(stack, expected, out) ? 0 : 1;
            }
            return 0;
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    static void printExpected(PrintStream out, Expected expected) {
        Totals p = expected.province();
        out.printf("Expected province totals (Shanxi 140000, all time) once the pipeline has counted:%n");
        out.printf("  returnees            %,14d%n", p.returnees());
        out.printf("  employed near home   %,14d%n", p.employedNearHome());
        out.printf("  businesses started   %,14d%n", p.businessesStarted());
        out.printf("  guaranteed loans     %,14d fen (%,.0f yuan)%n", p.guaranteedLoansFen(), p.guaranteedLoansFen() / 100.0);
        out.printf("  jobs created         %,14d%n", p.jobsCreated());
        out.printf("  trained              %,14d%n", p.trained());
        out.println(recordsLine(expected));
    }

    /** What a replay sends, noise included. */
    static String recordsLine(Expected expected) {
        return String.format("Records to send: %,d = %,d events of the year + %,d duplicates + %,d retractions with %,d "
                        + "corrected registrations + %,d invalid (%,d the gateway refuses, %,d retractions of nothing the "
                        + "counting application rejects)", expected.events(), expected.baseEvents(), expected.duplicates(),
                expected.retractions(), expected.retractions(), expected.invalid(), expected.refusedByGateway(),
                expected.rejectedByCounting());
    }

    private SimulationTarget.Delivery send(ProvinceYearSimulation simulation, PrintStream out) throws InterruptedException {
        byte[] key = Base64.getDecoder().decode(personKey == null || personKey.isBlank() ? DEMO_KEY_BASE64 : personKey);
        Pseudonymizer pseudonymizer = new Pseudonymizer(key, 1);
        long total = simulation.expected().events();
        AtomicLong sent = new AtomicLong();
        long begin = System.nanoTime();
        try (SimulationTarget sink = target == Target.kafka ? new KafkaTarget(bootstrapServers, schemaRegistryUrl)
                : new GatewayTarget(gatewayUrl, token, batchSize, concurrency)) {
            out.printf("Sending to %s ...%n", target == Target.kafka ? "Kafka at " + bootstrapServers
                    : "the intake gateway at " + gatewayUrl);
            Progress progress = new Progress(out, total, sent, sink, begin);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleAtFixedRate(progress::print, 1, progress.interactive ? 1 : 10, TimeUnit.SECONDS);
            SimulationTarget.Delivery delivery;
            try {
                simulation.generate(pseudonymizer, record -> {
                    sink.send(record);
                    sent.incrementAndGet();
                });
                delivery = sink.finish();
            } finally {
                ticker.shutdownNow();
            }
            progress.print();
            if (progress.interactive) {
                out.println();
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            out.printf("Sent %,d records in %.1f s (%,.0f records/s): %,d acknowledged, %,d refused by the gateway, "
                            + "%,d failed%n", delivery.sent(), seconds, delivery.sent() / seconds, delivery.accepted(),
                    delivery.refused(), delivery.failed());
            return delivery;
        }
    }

    /** A progress bar with records/s and ETA on a terminal; a plain line every 10 s otherwise. */
    static final class Progress {
        private final PrintStream out;
        private final long total;
        private final AtomicLong sent;
        private final SimulationTarget sink;
        private final long begin;
        final boolean interactive = System.console() != null;

        Progress(PrintStream out, long total, AtomicLong sent, SimulationTarget sink, long begin) {
            this.out = out;
            this.total = total;
            this.sent = sent;
            this.sink = sink;
            this.begin = begin;
        }

        synchronized void print() {
            long done = sink.acknowledged();
            double seconds = Math.max(1e-3, (System.nanoTime() - begin) / 1e9);
            double rate = sent.get() / seconds;
            long eta = rate > 0 ? Math.round((total - sent.get()) / rate) : 0;
            int width = 30;
            int filled = (int) Math.min(width, width * sent.get() / Math.max(1, total));
            String line = String.format("%,d/%,d sent, %,d acknowledged, %,.0f records/s, ETA %d:%02d", sent.get(), total,
                    done, rate, eta / 60, eta % 60);
            if (interactive) {
                out.print("\r[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + line + "   ");
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    /** Waits for PostgreSQL to hold the expected province totals; prints both. */
    private boolean compare(LocalStack stack, Expected expected, PrintStream out) throws SQLException, InterruptedException {
        out.println("Waiting for PostgreSQL to hold the expected province totals ...");
        long deadline = System.nanoTime() + timeout.toNanos();
        Totals stored = provinceTotals(stack);
        while (!expected.province().equals(stored) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            stored = provinceTotals(stack);
        }
        boolean matches = expected.province().equals(stored);
        Totals e = expected.province();
        String[] names = {"returnees", "employed near home", "businesses started", "guaranteed loans (fen)", "jobs created",
            "trained"};
        long[] want = {e.returnees(), e.employedNearHome(), e.businessesStarted(), e.guaranteedLoansFen(), e.jobsCreated(),
            e.trained()};
        long[] got = {stored.returnees(), stored.employedNearHome(), stored.businessesStarted(), stored.guaranteedLoansFen(),
            stored.jobsCreated(), stored.trained()};
        out.printf("  %-24s %18s %18s%n", "metric", "expected", "PostgreSQL");
        for (int i = 0; i < names.length; i++) {
            out.printf("  %-24s %,18d %,18d  %s%n", names[i], want[i], got[i], want[i] == got[i] ? "ok" : "DIFFERENT");
        }
        out.println(matches ? "OK: PostgreSQL holds exactly the expected province totals"
                : "MISMATCH after " + timeout + " (totals other than returnees need the counting rules of "
                        + "docs/counting-rules.md)");
        return matches;
    }

    static Totals provinceTotals(LocalStack stack) throws SQLException {
        try (Connection connection = stack.postgres().connect(Postgres.OWNER);
             PreparedStatement select = connection.prepareStatement(SELECT_PROVINCE)) {
            select.setString(1, Regions.PROVINCE_CODE);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6)) : new Totals(0, 0, 0, 0, 0, 0);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return new Totals(0, 0, 0, 0, 0, 0);
            }
            throw e;
        }
    }

}
