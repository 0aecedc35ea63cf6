package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.sink.SinkSql;

/**
 * What the compose-file ITs share: a service's environment as {@code docker-compose.yml} gives it, pointed at
 * the test's own Kafka, registry and PostgreSQL; the replay they send; and the totals they read back.
 */
final class ComposeServices {

    /** The value tests give for the compose file's required {@code ${HOMECOMING_PERSON_KEY:?...}}. */
    static final String TEST_PERSON_KEY = Base64.getEncoder()
            .encodeToString("compose-it-only-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    /** Compose's {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:?message}}. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(:-([^}]*)|:\\?[^}]*)?}");

    /** Host names of the compose network; none may survive the rewrite to the test's addresses. */
    private static final List<String> COMPOSE_HOSTS = List.of("kafka:", "schema-registry:", "postgres:");

    private ComposeServices() {
    }

    /**
     * Compose's interpolation of one value: the default of {@code ${VAR:-default}}, or the value {@code given}
     * holds for {@code ${VAR}}/{@code ${VAR:?...}} (which must be there, as Compose would refuse to start).
     */
    static String interpolate(String value, Map<String, String> given) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(3) != null ? matcher.group(3) : given.get(matcher.group(1));
            assertThat(replacement).as("a value for ${%s} in %s", matcher.group(1), value).isNotNull();
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The compose file's PostgreSQL password variables and the role (or superuser) each is the password of; its
     * values come from the environment of {@code docker compose up} only.
     */
    static final Map<String, String> DATABASE_PASSWORDS = Map.of(
            "POSTGRES_PASSWORD", Postgres.SUPERUSER,
            "HOMECOMING_DB_OWNER_PASSWORD", Postgres.OWNER,
            "HOMECOMING_DB_SINK_PASSWORD", Postgres.SINK,
            "HOMECOMING_DB_BI_PASSWORD", Postgres.BI);

    /** Values for the compose file's required password variables, for a check that connects to nothing. */
    static Map<String, String> testPasswords() {
        Map<String, String> passwords = new LinkedHashMap<>();
        DATABASE_PASSWORDS.forEach((variable, account) -> passwords.put(variable, "test-only-" + account));
        return passwords;
    }

    /** The compose file's password variables given the passwords of {@code postgres}'s accounts. */
    static Map<String, String> passwordsOf(Postgres postgres) {
        Map<String, String> passwords = new LinkedHashMap<>();
        DATABASE_PASSWORDS.forEach((variable, account) -> passwords.put(variable, postgres.password(account)));
        return passwords;
    }

    /**
     * A service's environment from the compose file, interpolated, with every compose address replaced by the
     * test's ({@code rewrites}: compose address to test address).
     */
    static Map<String, String> environment(ComposeConsistency compose, String service, Map<String, String> rewrites) {
        return environment(compose, service, rewrites, testPasswords());
    }

    /** {@link #environment(ComposeConsistency, String, Map)} with {@code variables} for the compose file's {@code ${...}}. */
    static Map<String, String> environment(ComposeConsistency compose, String service, Map<String, String> rewrites,
            Map<String, String> variables) {
        Map<String, String> values = new LinkedHashMap<>(given());
        values.putAll(variables);
        Map<String, String> environment = new LinkedHashMap<>();
        compose.environment(service).forEach((name, value) -> {
            String pointed = interpolate(value, values);
            for (Map.Entry<String, String> rewrite : rewrites.entrySet()) {
                pointed = pointed.replace(rewrite.getKey(), rewrite.getValue());
            }
            for (String host : COMPOSE_HOSTS) {
                assertThat(pointed).as("%s of %s still names a compose host", name, service).doesNotContain(host);
            }
            environment.put(name, pointed);
        });
        return environment;
    }

    /** What the tests give the compose file's required variables: the person key and one password per account. */
    static Map<String, String> given() {
        Map<String, String> given = new LinkedHashMap<>(ComposeKafkaSecurity.testSecrets());
        given.put("HOMECOMING_PERSON_KEY", TEST_PERSON_KEY);
        return given;
    }

    /** The compose addresses the services are given, mapped to the test's. */
    static Map<String, String> rewrites(String bootstrapServers, String registryUrl, String jdbcUrl) {
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("jdbc:postgresql://postgres:5432/homecoming", jdbcUrl);
        rewrites.put("http://schema-registry:8081", registryUrl);
        rewrites.put("kafka:19092", bootstrapServers);
        return rewrites;
    }

    /** Replays {@code events} returnee registrations into Kafka; returns what PostgreSQL must end with. */
    static ReturneeSimulation send(int events, long seed, String bootstrapServers, String registryUrl) {
        return send(events, seed, bootstrapServers, registryUrl, KafkaClientSecurity.NONE);
    }

    /** As {@link #send(int, long, String, String)}, authenticating as {@code security} says (the gateway's principal). */
    static ReturneeSimulation send(int events, long seed, String bootstrapServers, String registryUrl,
                                   KafkaClientSecurity security) {
        ReturneeSimulation simulation = ReturneeSimulation.generate(events, seed, Regions.shanxi(),
                new Pseudonymizer(Demo.DEMO_KEY, 1));
        try (RegistrationPublisher publisher = RegistrationPublisher.create(bootstrapServers,
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(registryUrl), false),
                security.clientProperties())) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (RegistrationEvent event : simulation.events()) {
                acks.add(publisher.publish(event));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        }
        return simulation;
    }

    /** All-time returnees of the province in PostgreSQL; 0 before the sink created its tables. */
    static long provinceReturnees(String jdbcUrl, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement select = connection.prepareStatement(SinkSql.PROVINCE_RETURNEES)) {
            select.setString(1, Regions.PROVINCE_CODE);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    /** All-time returnees per township in PostgreSQL. */
    static Map<String, Long> townshipReturnees(String jdbcUrl, String user, String password) throws SQLException {
        Map<String, Long> byTownship = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement select = connection.prepareStatement("SELECT region_code, returnees FROM region_totals "
                     + "WHERE period_kind = 'ALL' AND length(region_code) = 9");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                byTownship.put(rs.getString(1), rs.getLong(2));
            }
        }
        return byTownship;
    }
}
