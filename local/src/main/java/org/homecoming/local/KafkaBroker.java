package org.homecoming.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.homecoming.schemas.kafka.KafkaClientSecurity;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller) running in this JVM, its
 * log under a folder the user can delete. A single broker needs replication factor 1 and min ISR 1 for
 * the offsets and transaction topics, which are set here.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private KafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Formats the log directory if it is new and starts the broker.
     *
     * @param logDir         where the log lives; kept between runs
     * @param port           client port
     * @param controllerPort KRaft controller port
     */
    public static KafkaBroker start(Path logDir, int port, int controllerPort) throws IOException {
        return start(logDir, port, controllerPort, (short) 1);
    }

    /**
     * As {@link #start(Path, int, int)}, with the transaction version (KIP-890) a new log directory is formatted
     * with; an existing one keeps the version it was formatted with.
     */
    public static KafkaBroker start(Path logDir, int port, int controllerPort, short transactionVersion)
            throws IOException {
        return start(logDir, port, controllerPort, transactionVersion, null);
    }

    /**
     * A secured broker: clients authenticate with SCRAM-SHA-512 on the client listener, the controller listener takes
     * PLAIN (SCRAM on a KRaft controller is not supported, KAFKA-15513), and {@code StandardAuthorizer} refuses what
     * no ACL allows. The admin principal is created with the storage, so the broker can talk to itself on start.
     */
    public static KafkaBroker startSecured(Path logDir, int port, int controllerPort, Credentials credentials)
            throws IOException {
        return start(logDir, port, controllerPort, (short) 1, credentials);
    }

    /** The broker's own accounts: the super user (inter-broker, topics, ACLs, users) and the controller's. */
    public record Credentials(String adminUser, String adminPassword, String controllerUser, String controllerPassword) {

        @Override
        public String toString() {
            return "Credentials[" + adminUser + ", " + controllerUser + "]";
        }
    }

    private static KafkaBroker start(Path logDir, int port, int controllerPort, short transactionVersion,
                                     Credentials credentials) throws IOException {
        Files.createDirectories(logDir);
        Properties props = new Properties();
        String client = credentials == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        String controller = credentials == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        // localhost, never the wildcard: the embedded stack is reachable from this machine only
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@localhost:" + controllerPort),
                Map.entry("listeners", client + "://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
                Map.entry("advertised.listeners", client + "://localhost:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", client),
                Map.entry("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:" + controller),
                Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024))));
        if (credentials != null) {
            props.putAll(securedSettings(credentials));
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        format(logDir, transactionVersion, credentials);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new KafkaBroker(server, port);
    }

    /** The SASL and authorizer settings of a secured broker (the same ones docker-compose.yml gives its broker). */
    static Map<String, String> securedSettings(Credentials credentials) {
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + credentials.adminUser() + "\" password=\"" + credentials.adminPassword() + "\";";
        // the controller listener checks its clients against the user_<name> entries of its own JAAS line
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + credentials.controllerUser() + "\" password=\"" + credentials.controllerPassword() + "\" user_"
                + credentials.controllerUser() + "=\"" + credentials.controllerPassword() + "\";";
        return Map.ofEntries(
                Map.entry("sasl.enabled.mechanisms", KafkaClientSecurity.SCRAM_SHA_512),
                Map.entry("sasl.mechanism.inter.broker.protocol", KafkaClientSecurity.SCRAM_SHA_512),
                Map.entry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram),
                Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
                Map.entry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("listener.name.controller.plain.sasl.jaas.config", plain),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("super.users", "User:" + credentials.adminUser() + ";User:" + credentials.controllerUser()));
    }

    private static void format(Path logDir, short transactionVersion, Credentials credentials) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            Formatter formatter = new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    // Transactions v2 (KIP-890) on a 4.1 broker answered Kafka Streams' exactly-once producer
                    // with bursts of OUT_OF_ORDER_SEQUENCE_NUMBER on repartition topics (counts stayed exact,
                    // through aborts and retries); v1 gives the same guarantee without them.
                    .setFeatureLevel("transaction.version", transactionVersion);
            if (credentials != null) {
                // kafka-storage format --add-scram: the broker authenticates to itself as this user on its first start
                formatter.setScramArguments(List.of(KafkaClientSecurity.SCRAM_SHA_512 + "=[name=" + credentials.adminUser()
                        + ",password=" + credentials.adminPassword() + "]"));
            }
            formatter.run();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot format the KRaft log at " + logDir, e);
        }
    }

    /** Bootstrap servers of this broker. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
