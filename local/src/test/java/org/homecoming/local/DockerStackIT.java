package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.ProducerApplication;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.ConfluentWire;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.sink.SinkApplication;
import org.homecoming.streams.StreamsApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;
import picocli.CommandLine;

/**
 * The {@code docker-compose.yml} system on real containers: Kafka ({@code apache/kafka}), Confluent Schema
 * Registry and PostgreSQL, at the images, environment and init lines the compose file gives; our services
 * in-process with the compose file's environment (host names pointed at the containers), two streams instances
 * as the compose file runs. Needs a Docker engine; skipped with a message where there is none. Run with
 * {@code ./mvnw verify -pl local -am -Dit.test='Docker*IT' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@RequiresDocker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerStackIT {

    private static final Logger LOG = LoggerFactory.getLogger(DockerStackIT.class);

    private static final int EVENTS = 3_000;

    @TempDir
    static Path dataDir;

    static ComposeConsistency compose;
    static Map<String, Object> composeTree;
    static Network network;
    static KafkaContainer kafka;
    static GenericContainer<?> registry;
    static PostgreSQLContainer postgres;
    static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();

    @BeforeAll
    static void startContainers() throws Exception {
        composeTree = ComposeConsistency.parse(Files.readString(ComposeFileTest.composeFile()));
        compose = new ComposeConsistency(composeTree, ComposeConsistency::applicationYmlOnClasspath);
        network = Network.newNetwork();
        STARTED.push(network::close);

        kafka = new KafkaContainer(image("kafka"))
                .withNetwork(network)
                .withNetworkAliases("kafka")
                // the compose network's listener, which the init lines and the registry use
                .withListener("kafka:19092");
        kafka.start();
        STARTED.push(kafka::stop);

        registry = new GenericContainer<>(image("schema-registry"))
                .withNetwork(network)
                .withNetworkAliases("schema-registry")
                .withEnv(compose.environment("schema-registry"))
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));
        registry.start();
        STARTED.push(registry::stop);

        Map<String, String> postgresEnv = new LinkedHashMap<>();
        compose.environment("postgres").forEach((name, value) ->
                postgresEnv.put(name, ComposeServices.interpolate(value, ComposeServices.testPasswords())));
        // as the compose file runs it: secured by its initdb arguments, the roles made by its init script
        postgres = new PostgreSQLContainer(image("postgres"))
                .withNetwork(network)
                .withNetworkAliases("postgres")
                .withEnv(postgresEnv)
                .withCopyFileToContainer(MountableFile.forHostPath(ComposeFileTest.postgresInitScript(), 0755),
                        "/docker-entrypoint-initdb.d/" + ComposeFileTest.postgresInitScript().getFileName())
                .withDatabaseName(postgresEnv.get("POSTGRES_DB"))
                .withUsername(postgresEnv.get("POSTGRES_USER"))
                .withPassword(postgresEnv.get("POSTGRES_PASSWORD"));
        postgres.start();
        STARTED.push(postgres::stop);

        runInit();
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

    private static String image(String service) {
        Object image = ((Map<?, ?>) ((Map<?, ?>) composeTree.get("services")).get(service)).get("image");
        assertThat(image).as("image of compose service %s", service).isNotNull();
        return String.valueOf(image);
    }

    private static String registryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
    }

    /** The compose environment of a service as Spring command-line properties (placeholders read them too). */
    private static List<String> serviceArgs(String service, Map<String, String> overrides) {
        List<String> args = new ArrayList<>();
        ComposeServices.environment(compose, service,
                        ComposeServices.rewrites(kafka.getBootstrapServers(), registryUrl(), postgres.getJdbcUrl()))
                // the Testcontainers broker is not secured; ServiceJarsIT runs the compose file's SASL settings
                .forEach((name, value) -> args.add("--" + name + "="
                        + (name.equals("KAFKA_SECURITY_PROTOCOL") ? "PLAINTEXT" : value)));
        overrides.forEach((name, value) -> args.add("--" + name + "=" + value));
        return args;
    }

    private static void run(SpringApplication application, List<String> args) {
        ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
        STARTED.push(context::close);
    }

    /** What the compose file's init service does: its kafka-topics.sh lines, then its register-schemas line. */
    private static void runInit() throws Exception {
        for (String line : compose.initScript()) {
            if (line.contains("kafka-topics.sh")) {
                ExecResult result = kafka.execInContainer("bash", "-c", "/opt/kafka/bin/"
                        + line.trim().replaceAll(" --command-config \\S+", ""));
                assertThat(result.getExitCode()).as("%s%n%s", line, result.getStderr()).isZero();
            }
        }
        String registerLine = compose.initScript().stream().filter(line -> line.contains(" register-schemas")).findFirst()
                .orElseThrow().trim();
        String[] args = registerLine.substring(registerLine.indexOf("register-schemas"))
                .replace("http://schema-registry:8081", registryUrl()).split("\\s+");
        assertThat(new CommandLine(new HomecomingCommand()).execute(args)).as(registerLine).isZero();
    }

    @Test
    @Order(1)
    void the_compose_init_lines_create_every_catalogue_topic_on_the_real_broker_and_register_the_schemas() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
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

        assertThat(new RestSchemaRegistryClient(registryUrl()).subjects())
                .containsAll(ContractSchemas.subjects().keySet());
    }

    @Test
    @Order(2)
    void events_sent_become_exact_totals_in_postgres_with_two_streams_instances_and_the_sink_on_the_compose_environment()
            throws Exception {
        for (int instance = 1; instance <= 2; instance++) {
            int port = StackPorts.free().streams();
            run(StreamsApplication.application(), serviceArgs("streams", Map.of(
                    "STREAMS_PORT", String.valueOf(port),
                    "STREAMS_STATE_DIR", dataDir.resolve("streams-" + instance).toString(),
                    "VIEW_STATE_DIR", dataDir.resolve("streams-view-" + instance).toString(),
                    "VIEW_ADVERTISED_HOST", "localhost",
                    "spring.autoconfigure.exclude", LocalStack.NOT_SINK_EXCLUDES)));
        }
        run(SinkApplication.application(),
                serviceArgs("sink", Map.of("SINK_PORT", String.valueOf(StackPorts.free().sink()))));
        run(ProducerApplication.application(), serviceArgs("producer", Map.of(
                "PRODUCER_PORT", String.valueOf(StackPorts.free().producer()),
                "spring.autoconfigure.exclude", LocalStack.NOT_SINK_EXCLUDES)));

        ReturneeSimulation simulation = ComposeServices.send(EVENTS, 11, kafka.getBootstrapServers(), registryUrl());

        String url = postgres.getJdbcUrl();
        String user = postgres.getUsername();
        String password = postgres.getPassword();
        // The province row can land before some township rows (other partitions of the totals topic), so the
        // township totals are awaited too, not read once.
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> ComposeServices.provinceReturnees(url, user, password), total -> total == EVENTS);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(ComposeServices.townshipReturnees(url, user, password))
                        .isEqualTo(simulation.expectedByTownship()));
    }

    @Test
    @Order(3)
    void our_registry_client_and_serde_interoperate_with_confluent_schema_registry() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registryUrl());
        Schema v1 = SchemaBuilder.record("Probe").namespace("org.homecoming.it").fields()
                .requiredString("name").endRecord();
        Schema incompatible = SchemaBuilder.record("Probe").namespace("org.homecoming.it").fields()
                .requiredString("name").requiredLong("count").endRecord();
        Schema compatible = SchemaBuilder.record("Probe").namespace("org.homecoming.it").fields()
                .requiredString("name").name("count").type().longType().longDefault(0).endRecord();
        String subject = "docker-it-probe-value";

        int id = client.register(subject, v1);
        RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(registryUrl());
        assertThat(fresh.register(subject, v1)).as("same schema, same id").isEqualTo(id);
        assertThat(fresh.getId(subject, v1)).isEqualTo(id);
        assertThat(fresh.getSchemaById(id)).isEqualTo(v1);
        assertThat(fresh.getLatest(subject).version()).isEqualTo(1);
        assertThat(fresh.isCompatible(subject, incompatible)).isFalse();
        assertThatThrownBy(() -> fresh.register(subject, incompatible))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                });
        assertThat(fresh.isCompatible(subject, compatible)).isTrue();
        assertThat(fresh.register(subject, compatible)).isNotEqualTo(id);
        assertThat(fresh.getLatest(subject).version()).isEqualTo(2);
        assertThatThrownBy(() -> fresh.getSchemaById(987_654))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));

        RegistrationEvent event = ReturneeSimulation.generate(1, 3, Regions.shanxi(), new Pseudonymizer(Demo.DEMO_KEY, 1))
                .events().get(0);
        int contractId = fresh.getId(Topics.valueSubject(Topics.REGISTRATIONS.name()), RegistrationEvent.getClassSchema());
        byte[] bytes = new SpecificAvroSerializer<RegistrationEvent>(fresh, false)
                .serialize(Topics.REGISTRATIONS.name(), event);
        assertThat(ConfluentWire.schemaId(bytes)).isEqualTo(contractId);
        RegistrationEvent read = new SpecificAvroDeserializer<>(RegistrationEvent.class,
                new RestSchemaRegistryClient(registryUrl())).deserialize(Topics.REGISTRATIONS.name(), bytes);
        assertThat(read).isEqualTo(event);
    }
}
