package org.homecoming.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.homecoming.local.security.KafkaAccess;
import org.homecoming.local.security.Secrets;

/**
 * The Kafka half of issue 15 in {@code docker-compose.yml}: a broker that authenticates and authorizes, every Kafka
 * client service (Homecoming's, Confluent's registry, the one-shot setup services) with its own principal, and every
 * password taken from the environment, never written in the file.
 */
final class ComposeKafkaSecurity {

    /** Compose service, then the prefix of its SASL variables and the principal it must use. */
    static final Map<String, Map<String, String>> PRINCIPALS = Map.of(
            "producer", Map.of("KAFKA", KafkaAccess.GATEWAY),
            "streams", Map.of("KAFKA", KafkaAccess.STREAMS, "VIEW_KAFKA", KafkaAccess.VIEW),
            "sink", Map.of("KAFKA", KafkaAccess.SINK),
            "kafka-access", Map.of("KAFKA", KafkaAccess.ADMIN),
            "init", Map.of("KAFKA", KafkaAccess.ADMIN));

    private static final Pattern LITERAL_PASSWORD = Pattern.compile("password=\"(?!\\$\\{HOMECOMING_SECRET_)");

    private ComposeKafkaSecurity() {
    }

    static List<String> problems(ComposeConsistency compose) {
        List<String> problems = new ArrayList<>();
        Map<String, String> broker = compose.environment("kafka");
        expect(problems, "kafka", broker, "KAFKA_AUTHORIZER_CLASS_NAME",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        expect(problems, "kafka", broker, "KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false");
        expect(problems, "kafka", broker, "KAFKA_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512");
        expect(problems, "kafka", broker, "KAFKA_LISTENER_NAME_CONTROLLER_SASL_ENABLED_MECHANISMS", "PLAIN");
        for (String listener : String.valueOf(broker.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).split(",")) {
            if (!listener.endsWith(":SASL_PLAINTEXT") && !listener.endsWith(":SASL_SSL")) {
                problems.add("kafka listener " + listener + " does not authenticate its clients");
            }
        }
        for (String service : compose.homecomingServices().keySet()) {
            if (!PRINCIPALS.containsKey(service)) {
                problems.add("service " + service + " has no Kafka principal");
            }
        }
        PRINCIPALS.forEach((service, principals) -> principals.forEach((prefix, principal) -> {
            Map<String, String> environment = compose.environment(service);
            if (!service.equals("kafka-access") && !service.equals("init")) {
                expect(problems, service, environment, "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            }
            expect(problems, service, environment, prefix + "_SASL_USERNAME", principal);
            String password = String.valueOf(environment.get(prefix + "_SASL_PASSWORD"));
            if (!password.startsWith("${" + Secrets.variable(principal) + ":?")) {
                problems.add("service " + service + " does not take " + prefix + "_SASL_PASSWORD from ${"
                        + Secrets.variable(principal) + ":?...}: " + password);
            }
        }));
        Map<String, String> registry = compose.environment("schema-registry");
        expect(problems, "schema-registry", registry, "SCHEMA_REGISTRY_KAFKASTORE_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        String jaas = String.valueOf(registry.get("SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG"));
        if (!jaas.contains("username=\"" + KafkaAccess.REGISTRY + "\"")) {
            problems.add("schema-registry does not authenticate as " + KafkaAccess.REGISTRY + ": " + jaas);
        }
        for (String service : compose.services()) {
            compose.environment(service).forEach((name, value) -> {
                if (value != null && LITERAL_PASSWORD.matcher(value).find()) {
                    problems.add("service " + service + " has a password written in the file: " + name);
                }
            });
        }
        return problems;
    }

    private static void expect(List<String> problems, String service, Map<String, String> environment, String name,
                               String expected) {
        String given = environment.get(name);
        if (!expected.equals(given)) {
            problems.add("service " + service + " has " + name + "=" + given + ", not " + expected);
        }
    }

    /** The passwords a test gives the compose file's {@code ${HOMECOMING_SECRET_*:?...}}, one per account. */
    static Map<String, String> testSecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String account : List.of(KafkaAccess.ADMIN, KafkaAccess.CONTROLLER, KafkaAccess.GATEWAY, KafkaAccess.STREAMS,
                KafkaAccess.VIEW, KafkaAccess.SINK, KafkaAccess.REGISTRY, KafkaAccess.BI)) {
            secrets.put(Secrets.variable(account), "compose-it-" + account);
        }
        return secrets;
    }
}
