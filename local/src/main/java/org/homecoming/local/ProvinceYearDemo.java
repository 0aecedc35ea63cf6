package org.homecoming.local;

import java.io.PrintStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.GatewayTarget;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Expected;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Totals;
import org.homecoming.producer.simulator.SimulationTarget;
import org.homecoming.schemas.region.Regions;
import tools.jackson.databind.JsonNode;

/**
 * The demo: Shanxi's 2020 at a scale, with the default noise (resends, retractions with corrections, invalid
 * records), posted to the intake gateway as township terminals would; then the seed comparison, once PostgreSQL and
 * the query API hold what was expected or the time is up.
 */
final class ProvinceYearDemo {

    /** The demo profile's terminal, serving the whole province. */
    static final String TOKEN = "demo-terminal-token";
    private static final String SELECT_CITIES = """
            SELECT t.region_code, t.returnees, t.employed_near_home, t.businesses_started, t.guaranteed_loans_fen,
                   t.jobs_created, t.trained
            FROM region_totals t JOIN region r ON r.code = t.region_code AND r.level = 'CITY'
            WHERE t.period_kind = 'ALL' AND t.period_start = DATE '1970-01-01'
            """;
    private static final String SELECT_LEDGER_ROWS = "SELECT count(*) FROM registration_event";

    private final LocalStack stack;
    private final PrintStream out;

    ProvinceYearDemo(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** Replays, waits and compares; prints as it goes and returns the comparison (not yet printed). */
    SeedComparison run(double scale, long seed, Duration timeout) throws SQLException, InterruptedException {
        long begin = System.nanoTime();
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(
                ProvinceYearSimulation.Options.withDefaultNoise(scale, seed), Regions.shanxi());
        Expected expected = simulation.expected();
        URI gateway = URI.create("http://localhost:" + stack.ports().producer());
        out.printf("Replaying Shanxi's 2020 at --scale %s (1 = the seed year, seed %d) with the default noise, through "
                + "the intake gateway at %s as township terminals would:%n", scale, seed, gateway);
        out.println(SimulateCommand.recordsLine(expected));
        Sent sent = send(simulation, gateway);
        out.println("Waiting for PostgreSQL and the query API to hold every figure ...");
        long deadline = System.nanoTime() + timeout.toNanos();
        SeedComparison comparison = compare(scale, expected, sent, begin);
        while (!comparison.exact() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            comparison = compare(scale, expected, sent, begin);
        }
        return comparison;
    }

    /** What the gateway answered. */
    record Sent(SimulationTarget.Delivery delivery, Map<String, Long> refusedByCode) {
    }

    private Sent send(ProvinceYearSimulation simulation, URI gateway) throws InterruptedException {
        Pseudonymizer pseudonymizer = new Pseudonymizer(Base64.getDecoder().decode(SimulateCommand.DEMO_KEY_BASE64), 1);
        AtomicLong handed = new AtomicLong();
        long begin = System.nanoTime();
        try (GatewayTarget target = new GatewayTarget(gateway, TOKEN, 500, 4)) {
            SimulateCommand.Progress progress = new SimulateCommand.Progress(out, simulation.expected().events(), handed,
                    target, begin);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleAtFixedRate(progress::print, 1, progress.interactive ? 1 : 10, TimeUnit.SECONDS);
            SimulationTarget.Delivery delivery;
            try {
                simulation.generate(pseudonymizer, record -> {
                    target.send(record);
                    handed.incrementAndGet();
                });
                delivery = target.finish();
            } finally {
                ticker.shutdownNow();
            }
            progress.print();
            if (progress.interactive) {
                out.println();
            }
            out.printf("Sent %,d records in %.1f s: %,d acknowledged, %,d refused by the gateway, %,d failed%n",
                    delivery.sent(), (System.nanoTime() - begin) / 1e9, delivery.accepted(), delivery.refused(),
                    delivery.failed());
            return new Sent(delivery, target.refusedByCode());
        }
    }

    private SeedComparison compare(double scale, Expected expected, Sent sent, long begin) throws SQLException {
        Totals postgres = SimulateCommand.provinceTotals(stack);
        Map<String, Totals> cities = new TreeMap<>();
        long ledgerRows = 0;
        try (Connection connection = stack.postgres().connect(Postgres.OWNER)) {
            try (PreparedStatement select = connection.prepareStatement(SELECT_CITIES);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    cities.put(rs.getString(1), new Totals(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
            try (PreparedStatement select = connection.prepareStatement(SELECT_LEDGER_ROWS);
                 ResultSet rs = select.executeQuery()) {
                ledgerRows = rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e; // else the sink has not migrated the schema yet
            }
        }
        ViewClient view = new ViewClient(stack.streamsUrl());
        Totals api = apiTotals(view);
        Map<String, Long> rejected = new LinkedHashMap<>();
        ViewClient.Answer answer = view.get("/api/v1/rejections?period=ALL");
        if (answer.status() == 200) {
            for (JsonNode reason : answer.json().get("reasons")) {
                rejected.put(reason.get("reason").asString(), reason.get("count").asLong());
            }
        }
        return new SeedComparison(scale, expected, sent.delivery(), sent.refusedByCode(),
                new SeedComparison.Observed(postgres, api, cities, rejected, ledgerRows),
                Duration.ofNanos(System.nanoTime() - begin));
    }

    private static Totals apiTotals(ViewClient view) {
        ViewClient.Answer answer = view.get("/api/v1/totals/" + Regions.PROVINCE_CODE);
        if (answer.status() != 200) {
            return new Totals(-1, -1, -1, -1, -1, -1);
        }
        JsonNode p = answer.json();
        return new Totals(p.get("returnees").asLong(), p.get("employedNearHome").asLong(),
                p.get("businessesStarted").asLong(), p.get("guaranteedLoansFen").asLong(), p.get("jobsCreated").asLong(),
                p.get("trained").asLong());
    }
}
