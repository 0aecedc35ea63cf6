package org.homecoming.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.registry.CompatibilityLevel;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The registry server over HTTP, on a real (embedded KRaft) Kafka broker, spoken to by Homecoming's REST
 * client and by plain HTTP where Confluent's exact error bodies matter.
 */
class SchemaRegistryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema THING_V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"}]}""");
    private static final Schema THING_V2_COMPATIBLE = new Schema.Parser().parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"},
             {"name":"b","type":"int","default":0}]}""");
    private static final Schema THING_V2_INCOMPATIBLE = new Schema.Parser().parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"},
             {"name":"b","type":"int"}]}""");

    static EmbeddedKafkaKraftBroker kafka;

    ConfigurableApplicationContext registry;
    String topic;
    String url;
    RestSchemaRegistryClient client;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startKafka() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
    }

    @AfterAll
    static void stopKafka() {
        kafka.destroy();
    }

    @BeforeEach
    void startRegistry() {
        topic = "_schemas_" + UUID.randomUUID();
        startRegistryOn(topic);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private void startRegistryOn(String schemasTopic) {
        registry = RegistryApplication.application().run(
                "--server.port=0",
                "--homecoming.registry.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--homecoming.registry.topic=" + schemasTopic);
        int port = ((WebServerApplicationContext) registry).getWebServer().getPort();
        url = "http://localhost:" + port;
        client = new RestSchemaRegistryClient(url);
    }

    private JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + " -> " + response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    @Test
    void registering_the_same_schema_twice_returns_the_same_id() {
        int first = client.register("thing-value", THING_V1);
        int second = new RestSchemaRegistryClient(url).register("thing-value", THING_V1);

        assertThat(second).isEqualTo(first);
        assertThat(client.getLatest("thing-value").version()).isEqualTo(1);
    }

    @Test
    void an_incompatible_schema_is_refused_with_409() throws Exception {
        client.register("thing-value", THING_V1);

        JsonNode error = call("POST", "/subjects/thing-value/versions", schemaBody(THING_V2_INCOMPATIBLE), 409);

        assertThat(error.path("error_code").asInt()).isEqualTo(409);
        assertThat(error.path("message").asText()).contains("incompatible");
        assertThat(client.isCompatible("thing-value", THING_V2_INCOMPATIBLE)).isFalse();
        assertThat(client.isCompatible("thing-value", THING_V2_COMPATIBLE)).isTrue();
        assertThat(client.register("thing-value", THING_V2_COMPATIBLE)).isGreaterThan(client.getId("thing-value", THING_V1));
    }

    @Test
    void any_schema_is_compatible_with_a_subject_that_has_no_versions_yet() throws Exception {
        int errorCode = call("POST", "/compatibility/subjects/new-value/versions/latest", schemaBody(THING_V1), 404)
                .path("error_code").asInt();

        assertThat(errorCode).isEqualTo(40401);
        assertThat(client.isCompatible("new-value", THING_V1)).isTrue();
    }

    @Test
    void an_unknown_id_is_404_with_confluents_schema_not_found_code() throws Exception {
        JsonNode error = call("GET", "/schemas/ids/4242", null, 404);

        // Confluent answers an unknown id with 40403 (schema not found); 40401 means subject not found.
        assertThat(error.path("error_code").asInt()).isEqualTo(40403);
        assertThatThrownBy(() -> client.getSchemaById(4242))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void unknown_subjects_and_versions_have_their_own_codes() throws Exception {
        client.register("thing-value", THING_V1);

        assertThat(call("GET", "/subjects/nothing-value/versions/latest", null, 404).path("error_code").asInt())
                .isEqualTo(40401);
        assertThat(call("GET", "/subjects/thing-value/versions/9", null, 404).path("error_code").asInt())
                .isEqualTo(40402);
        assertThat(call("POST", "/subjects/thing-value", schemaBody(THING_V2_COMPATIBLE), 404).path("error_code").asInt())
                .isEqualTo(40403);
    }

    @Test
    void text_that_is_not_a_schema_is_refused_with_42201() throws Exception {
        JsonNode error = call("POST", "/subjects/thing-value/versions", "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}", 422);

        assertThat(error.path("error_code").asInt()).isEqualTo(42201);
    }

    @Test
    void subjects_versions_and_lookups_answer_like_confluents_registry() throws Exception {
        int id = client.register("thing-value", THING_V1);
        client.register("thing-value", THING_V2_COMPATIBLE);

        assertThat(call("GET", "/subjects", null, 200).toString()).isEqualTo("[\"thing-value\"]");
        assertThat(call("GET", "/subjects/thing-value/versions", null, 200).toString()).isEqualTo("[1,2]");
        JsonNode first = call("GET", "/subjects/thing-value/versions/1", null, 200);
        assertThat(first.path("id").asInt()).isEqualTo(id);
        assertThat(first.path("subject").asText()).isEqualTo("thing-value");
        assertThat(new Schema.Parser().parse(first.path("schema").asText())).isEqualTo(THING_V1);
        assertThat(call("POST", "/subjects/thing-value", schemaBody(THING_V1), 200).path("version").asInt()).isEqualTo(1);
        assertThat(call("GET", "/schemas/ids/" + id, null, 200).path("schema").asText()).isEqualTo(THING_V1.toString());
    }

    @Test
    void compatibility_is_backward_by_default_and_can_be_set_globally_and_per_subject() throws Exception {
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(call("GET", "/config/thing-value", null, 404).path("error_code").asInt()).isEqualTo(40408);
        assertThat(call("GET", "/config/thing-value?defaultToGlobal=true", null, 200).path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");

        client.register("thing-value", THING_V1);
        client.setCompatibility("thing-value", CompatibilityLevel.NONE);

        assertThat(call("GET", "/config/thing-value", null, 200).path("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(client.register("thing-value", THING_V2_INCOMPATIBLE)).isPositive();
        assertThat(call("PUT", "/config", "{\"compatibility\":\"FULL\"}", 200).path("compatibility").asText())
                .isEqualTo("FULL");
        assertThat(call("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}", 422).path("error_code").asInt())
                .isEqualTo(42203);
    }

    @Test
    void a_message_written_before_a_restart_reads_back_after_it() {
        ContractSchemas.registerAll(client);
        client.setCompatibility("thing-value", CompatibilityLevel.FULL);
        RegistrationEvent event = RegistrationEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setPersonRef("ef".repeat(32))
                .setPersonRefKeyVersion(1)
                .setTownshipCode("140521100")
                .setTerminalId("T-1")
                .setOccurredOn(LocalDate.of(2020, 5, 1))
                .setRecordedAt(Instant.parse("2020-05-01T03:00:00Z"))
                .setPayload(new BusinessStarted(BusinessType.AGRICULTURAL_PARK, 100_000_00L, 250_000_00L, 12))
                .build();
        byte[] bytes = SpecificAvroSerde.of(RegistrationEvent.class, client, false, false).serializer()
                .serialize(Topics.REGISTRATIONS.name(), event);

        registry.close();
        startRegistryOn(topic);

        RegistrationEvent read = new SpecificAvroDeserializer<>(RegistrationEvent.class, client)
                .deserialize(Topics.REGISTRATIONS.name(), bytes);
        assertThat(read).isEqualTo(event);
        assertThat(client.subjects()).containsAll(ContractSchemas.subjects().keySet());
        assertThat(call2("/config/thing-value")).isEqualTo("FULL");
    }

    @Test
    void the_prometheus_scrape_shows_the_kafka_producer_that_wrote_the_registration() throws Exception {
        client.register("thing-value", THING_V1);

        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body().lines().filter(line -> line.startsWith("kafka_producer_record_send_total{")))
                .singleElement().satisfies(line -> assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                        .as(line).isGreaterThanOrEqualTo(1.0));
    }

    private String call2(String path) {
        try {
            return call("GET", path, null, 200).path("compatibilityLevel").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
