package org.homecoming.local.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.homecoming.local.Postgres;
import org.homecoming.local.StackPorts;
import org.homecoming.registry.RegistryApplication;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the fault matrix runs against: a broker in a JVM of its own, PostgreSQL (a process of its own), the schema
 * registry in this JVM, and the service jars as separate processes: two counting instances (the streams service) and
 * the sink. Everything a scenario may kill can be started again on the same data and ports.
 */
final class ChaosStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosStack.class);
    private static final Duration READY = Duration.ofMinutes(4);

    private final Path root;
    private final Path dir;
    private final Path logs;
    private final StackPorts ports = StackPorts.free();
    private final JvmProcess broker;
    private final List<JvmProcess> counting = new ArrayList<>();
    private JvmProcess sink;
    private JvmProcess gateway;
    private int gatewayPort;
    private Postgres postgres;
    private ConfigurableApplicationContext registry;

    private ChaosStack(Path root, Path dir, short transactionVersion) {
        this.root = root;
        this.dir = dir.toAbsolutePath();
        this.logs = this.dir.resolve("logs");
        broker = JvmProcess.mainClass(KafkaBrokerMain.class, List.of("-Xmx512m", "-XX:+UseParallelGC"),
                List.of(this.dir.resolve("kafka").toString(), String.valueOf(ports.kafka()),
                        String.valueOf(ports.controller()), String.valueOf(transactionVersion)), logs, "broker");
    }

    /** Starts everything under {@code dir}; the service jars are those built under {@code root}. */
    static ChaosStack start(Path root, Path dir, short transactionVersion) throws Exception {
        ChaosStack stack = new ChaosStack(root, dir, transactionVersion);
        try {
            stack.startAll();
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        startBroker();
        createTopics();
        startPostgres();
        registry = RegistryApplication.application().run("--server.port=" + ports.registry(),
                "--homecoming.registry.bootstrap-servers=" + bootstrapServers(),
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
        ContractSchemas.registerAll(new RestSchemaRegistryClient(registryUrl()));
        Map<String, String> kafkaClient = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registryUrl());
        for (String name : List.of("counting-a", "counting-b")) {
            int port = StackPorts.free().streams();
            Map<String, String> environment = new HashMap<>(kafkaClient);
            environment.putAll(Map.of("STREAMS_PORT", String.valueOf(port),
                    "STREAMS_STATE_DIR", dir.resolve(name).resolve("streams").toString(),
                    "VIEW_STATE_DIR", dir.resolve(name).resolve("view").toString(),
                    "VIEW_ADVERTISED_HOST", "localhost"));
            counting.add(JvmProcess.serviceJar(root, "streams", name, environment, logs));
        }
        Map<String, String> sinkEnvironment = new HashMap<>(kafkaClient);
        // Static membership: a SIGKILLed sink started again takes its member's place and partitions at once. With a
        // dynamic member id the new member waited for the dead one's session to time out (45 s of the 40-50 s a
        // restart took; docs/reliability.md).
        sinkEnvironment.putAll(Map.of("SINK_PORT", String.valueOf(StackPorts.free().sink()),
                "DATABASE_URL", jdbcUrl(), "DATABASE_USER", Postgres.SUPERUSER, "DATABASE_PASSWORD", "",
                "SINK_INSTANCE_ID", "chaos-sink"));
        sink = JvmProcess.serviceJar(root, "sink", "sink", sinkEnvironment, logs);
        gatewayPort = StackPorts.free().producer();
        Map<String, String> gatewayEnvironment = new HashMap<>(kafkaClient);
        // the demo profile's public person key and terminal (token "demo-terminal-token", the whole province)
        gatewayEnvironment.putAll(Map.of("PRODUCER_PORT", String.valueOf(gatewayPort), "SPRING_PROFILES_ACTIVE", "demo"));
        gateway = JvmProcess.serviceJar(root, "producer", "gateway", gatewayEnvironment, logs);
        sink.start();
        for (JvmProcess instance : counting) {
            instance.start();
        }
        awaitTable("registration_event");
    }

    void startBroker() throws Exception {
        broker.start();
        Deadline.of(Duration.ofMinutes(2), "the broker to answer on " + bootstrapServers())
                .failIf(() -> !broker.isAlive(), () -> "broker exited; its log: " + broker.log())
                .await(this::brokerAnswers);
    }

    private boolean brokerAnswers() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void createTopics() throws InterruptedException, TimeoutException {
        try (Admin admin = admin()) {
            for (Topics.TopicSpec spec : Topics.ALL) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), (short) 1)
                            .configs(spec.configs()))).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + spec.name(), e.getCause());
                    }
                }
            }
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    void startPostgres() throws IOException {
        postgres = Postgres.start(dir.resolve("postgres"), ports.postgres());
    }

    /**
     * PostgreSQL's immediate shutdown ({@code pg_ctl stop -m immediate} sends the postmaster SIGQUIT): no checkpoint,
     * the next start recovers from the WAL. Returns once the postmaster is gone.
     */
    void stopPostgresImmediately() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException("no postmaster " + pid));
        new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start().waitFor();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("PostgreSQL " + pid + " did not stop on SIGQUIT", e);
        }
        // Releases this JVM's lock on the data folder, so that the server can start on it again; the fast stop it
        // tries first fails, the server being gone, and would log that failure with its stack trace.
        ch.qos.logback.classic.Logger zonky = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(EmbeddedPostgres.class);
        ch.qos.logback.classic.Level level = zonky.getLevel();
        zonky.setLevel(ch.qos.logback.classic.Level.OFF);
        try {
            postgres.close();
        } finally {
            zonky.setLevel(level);
        }
    }

    /** Waits until the sink has migrated the database, so the table exists. */
    private void awaitTable(String table) {
        Deadline.of(READY, "the sink to create " + table)
                .failIf(() -> !sink.isAlive(), () -> "sink exited; its log: " + sink.log())
                .await(() -> count(table) >= 0);
    }

    /** Rows of a table of the homecoming database; -1 when it cannot be read now. */
    long count(String table) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The event ids the ledger ({@code registration_event}) holds. */
    Set<UUID> ledgerEvents() throws SQLException {
        Set<UUID> events = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT event_id FROM registration_event")) {
            while (rs.next()) {
                events.add(rs.getObject(1, UUID.class));
            }
        }
        return events;
    }

    JvmProcess broker() {
        return broker;
    }

    List<JvmProcess> counting() {
        return counting;
    }

    JvmProcess sink() {
        return sink;
    }

    /** The intake gateway (the producer jar); only the gateway scenario starts it. */
    JvmProcess gateway() {
        return gateway;
    }

    URI gatewayUri() {
        return URI.create("http://localhost:" + gatewayPort);
    }

    /** Starts the gateway, or starts it again, and waits until it is ready for requests. */
    void startGateway() throws IOException {
        gateway.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(gatewayUri().resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        Deadline.of(READY, "the gateway to be ready")
                .failIf(() -> !gateway.isAlive(), () -> "the gateway exited; its log: " + gateway.log())
                .await(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    String bootstrapServers() {
        return "localhost:" + ports.kafka();
    }

    String registryUrl() {
        return "http://localhost:" + ports.registry();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + ports.postgres() + "/" + Postgres.DATABASE;
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(counting);
        all.add(gateway);
        all.add(sink);
        all.add(registry);
        all.add(postgres);
        all.add(broker);
        for (AutoCloseable component : all) {
            if (component == null) {
                continue;
            }
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", component, e.getMessage());
            }
        }
    }
}
