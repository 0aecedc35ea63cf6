package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.GatewayTarget;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.SimulationTarget;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The intake gateway on the embedded stack: records posted over HTTP land on the registrations topic
 * pseudonymised (read back and checked), the bad ones get field errors and never reach Kafka, and the
 * returnees arrive in PostgreSQL. No raw ID in the topic, the responses or the log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntakeGatewayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "demo-terminal-token";
    private static final Pseudonymizer DEMO = new Pseudonymizer(Demo.DEMO_KEY, 1);
    private static final String LONGGANG = "140521100";

    @TempDir
    static Path dataDir;

    static LocalStack stack;
    static HttpClient http = HttpClient.newHttpClient();
    static final List<String> IDS_POSTED = new ArrayList<>();
    static final List<String> RESPONSES = new ArrayList<>();
    static long returneesPosted;
    static long produced;

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

    private static HttpResponse<String> post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.ports().producer() + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        RESPONSES.add(response.body());
        return response;
    }

    private static String id(int n) {
        String id = NationalId.of("140521", LocalDate.of(1975, 6, 1).plusDays(n), 100 + n % 800);
        IDS_POSTED.add(id);
        return id;
    }

    private static String returnee(UUID eventId, String nationalId, String township) {
        return """
                {"eventId":"%s","nationalId":"%s","townshipCode":"%s","occurredOn":"2020-01-18",
                 "type":"RETURNEE_REGISTERED","payload":{"returnReason":"FAMILY"}}""".formatted(eventId, nationalId, township);
    }

    @Test
    @Order(1)
    void a_batch_of_good_and_bad_records_stores_the_good_ones_pseudonymised_and_answers_the_bad_ones_per_field()
            throws Exception {
        Map<UUID, String> good = new HashMap<>();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            UUID eventId = UUID.randomUUID();
            String id = id(i);
            good.put(eventId, id);
            records.add(returnee(eventId, id, LONGGANG));
        }
        String badDigit = id(100);
        records.add(5, returnee(UUID.randomUUID(), badDigit.substring(0, 17) + (badDigit.charAt(17) == '1' ? '2' : '1'),
                LONGGANG));
        records.add(20, returnee(UUID.randomUUID(), id(101), "140521999"));
        records.add(40, """
                {"eventId":"%s","nationalId":"%s","townshipCode":"%s","occurredOn":"2020-06-01","type":"BUSINESS_STARTED",
                 "payload":{"businessType":"RURAL_INN","registeredCapitalFen":0,"guaranteedLoanFen":30000001,
                 "jobsCreated":2}}""".formatted(UUID.randomUUID(), id(102), LONGGANG));

        HttpResponse<String> response = post("/api/v1/registrations:batch", "{\"records\":[" + String.join(",", records) + "]}");

        assertThat(response.statusCode()).isEqualTo(207);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(60);
        assertThat(answer.get("refused").asInt()).isEqualTo(3);
        Map<Integer, String> badFields = new HashMap<>();
        for (JsonNode result : answer.get("results")) {
            if (result.get("status").asInt() != 202) {
                assertThat(result.get("status").asInt()).isEqualTo(400);
                JsonNode error = result.get("problem").get("errors").get(0);
                badFields.put(result.get("index").asInt(), error.get("field").asString() + ":" + error.get("code").asString());
            }
        }
        assertThat(badFields).containsExactlyInAnyOrderEntriesOf(Map.of(
                5, "nationalId:NATIONAL_ID_BAD_CHECK_DIGIT",
                20, "townshipCode:UNKNOWN_TOWNSHIP",
                40, "payload.guaranteedLoanFen:LOAN_OVER_CEILING"));

        List<RegistrationEvent> onTopic = readRegistrations(60).stream().map(IntakeGatewayIT::decode).toList();
        assertThat(onTopic).hasSize(60);
        assertThat(onTopic.stream().map(RegistrationEvent::getEventId).collect(Collectors.toSet()))
                .isEqualTo(good.keySet());
        for (RegistrationEvent event : onTopic) {
            assertThat(event.getPersonRef()).isEqualTo(DEMO.personRef(good.get(event.getEventId())));
            assertThat(event.getTerminalId()).isEqualTo("T-DEMO-01");
            assertThat(event.getTownshipCode()).isEqualTo(LONGGANG);
        }
        returneesPosted += 60;
        produced += 60;
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> SimulateCommand.provinceTotals(stack).returnees(), total -> total == returneesPosted);
    }

    @Test
    @Order(2)
    void a_single_record_is_acknowledged_only_once_stored_and_the_simulator_reaches_postgres_through_the_gateway()
            throws Exception {
        UUID eventId = UUID.randomUUID();
        HttpResponse<String> single = post("/api/v1/registrations", returnee(eventId, id(200), "140521101"));
        assertThat(single.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(single.body()).get("eventId").asString()).isEqualTo(eventId.toString());
        assertThat(readRegistrations(61).stream().map(IntakeGatewayIT::decode).map(RegistrationEvent::getEventId))
                .contains(eventId);
        returneesPosted += 1;

        // Noise-free: every returnee registration is one person, whatever the state of the counting rules.
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(
                new ProvinceYearSimulation.Options(0.001, 42, 0, 0, 0), Regions.shanxi());
        SimulationTarget.Delivery delivery;
        try (GatewayTarget target = new GatewayTarget(URI.create("http://localhost:" + stack.ports().producer()), TOKEN,
                250, 2)) {
            simulation.generate(DEMO, record -> {
                IDS_POSTED.add(record.nationalId());
                target.send(record);
            });
            delivery = target.finish();
        }
        assertThat(delivery.accepted()).isEqualTo(simulation.expected().events());
        assertThat(delivery.refused()).isZero();
        returneesPosted += simulation.expected().province().returnees();
        produced += 1 + delivery.accepted();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> SimulateCommand.provinceTotals(stack).returnees(), total -> total == returneesPosted);
    }

    @Test
    @Order(3)
    void with_noise_the_gateway_refuses_exactly_the_invalid_records_and_no_raw_id_is_in_the_topic_responses_or_log()
            throws Exception {
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(
                ProvinceYearSimulation.Options.withDefaultNoise(0.001, 7), Regions.shanxi());
        SimulationTarget.Delivery delivery;
        try (GatewayTarget target = new GatewayTarget(URI.create("http://localhost:" + stack.ports().producer()), TOKEN,
                500, 2)) {
            simulation.generate(DEMO, record -> {
                IDS_POSTED.add(record.nationalId());
                target.send(record);
            });
            delivery = target.finish();
        }
        ProvinceYearSimulation.Expected expected = simulation.expected();
        assertThat(expected.invalid()).isPositive();
        // a retraction of an event never recorded passes the gateway: only the counting application can refute it
        assertThat(delivery.refused()).isEqualTo(expected.refusedByGateway());
        assertThat(delivery.accepted()).isEqualTo(expected.events() - expected.refusedByGateway());

        produced += delivery.accepted();
        List<ConsumerRecord<byte[], byte[]>> all = readRegistrations((int) produced);
        assertThat((long) all.size()).isEqualTo(produced);
        Set<String> needles = IDS_POSTED.stream().map(id -> id.substring(0, 17)).collect(Collectors.toSet());
        String log = Files.exists(Path.of("target/it.log")) ? Files.readString(Path.of("target/it.log")) : "";
        for (String needle : needles) {
            byte[] ascii = needle.getBytes(StandardCharsets.US_ASCII);
            for (ConsumerRecord<byte[], byte[]> record : all) {
                assertThat(indexOf(record.value(), ascii)).isNegative();
                assertThat(indexOf(record.key(), ascii)).isNegative();
            }
            assertThat(RESPONSES).noneMatch(r -> r.contains(needle));
            assertThat(log).doesNotContain(needle).doesNotContain(HexFormat.of().formatHex(ascii));
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static RegistrationEvent decode(ConsumerRecord<byte[], byte[]> record) {
        try (SpecificAvroDeserializer<RegistrationEvent> deserializer = new SpecificAvroDeserializer<>(
                RegistrationEvent.class, new RestSchemaRegistryClient(stack.registryUrl()))) {
            return deserializer.deserialize(record.topic(), record.value());
        }
    }

    /** Every record of the registrations topic, once at least {@code atLeast} are there. */
    private static List<ConsumerRecord<byte[], byte[]>> readRegistrations(int atLeast) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.REGISTRATIONS.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.REGISTRATIONS.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp)) && records.size() >= atLeast;
            });
            return records;
        }
    }
}
