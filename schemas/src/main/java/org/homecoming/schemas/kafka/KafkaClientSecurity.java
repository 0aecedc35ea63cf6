package org.homecoming.schemas.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How a Homecoming service authenticates to Kafka, shared by every service so each client it creates (producers,
 * consumers, admin clients, Kafka Streams, the registry's store) gets the same three settings from one place.
 * {@code PLAINTEXT} (the default) adds nothing, so an unsecured stack and the benchmarks run as before.
 *
 * @param protocol  {@code security.protocol}: {@code PLAINTEXT}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param mechanism {@code sasl.mechanism}; Homecoming's brokers take {@code SCRAM-SHA-512}
 * @param username  the principal's name, required with SASL
 * @param password  its password, required with SASL; never printed by {@link #toString()}
 */
public record KafkaClientSecurity(String protocol, String mechanism, String username, String password) {

    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";

    // before NONE, whose construction checks against them
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> MECHANISMS = Set.of(SCRAM_SHA_512, "SCRAM-SHA-256", "PLAIN");

    /** No authentication: today's PLAINTEXT clients. */
    public static final KafkaClientSecurity NONE = new KafkaClientSecurity("PLAINTEXT", SCRAM_SHA_512, "", "");

    public KafkaClientSecurity {
        protocol = protocol == null || protocol.isBlank() ? "PLAINTEXT" : protocol.strip();
        mechanism = mechanism == null || mechanism.isBlank() ? SCRAM_SHA_512 : mechanism.strip();
        username = username == null ? "" : username.strip();
        password = password == null ? "" : password;
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("Kafka security protocol must be one of " + PROTOCOLS + ", not " + protocol);
        }
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("Kafka SASL mechanism must be one of " + MECHANISMS + ", not " + mechanism);
        }
        if (protocol.startsWith("SASL_") && (username.isEmpty() || password.isEmpty())) {
            throw new IllegalArgumentException("Kafka security protocol " + protocol
                    + " needs a SASL username and password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD)");
        }
    }

    /** SCRAM-SHA-512 over an unencrypted connection, as the embedded stack and docker-compose.yml run it. */
    public static KafkaClientSecurity scram(String username, String password) {
        return new KafkaClientSecurity("SASL_PLAINTEXT", SCRAM_SHA_512, username, password);
    }

    /** A value bound from configuration, or {@link #NONE} when the section is absent. */
    public static KafkaClientSecurity orNone(KafkaClientSecurity bound) {
        return bound == null ? NONE : bound;
    }

    public boolean authenticates() {
        return protocol.startsWith("SASL_");
    }

    /** The client settings: none without SASL, else {@code security.protocol}, {@code sasl.mechanism} and the JAAS line. */
    public Map<String, Object> clientProperties() {
        if (!authenticates()) {
            return Map.of();
        }
        String module = "PLAIN".equals(mechanism)
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return Map.of(
                "security.protocol", protocol,
                "sasl.mechanism", mechanism,
                "sasl.jaas.config", module + " required username=\"" + quoted(username) + "\" password=\""
                        + quoted(password) + "\";");
    }

    /** Adds {@link #clientProperties()} to {@code config} and returns it. */
    public <M extends Map<String, Object>> M applyTo(M config) {
        config.putAll(clientProperties());
        return config;
    }

    /** Adds {@link #clientProperties()} to {@code config} and returns it. */
    public Properties applyTo(Properties config) {
        config.putAll(clientProperties());
        return config;
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return authenticates() ? protocol + "/" + mechanism + " as " + username : protocol;
    }
}
