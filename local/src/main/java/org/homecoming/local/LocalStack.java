package org.homecoming.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.homecoming.local.security.KafkaAccess;
import org.homecoming.local.security.Secrets;
import org.homecoming.producer.ProducerApplication;
import org.homecoming.registry.RegistryApplication;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.sink.SinkApplication;
import org.homecoming.streams.StreamsApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole of Homecoming on one machine: a KRaft broker, the schema registry, PostgreSQL, the topics and
 * schemas, then the streams, sink and producer services, each a Spring application in this JVM on its own
 * port. Closing it stops everything in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /**
     * Every service leaves out Micrometer's Logback metrics (see each application.yml). A command-line
     * exclude list replaces the file's, so the list given here must repeat it.
     */
    static final String LOGBACK_METRICS =
            "org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration";

    /**
     * Auto-configurations a service does not use but would find on the shared classpath of one JVM: only
     * the sink talks to PostgreSQL.
     */
    static final String NOT_SINK_EXCLUDES = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            LOGBACK_METRICS);

    private final StackPorts ports;
    private final Path dataDir;
    /** Where the passwords of a secured stack are; null for the unsecured stack. */
    private final Secrets secrets;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private KafkaBroker kafka;
    private Postgres postgres;

    private LocalStack(StackPorts ports, Path dataDir, Secrets secrets) {
        this.ports = ports;
        this.dataDir = dataDir;
        this.secrets = secrets;
    }

    /** Starts the infrastructure and the three services, unsecured. */
    public static LocalStack start(StackPorts ports, Path dataDir) throws IOException {
        return start(ports, dataDir, null);
    }

    /**
     * As {@link #start(StackPorts, Path)}, secured: Kafka with SCRAM-SHA-512 principals per service and ACLs, no
     * access without them; PostgreSQL asking every account for its password, no trust line. The passwords are those
     * of {@code secretsDir} (generated there, mode 0600, on first use).
     */
    public static LocalStack startSecured(StackPorts ports, Path dataDir, Path secretsDir) throws IOException {
        return start(ports, dataDir, Secrets.in(secretsDir));
    }

    /** As {@link #startSecured(StackPorts, Path, Path)} with the secrets given; unsecured when {@code secrets} is null. */
    public static LocalStack start(StackPorts ports, Path dataDir, Secrets secrets) throws IOException {
        LocalStack stack = new LocalStack(ports, dataDir.toAbsolutePath(), secrets);
        try {
            stack.startAll();
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        long begin = System.nanoTime();
        startKafka();
        postgres = Postgres.start(dataDir.resolve("postgres"), ports.postgres(), secrets);
        started.push(postgres);
        startRegistry();
        run(StreamsApplication.application(), "streams", new String[] {
            "--server.port=" + ports.streams(),
            "--homecoming.streams.bootstrap-servers=" + bootstrapServers(),
            "--homecoming.streams.schema-registry-url=" + registryUrl(),
            "--homecoming.streams.state-dir=" + dataDir.resolve("streams"),
            "--homecoming.view.state-dir=" + dataDir.resolve("streams-view"),
            "--homecoming.view.advertised-host=localhost",
            "--homecoming.view.advertised-port=" + ports.streams(),
            "--spring.autoconfigure.exclude=" + NOT_SINK_EXCLUDES},
                kafkaSecurity("streams", KafkaAccess.STREAMS),
                kafkaSecurity("view", KafkaAccess.VIEW));
        run(SinkApplication.application(), "sink", sinkArguments(ports.sink(), bootstrapServers(), registryUrl(), postgres),
                kafkaSecurity("sink", KafkaAccess.SINK));
        startProducer();
        LOG.info("Embedded stack up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Starts only what the intake gateway needs: the broker and topics, the schema registry and schemas,
     * and the gateway. For measuring the gateway alone; nothing counts or stores what it takes in.
     */
    public static LocalStack startIntake(StackPorts ports, Path dataDir) throws IOException {
        LocalStack stack = new LocalStack(ports, dataDir.toAbsolutePath(), null);
        try {
            stack.startKafka();
            stack.startRegistry();
            stack.startProducer();
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startKafka() throws IOException {
        Path logDir = dataDir.resolve("kafka");
        if (secrets == null) {
            kafka = KafkaBroker.start(logDir, ports.kafka(), ports.controller());
            started.push(kafka);
        } else {
            kafka = KafkaBroker.startSecured(logDir, ports.kafka(), ports.controller(), KafkaAccess.brokerCredentials(secrets));
            started.push(kafka);
            try (Admin admin = Admin.create(adminConfig())) {
                KafkaAccess.provision(admin, KafkaAccess.servicePasswords(secrets));
            }
            LOG.info("Kafka secured: SCRAM-SHA-512 principals and ACLs, passwords in {}", secrets.dir());
        }
        createTopics();
    }

    /**
     * The service's {@code kafka-security} settings for {@code account} on a secured stack; on an unsecured one the
     * services' PLAINTEXT default, so an unsecured stack (and the benchmarks) run exactly as before.
     */
    private String[] kafkaSecurity(String service, String account) {
        if (secrets == null) {
            return new String[0];
        }
        KafkaClientSecurity security = clientSecurity(account);
        String prefix = "--homecoming." + service + ".kafka-security.";
        return new String[] {
            prefix + "protocol=" + security.protocol(),
            prefix + "mechanism=" + security.mechanism(),
            prefix + "username=" + security.username(),
            prefix + "password=" + security.password()};
    }

    private void startRegistry() {
        run(RegistryApplication.application(), "registry", new String[] {
            "--server.port=" + ports.registry(),
            "--homecoming.registry.bootstrap-servers=" + bootstrapServers(),
            "--spring.autoconfigure.exclude=" + NOT_SINK_EXCLUDES}, kafkaSecurity("registry", KafkaAccess.REGISTRY));
        ContractSchemas.registerAll(new RestSchemaRegistryClient(registryUrl()));
    }

    private void startProducer() {
        run(ProducerApplication.application(), "producer", new String[] {
            "--server.port=" + ports.producer(),
            "--spring.profiles.active=demo",
            "--homecoming.producer.bootstrap-servers=" + bootstrapServers(),
            "--homecoming.producer.schema-registry-url=" + registryUrl(),
            "--spring.autoconfigure.exclude=" + NOT_SINK_EXCLUDES}, kafkaSecurity("producer", KafkaAccess.GATEWAY));
    }

    /**
     * The sink service's command line against a broker, registry and PostgreSQL: it writes as {@code homecoming_sink},
     * its Flyway migrates as the owner.
     */
    static String[] sinkArguments(int port, String bootstrapServers, String registryUrl, Postgres postgres) {
        return new String[] {
            "--server.port=" + port,
            "--homecoming.sink.bootstrap-servers=" + bootstrapServers,
            "--homecoming.sink.schema-registry-url=" + registryUrl,
            "--spring.datasource.url=" + postgres.jdbcUrl(),
            "--spring.datasource.username=" + Postgres.SINK,
            "--spring.datasource.password=" + postgres.password(Postgres.SINK),
            "--spring.flyway.user=" + Postgres.OWNER,
            "--spring.flyway.password=" + postgres.password(Postgres.OWNER)};
    }

    /**
     * Starts one more instance of the streams service (counting and view applications) against this
     * stack, on its own HTTP port and state folders; it is stopped with the stack.
     */
    public ConfigurableApplicationContext startStreamsInstance(int port, Path stateDir) {
        ConfigurableApplicationContext context = StreamsApplication.application().run(arguments(new String[] {
            "--server.port=" + port,
            "--homecoming.streams.bootstrap-servers=" + bootstrapServers(),
            "--homecoming.streams.schema-registry-url=" + registryUrl(),
            "--homecoming.streams.state-dir=" + stateDir.resolve("streams"),
            "--homecoming.view.state-dir=" + stateDir.resolve("streams-view"),
            "--homecoming.view.advertised-host=localhost",
            "--homecoming.view.advertised-port=" + port,
            "--spring.autoconfigure.exclude=" + NOT_SINK_EXCLUDES},
                kafkaSecurity("streams", KafkaAccess.STREAMS), kafkaSecurity("view", KafkaAccess.VIEW)));
        started.push(context::close);
        return context;
    }

    private void run(SpringApplication application, String name, String[]... args) {
        LOG.info("Starting {}", name);
        ConfigurableApplicationContext context = application.run(arguments(args));
        started.push(context::close);
    }

    /**
     * The arguments, and the HTTP address of every service: loopback, so the embedded stack answers this machine only.
     */
    private static String[] arguments(String[]... parts) {
        List<String> all = new ArrayList<>();
        all.add("--server.address=localhost");
        for (String[] part : parts) {
            all.addAll(Arrays.asList(part));
        }
        return all.toArray(String[]::new);
    }

    private void createTopics() {
        try (Admin admin = Admin.create(adminConfig())) {
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topics in time", e);
        }
    }

    /** Kafka bootstrap servers. */
    public String bootstrapServers() {
        return "localhost:" + ports.kafka();
    }

    /** Whether Kafka runs secured ({@link #startSecured}). */
    public boolean secured() {
        return secrets != null;
    }

    /** The folder of the generated passwords of a secured stack. */
    public Optional<Path> secretsDir() {
        return Optional.ofNullable(secrets).map(Secrets::dir);
    }

    /** How {@code account} (a {@link KafkaAccess} principal) authenticates; {@code NONE} on an unsecured stack. */
    public KafkaClientSecurity clientSecurity(String account) {
        if (secrets == null) {
            return KafkaClientSecurity.NONE;
        }
        try {
            return KafkaAccess.client(secrets, account);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the password of " + account + " in " + secrets.dir(), e);
        }
    }

    /**
     * Settings of a client of this broker with every right: the super user on a secured stack (topics, the audit,
     * tests reading any topic), nothing but the address on an unsecured one.
     */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return clientSecurity(KafkaAccess.ADMIN).applyTo(config);
    }

    /** Schema registry base URL. */
    public String registryUrl() {
        return "http://localhost:" + ports.registry();
    }

    /** The streams service: query API, push stream and dashboard. */
    public String streamsUrl() {
        return "http://localhost:" + ports.streams();
    }

    /** The live dashboard. */
    public String dashboardUrl() {
        return streamsUrl() + "/";
    }

    /** JDBC URL of the homecoming database. */
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    /** The embedded PostgreSQL: its roles, passwords and connections. */
    public Postgres postgres() {
        return postgres;
    }

    /** The ports in use. */
    public StackPorts ports() {
        return ports;
    }

    /** The data folder. */
    public Path dataDir() {
        return dataDir;
    }

    /** One line per component: where it listens. */
    public List<String> describe() {
        return List.of(
                String.format("  %-18s %s%s", "Kafka (KRaft)", bootstrapServers(),
                        secured() ? " (SASL_PLAINTEXT, SCRAM-SHA-512, ACLs)" : " (PLAINTEXT, loopback only)"),
                String.format("  %-18s %s", "Schema registry", registryUrl()),
                String.format("  %-18s %s", "PostgreSQL", jdbcUrl()),
                String.format("  %-18s %s", "", biAccess()),
                String.format("  %-18s http://localhost:%d", "Intake gateway", ports.producer()),
                String.format("  %-18s http://localhost:%d", "Streams", ports.streams()),
                String.format("  %-18s %s", "Dashboard", dashboardUrl()),
                String.format("  %-18s http://localhost:%d", "Sink", ports.sink()));
    }

    /** Who BI tools log in as, and with what. */
    private String biAccess() {
        return postgres.passwordFile(Postgres.BI)
                .map(file -> String.format("BI tools: user %s, password in %s (or $%s)", Postgres.BI, file,
                        Secrets.variable(Postgres.BI)))
                .orElse(String.format("BI tools: user %s, no password (the unsecured stack trusts local connections)",
                        Postgres.BI));
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", component, e.getMessage());
            }
        }
    }
}
