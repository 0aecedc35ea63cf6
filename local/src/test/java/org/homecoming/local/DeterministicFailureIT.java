package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.registry.RegistryApplication;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.rules.Policy;
import org.homecoming.streams.StreamsApplication;
import org.homecoming.streams.lifecycle.StreamsFailureHandler;
import org.homecoming.streams.topology.TopologySerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A record that fails the same way every time it is processed, on the embedded broker and registry: the counting
 * application stops on it rather than replaying it forever. Readiness turns DOWN naming the record, one ERROR line
 * names its topic, partition and offset (and no log line its key), and nothing restarts: no stream thread of the
 * counting application stays alive, none is replaced, and the application has left its consumer group.
 *
 * <p>The fault is a bean the test adds to the streams service's context: a post-processor that hands the topology a
 * registration deserializer with a bug that one event trips (an {@code ArithmeticException}, as
 * {@code Math.addExact} throws on an overflow). The service's code runs unchanged.
 */
class DeterministicFailureIT {

    private static final String APPLICATION_ID = "homecoming-totals";
    /** The person (and record key) of the planted record. */
    private static final String PERSON = "ef".repeat(32);
    /** The one event the planted bug trips; the person's other events go through. */
    private static final UUID PLANTED = UUID.fromString("0badc0de-0000-4000-8000-000000000001");
    private static final String TOWNSHIP = Regions.shanxi().atLevel(RegionLevel.TOWNSHIP).get(0).code();

    @TempDir
    static Path dir;

    static final StackPorts PORTS = StackPorts.free();
    static KafkaBroker kafka;
    static ConfigurableApplicationContext registry;
    static ConfigurableApplicationContext streams;

    @BeforeAll
    static void startBrokerRegistryAndStreamsWithThePlantedFault() throws Exception {
        kafka = KafkaBroker.start(dir.resolve("kafka"), PORTS.kafka(), PORTS.controller());
        try (Admin admin = admin()) {
            admin.createTopics(Topics.ALL.stream()
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs())).toList())
                    .all().get(60, TimeUnit.SECONDS);
        }
        registry = RegistryApplication.application().run("--server.port=" + PORTS.registry(),
                "--homecoming.registry.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.autoconfigure.exclude=" + LocalStack.NOT_SINK_EXCLUDES);
        ContractSchemas.registerAll(new RestSchemaRegistryClient(registryUrl()));

        SpringApplication application = StreamsApplication.application();
        application.addInitializers(context -> context.getBeanFactory().addBeanPostProcessor(new PlantedFault()));
        streams = application.run(
                "--server.port=" + PORTS.streams(),
                "--homecoming.streams.bootstrap-servers=" + kafka.bootstrapServers(),
                "--homecoming.streams.schema-registry-url=" + registryUrl(),
                "--homecoming.streams.state-dir=" + dir.resolve("streams"),
                "--homecoming.view.state-dir=" + dir.resolve("streams-view"),
                "--homecoming.view.advertised-host=localhost",
                "--homecoming.view.advertised-port=" + PORTS.streams(),
                "--spring.autoconfigure.exclude=" + LocalStack.NOT_SINK_EXCLUDES);
    }

    @AfterAll
    static void stop() throws Exception {
        if (streams != null) {
            streams.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void a_record_failing_deterministically_stops_the_counting_application_with_readiness_down_and_its_offset_logged()
            throws Exception {
        ViewClient service = new ViewClient("http://localhost:" + PORTS.streams());
        await("the streams service ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(service::ready);
        // Spring Boot set logging up as each application started; listen from here on.
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        try {
            RecordMetadata planted;
            try (KafkaProducer<String, RegistrationEvent> producer = producer()) {
                // the person's earlier events, on the same partition, put the planted one at an offset of its own
                for (int i = 0; i < 3; i++) {
                    producer.send(record(PERSON, UUID.randomUUID())).get(30, TimeUnit.SECONDS);
                }
                planted = producer.send(record(PERSON, PLANTED)).get(30, TimeUnit.SECONDS);
                producer.send(record(PERSON, UUID.randomUUID())).get(30, TimeUnit.SECONDS);
                producer.send(record("ab".repeat(32), UUID.randomUUID())).get(30, TimeUnit.SECONDS);
            }

            JsonNode counting = await("readiness DOWN").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> readiness(service), c -> "DOWN".equals(c.path("status").asString()));

            assertThat(service.get("/actuator/health/readiness").status()).isEqualTo(503);
            JsonNode details = counting.get("details");
            assertThat(details.get("state").asString()).isIn("PENDING_ERROR", "ERROR");
            assertThat(details.get("failedRecord").get("topic").asString()).isEqualTo(Topics.REGISTRATIONS.name());
            assertThat(details.get("failedRecord").get("partition").asInt()).isEqualTo(planted.partition());
            assertThat(planted.offset()).isEqualTo(3);
            assertThat(details.get("failedRecord").get("offset").asLong()).isEqualTo(planted.offset());
            assertThat(details.get("exception").asString()).isEqualTo(ArithmeticException.class.getName());

            List<ILoggingEvent> handlerErrors = events(logged).stream()
                    .filter(e -> e.getLoggerName().equals(StreamsFailureHandler.class.getName()))
                    .toList();
            assertThat(handlerErrors).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).contains("topic=" + Topics.REGISTRATIONS.name()
                        + " partition=" + planted.partition() + " offset=" + planted.offset());
            });

            // It does not spin: it stays in ERROR, with no counting stream thread alive or replaced, out of its group.
            await("the counting application to stay stopped").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        JsonNode now = readiness(service).get("details");
                        return "ERROR".equals(now.get("state").asString()) && now.get("threadReplacements").asInt() == 0
                                && countingStreamThreadsAlive() == 0 && countingGroupMembers() == 0;
                    });
            assertThat(events(logged).stream().filter(e -> e.getLoggerName().equals(StreamsFailureHandler.class.getName())))
                    .hasSize(1);
            assertThat(readinessComponent(service, "totalsView").path("status").asString())
                    .as("the view, a separate application, still serves").isEqualTo("UP");

            assertThat(events(logged)).as("no log line names the record's key").noneMatch(e -> mentions(e, PERSON));
            assertThat(events(logged)).as("nor its event id").noneMatch(e -> mentions(e, PLANTED.toString()));
        } finally {
            root.detachAppender(logged);
        }
    }

    @Test
    void the_streams_service_serves_its_series_and_the_kafka_streams_metrics_in_the_prometheus_format() {
        ViewClient service = new ViewClient("http://localhost:" + PORTS.streams());

        String scrape = await("the view's consumer lag in the scrape").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> service.get("/actuator/prometheus").body(),
                        body -> body.contains("kafka_consumer_fetch_manager_records_lag{"));

        assertThat(scrape).contains("homecoming_counting_accepted_total", "homecoming_counting_duplicates_total",
                "homecoming_counting_rejected_total{reason=\"UNKNOWN_TOWNSHIP\"}", "homecoming_totals_freshness_seconds",
                "topic=\"" + Topics.TOTALS.name() + "\"");
    }

    private static JsonNode readiness(ViewClient service) {
        return readinessComponent(service, "counting");
    }

    private static JsonNode readinessComponent(ViewClient service, String component) {
        return service.get("/actuator/health/readiness").json().path("components").path(component);
    }

    private static List<ILoggingEvent> events(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    private static boolean mentions(ILoggingEvent event, String text) {
        if (event.getFormattedMessage() != null && event.getFormattedMessage().contains(text)) {
            return true;
        }
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** Live threads of the counting application's client (its client id starts with the application id). */
    private static long countingStreamThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(APPLICATION_ID + "-") && !name.startsWith(APPLICATION_ID + "-view")
                        && name.contains("-StreamThread-"))
                .count();
    }

    private static int countingGroupMembers() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get(30, TimeUnit.SECONDS)
                    .get(APPLICATION_ID).members().size();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static String registryUrl() {
        return "http://localhost:" + PORTS.registry();
    }

    private static KafkaProducer<String, RegistrationEvent> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(registryUrl()), false));
    }

    private static ProducerRecord<String, RegistrationEvent> record(String person, UUID eventId) {
        LocalDate day = LocalDate.now(Policy.ZONE).minusDays(1);
        return new ProducerRecord<>(Topics.REGISTRATIONS.name(), person, RegistrationEvent.newBuilder()
                .setEventId(eventId)
                .setPersonRef(person)
                .setPersonRefKeyVersion(1)
                .setTownshipCode(TOWNSHIP)
                .setTerminalId("T-1")
                .setOccurredOn(day)
                .setRecordedAt(day.atTime(LocalTime.NOON).atZone(Policy.ZONE).toInstant())
                .setPayload(new ReturneeRegistered(null, ReturnReason.FAMILY))
                .build());
    }

    /**
     * Hands the counting topology a registration deserializer with a bug that the planted event trips.
     * Every other bean, and all of the service's code, stays as it ships.
     */
    static final class PlantedFault implements BeanPostProcessor {

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof TopologySerdes serdes)) {
                return bean;
            }
            Deserializer<RegistrationEvent> reader = serdes.event().deserializer();
            Deserializer<RegistrationEvent> faulty = (topic, bytes) -> {
                RegistrationEvent event = reader.deserialize(topic, bytes);
                if (event != null && PLANTED.equals(event.getEventId())) {
                    throw new ArithmeticException("long overflow");
                }
                return event;
            };
            return new TopologySerdes(Serdes.serdeFrom(serdes.event().serializer(), faulty), serdes.totalsKey(),
                    serdes.totals());
        }
    }
}
