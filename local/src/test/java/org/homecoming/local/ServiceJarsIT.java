package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.TopicCommand;
import org.homecoming.local.security.KafkaAccess;
import org.homecoming.local.security.Secrets;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.registry.RegistryApplication;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rehearsal of {@code docker-compose.yml} without Docker: the init service's {@code kafka-topics.sh} lines run
 * through Kafka's own TopicCommand and its {@code register-schemas} line through our command line, then the
 * services' runnable jars (what the images run) start as separate processes with exactly the environment the
 * compose file gives them, pointed at the embedded broker, registry and PostgreSQL; two streams processes, as
 * the compose file runs. Each must turn ready on the compose health-check URL, and N events must become exact
 * totals in PostgreSQL. The broker is secured as the compose file's is (SCRAM-SHA-512, ACLs, the super user added
 * at format), the init's kafka-access line creates the principals, and every service runs as the one the compose
 * file gives it, with the passwords a deployment would put in the environment.
 */
class ServiceJarsIT {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceJarsIT.class);

    private static final int EVENTS = 2_000;

    /** Where the init writes the super user's settings for the kafka-topics.sh lines' --command-config. */
    private static final String INIT_CLIENT_CONFIG = "/tmp/kafka-admin.properties";

    private static final Pattern HEALTH_PATH = Pattern.compile("http://localhost:\\d+(/\\S*)");

    @TempDir
    static Path dataDir;

    static ComposeConsistency compose;
    static StackPorts ports;
    static KafkaBroker kafka;
    static Postgres postgres;
    static Path adminClientConfig;
    static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();

    @BeforeAll
    static void startInfrastructureAndRunInit() throws Exception {
        compose = ComposeConsistency.of(ComposeFileTest.composeFile());
        ports = StackPorts.free();
        Map<String, String> secrets = ComposeKafkaSecurity.testSecrets();
        kafka = KafkaBroker.startSecured(dataDir.resolve("kafka"), ports.kafka(), ports.controller(),
                new KafkaBroker.Credentials(KafkaAccess.ADMIN, secrets.get(Secrets.variable(KafkaAccess.ADMIN)),
                        KafkaAccess.CONTROLLER, secrets.get(Secrets.variable(KafkaAccess.CONTROLLER))));
        STARTED.push(kafka);
        // secured, as the compose file's postgres: the services get the passwords its variables hold
        postgres = Postgres.startSecured(dataDir.resolve("postgres"), ports.postgres(), Secrets.in(dataDir.resolve("secrets")));
        STARTED.push(postgres);
        adminClientConfig = dataDir.resolve("kafka-admin.properties");

        assertThat(runKafkaAccessLine()).as("exit code of the init's kafka-access line").isZero();
        assertThat(runTopicLines()).as("exit codes of the init's kafka-topics.sh lines").containsOnly(0);

        ConfigurableApplicationContext registry = RegistryApplication.application().run(
                "--server.port=" + ports.registry(),
                "--homecoming.registry.bootstrap-servers=" + kafka.bootstrapServers(),
                "--homecoming.registry.kafka-security.protocol=SASL_PLAINTEXT",
                "--homecoming.registry.kafka-security.username=" + KafkaAccess.REGISTRY,
                "--homecoming.registry.kafka-security.password=" + secrets.get(Secrets.variable(KafkaAccess.REGISTRY)),
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
        STARTED.push(registry::close);
        assertThat(runRegisterSchemasLine()).isZero();
    }

    @AfterAll
    static void stopAll() {
        while (!STARTED.isEmpty()) {
            try {
                STARTED.pop().close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.getMessage());
            }
        }
    }

    private static String registryUrl() {
        return "http://localhost:" + ports.registry();
    }

    /** Runs each kafka-topics.sh line of the init service, addressed to the embedded broker; their exit codes. */
    private static List<Integer> runTopicLines() {
        List<Integer> exitCodes = new ArrayList<>();
        for (String line : compose.initScript()) {
            if (!line.contains("kafka-topics.sh")) {
                continue;
            }
            String[] tokens = line.trim().replace("kafka:19092", kafka.bootstrapServers())
                    .replace(INIT_CLIENT_CONFIG, adminClientConfig.toString()).split("\\s+");
            String[] args = Arrays.copyOfRange(tokens, 1, tokens.length);
            // TopicCommand ends in Exit.exit(code), possibly twice (its own and main's): keep the first code, and
            // keep this JVM running.
            int[] exitCode = {-1};
            Exit.setExitProcedure((code, message) -> {
                if (exitCode[0] == -1) {
                    exitCode[0] = code;
                }
            });
            try {
                TopicCommand.main(args);
            } finally {
                Exit.resetExitProcedure();
            }
            LOG.info("{} -> exit {}", line.trim(), exitCode[0]);
            exitCodes.add(exitCode[0]);
        }
        return exitCodes;
    }

    /**
     * Runs the init's kafka-access line as the container does, {@code java -jar} with the init's environment from the
     * compose file: the users and ACLs, and the super user's settings the kafka-topics.sh lines then use.
     */
    private static int runKafkaAccessLine() throws IOException, InterruptedException {
        String line = compose.initScript().stream().filter(l -> l.contains(" kafka-access")).findFirst().orElseThrow().trim();
        assertThat(line).contains(INIT_CLIENT_CONFIG);
        List<String> command = new ArrayList<>(Arrays.asList(line.replace("kafka:19092", kafka.bootstrapServers())
                .replace(INIT_CLIENT_CONFIG, adminClientConfig.toString())
                .replace("/tmp/secrets", dataDir.resolve("init-secrets").toString()).split("\\s+")));
        assertThat(command.subList(0, 2)).as(line).containsExactly("java", "-jar");
        command.set(0, ServiceProcess.javaBinary().toString());
        command.set(2, ServiceProcess.execJar("local").toString());
        Path log = Files.createDirectories(Path.of("target", "service-jars")).resolve("kafka-access.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(Files.createDirectories(dataDir.resolve("init")).toFile());
        builder.environment().putAll(ComposeServices.environment(compose, "init",
                ComposeServices.rewrites(kafka.bootstrapServers(), registryUrl(), postgres.jdbcUrl())));
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("kafka-access finished").isTrue();
        LOG.info("{} -> exit {}:\n{}", line, process.exitValue(), Files.readString(log));
        return process.exitValue();
    }

    /** The super user's settings in the admin tools' form. */
    private static Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>(KafkaClientSecurity.scram(KafkaAccess.ADMIN,
                ComposeKafkaSecurity.testSecrets().get(Secrets.variable(KafkaAccess.ADMIN))).clientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }

    /**
     * Runs the init's register-schemas line as the container does, {@code java -jar} on the command line's
     * runnable jar (this module's), against the embedded registry; its exit code.
     */
    private static int runRegisterSchemasLine() throws IOException, InterruptedException {
        String line = compose.initScript().stream().filter(l -> l.contains(" register-schemas")).findFirst().orElseThrow().trim();
        List<String> command = new ArrayList<>(Arrays.asList(line.replace("http://schema-registry:8081", registryUrl())
                .split("\\s+")));
        assertThat(command.subList(0, 2)).as(line).containsExactly("java", "-jar");
        command.set(0, ServiceProcess.javaBinary().toString());
        command.set(2, ServiceProcess.execJar("local").toString());
        Path log = Files.createDirectories(Path.of("target", "service-jars")).resolve("register-schemas.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(Files.createDirectories(dataDir.resolve("init")).toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("register-schemas finished").isTrue();
        String output = Files.readString(log);
        LOG.info("{} -> exit {}:\n{}", line, process.exitValue(), output);
        ContractSchemas.subjects().keySet().forEach(subject -> assertThat(output).as(line).contains(subject));
        return process.exitValue();
    }

    @Test
    void the_init_lines_create_the_catalogue_topics_and_the_schemas_and_running_them_again_changes_nothing()
            throws Exception {
        assertThat(runTopicLines()).as("a second run of the init (a restarted init container)").hasSize(Topics.ALL.size())
                .containsOnly(0);
        assertThat(runRegisterSchemasLine()).isZero();

        assertThat(runKafkaAccessLine()).as("a second kafka-access run").isZero();
        try (Admin admin = Admin.create(adminConfig())) {
            List<String> names = Topics.ALL.stream().map(Topics.TopicSpec::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get(30, TimeUnit.SECONDS);
            for (Topics.TopicSpec spec : Topics.ALL) {
                assertThat(described.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                spec.configs().forEach((key, value) ->
                        assertThat(config.get(key).value()).as("%s of %s", key, spec.name()).isEqualTo(value));
            }
        }
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(registryUrl());
        assertThat(registry.subjects()).containsExactlyInAnyOrderElementsOf(ContractSchemas.subjects().keySet());
        ContractSchemas.subjects().forEach((subject, schema) ->
                assertThat(registry.getLatest(subject).version()).as("%s registered once", subject).isEqualTo(1));
    }

    @Test
    void the_service_jars_on_the_compose_environment_turn_events_into_exact_totals_with_two_streams_processes()
            throws Exception {
        Map<String, String> rewrites = ComposeServices.rewrites(kafka.bootstrapServers(), registryUrl(), postgres.jdbcUrl());
        List<Service> services = new ArrayList<>();
        for (int instance = 1; instance <= 2; instance++) {
            int port = StackPorts.free().streams();
            services.add(start("streams", "streams-" + instance, port, rewrites, Map.of(
                    "STREAMS_PORT", String.valueOf(port),
                    "STREAMS_STATE_DIR", dataDir.resolve("streams-" + instance).toString(),
                    "VIEW_STATE_DIR", dataDir.resolve("streams-view-" + instance).toString(),
                    "VIEW_ADVERTISED_HOST", "localhost")));
        }
        int sinkPort = StackPorts.free().sink();
        services.add(start("sink", "sink", sinkPort, rewrites, Map.of("SINK_PORT", String.valueOf(sinkPort))));
        int producerPort = StackPorts.free().producer();
        services.add(start("producer", "producer", producerPort, rewrites,
                Map.of("PRODUCER_PORT", String.valueOf(producerPort))));

        HttpClient http = HttpClient.newHttpClient();
        for (Service service : services) {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.ready(http));
        }

        ReturneeSimulation simulation = ComposeServices.send(EVENTS, 5, kafka.bootstrapServers(), registryUrl(),
                KafkaClientSecurity.scram(KafkaAccess.GATEWAY,
                        ComposeKafkaSecurity.testSecrets().get(Secrets.variable(KafkaAccess.GATEWAY))));
        String url = postgres.jdbcUrl();
        String owner = postgres.password(Postgres.OWNER);
        // The province row can land before some township rows (other partitions of the totals topic), so the
        // township totals are awaited too, not read once.
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> ComposeServices.provinceReturnees(url, Postgres.OWNER, owner), total -> total == EVENTS);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(ComposeServices.townshipReturnees(url, Postgres.OWNER, owner))
                        .isEqualTo(simulation.expectedByTownship()));
        services.forEach(service -> assertThat(service.process().isAlive()).as(service.process().name()).isTrue());
        assertThat(streamsMembers()).as("partitions of each streams process").hasSize(2)
                .allSatisfy(partitions -> assertThat(partitions).isNotEmpty());
    }

    /** The input partitions each process of the streams application's group holds. */
    private static List<Set<TopicPartition>> streamsMembers() throws Exception {
        try (CountingGroup group = new CountingGroup(adminConfig())) {
            return group.describe().partitions().values().stream().map(partitions -> partitions.stream()
                    .filter(partition -> partition.topic().equals(Topics.REGISTRATIONS.name()))
                    .collect(Collectors.toSet())).toList();
        }
    }

    /** One service jar running as its own process, and the compose health check that says it is ready. */
    private record Service(ServiceProcess process, URI health) {

        boolean ready(HttpClient http) throws IOException, InterruptedException {
            assertThat(process.isAlive()).as("%s exited early; its log: %s", process.name(), process.log()).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            }
        }
    }

    /** Starts the compose service's runnable jar with the compose file's environment. */
    private static Service start(String composeService, String name, int port, Map<String, String> rewrites,
            Map<String, String> local) throws IOException {
        Map<String, String> environment = new HashMap<>(ComposeServices.environment(compose, composeService, rewrites,
                ComposeServices.passwordsOf(postgres)));
        environment.putAll(local);
        ServiceProcess process = ServiceProcess.start(compose.homecomingServices().get(composeService), name, environment);
        STARTED.push(process);
        return new Service(process, URI.create("http://localhost:" + port + healthPath(composeService)));
    }

    private static String healthPath(String composeService) {
        Matcher matcher = HEALTH_PATH.matcher(compose.healthCheck(composeService));
        assertThat(matcher.find()).as("health-check URL of %s", composeService).isTrue();
        return matcher.group(1);
    }
}
