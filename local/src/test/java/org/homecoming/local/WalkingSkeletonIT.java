package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.LoggerContext;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The walking skeleton on the real embedded stack: events go in through the producer and come out as
 * exact numbers in PostgreSQL.
 */
class WalkingSkeletonIT {

    private static final int EVENTS = 10_000;

    @TempDir
    static Path dataDir;

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(StackPorts.free(), dataDir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void no_service_of_the_stack_leaves_a_logback_turbo_filter_on_the_logging_path() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();

        assertThat(logging.getTurboFilterList())
                .as("turbo filters run on every isTraceEnabled() Kafka's clients ask per record (docs/tuning.md, change 4)")
                .isEmpty();
    }

    @Test
    void ten_thousand_events_sent_become_exactly_ten_thousand_returnees_in_postgres_per_township_and_in_total()
            throws Exception {
        ReturneeSimulation simulation = ReturneeSimulation.generate(EVENTS, 7, Regions.shanxi(),
                new Pseudonymizer(Demo.DEMO_KEY, 1));
        try (RegistrationPublisher publisher = RegistrationPublisher.create(stack.bootstrapServers(),
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(stack.registryUrl()), false), Map.of())) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (RegistrationEvent event : simulation.events()) {
                acks.add(publisher.publish(event));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        }

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> allTimeReturnees("140000"), total -> total == EVENTS);

        // Buckets sit on different partitions and reach PostgreSQL in separate commits: the province may
        // be complete a moment before the last township, so the townships are awaited too.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(townshipReturnees()).isEqualTo(simulation.expectedByTownship()));
    }

    private static long allTimeReturnees(String region) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT returnees FROM region_totals WHERE region_code = '" + region
                     + "' AND period_kind = 'ALL'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    private static Map<String, Long> townshipReturnees() throws SQLException {
        Map<String, Long> byTownship = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT region_code, returnees FROM region_totals "
                     + "WHERE period_kind = 'ALL' AND length(region_code) = 9")) {
            while (rs.next()) {
                byTownship.put(rs.getString(1), rs.getLong(2));
            }
        }
        return byTownship;
    }
}
