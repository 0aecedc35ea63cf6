package org.homecoming.local;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.local.security.KafkaAccess;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.sink.SinkSql;

/**
 * The demo: replays the simulator through the producer into Kafka, then waits until PostgreSQL holds the
 * province total the simulator sent.
 */
final class Demo {

    /** Demo-only key; the demo's personRefs are not pseudonymous. */
    static final byte[] DEMO_KEY = "demo-only-key-not-for-production-use!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final LocalStack stack;
    private final PrintStream out;

    Demo(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** What a replay sent and what PostgreSQL ended with. */
    record Result(long sent, long stored, Duration sendTime, Duration endToEnd) {
        boolean matches() {
            return sent == stored;
        }

        double eventsPerSecond() {
            return sent / Math.max(endToEnd.toNanos() / 1e9, 1e-9);
        }
    }

    Result run(int events, long seed, Duration timeout) throws SQLException, InterruptedException {
        ReturneeSimulation simulation = ReturneeSimulation.generate(events, seed, Regions.shanxi(),
                new Pseudonymizer(DEMO_KEY, 1));
        out.printf("Simulator: %,d returnee registrations of %,d people in %,d townships (seed %d)%n",
                simulation.events().size(), simulation.events().size(), simulation.expectedByTownship().size(), seed);
        long begin = System.nanoTime();
        try (RegistrationPublisher publisher = RegistrationPublisher.create(stack.bootstrapServers(),
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(stack.registryUrl()), false),
                stack.clientSecurity(KafkaAccess.GATEWAY).clientProperties())) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(events);
            for (RegistrationEvent event : simulation.events()) {
                acks.add(publisher.publish(event));
            }
            publisher.flush();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        }
        Duration sendTime = Duration.ofNanos(System.nanoTime() - begin);
        out.printf("Sent:      %,d events to Kafka in %.1f s (all acknowledged)%n", events, sendTime.toMillis() / 1000.0);

        long deadline = System.nanoTime() + timeout.toNanos();
        long stored = provinceReturnees();
        while (stored != simulation.expectedTotal() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            stored = provinceReturnees();
        }
        Duration endToEnd = Duration.ofNanos(System.nanoTime() - begin);
        return new Result(simulation.expectedTotal(), stored, sendTime, endToEnd);
    }

    /** All-time returnees of Shanxi province as PostgreSQL holds them; 0 before the first row lands. */
    long provinceReturnees() throws SQLException {
        try (Connection connection = stack.postgres().connect(Postgres.OWNER);
             PreparedStatement select = connection.prepareStatement(SinkSql.PROVINCE_RETURNEES)) {
            select.setString(1, Regions.PROVINCE_CODE);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the sink has not migrated the schema yet
            }
            throw e;
        }
    }
}
