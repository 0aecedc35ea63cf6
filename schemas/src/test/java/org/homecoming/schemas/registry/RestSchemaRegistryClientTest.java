package org.homecoming.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client against stubbed registries: Confluent's exact replies, and those of servers that speak the
 * same API without Confluent's error codes.
 */
class RestSchemaRegistryClientTest {

    private static final Schema THING = SchemaRegistryState.parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"}]}""");
    private static final String REGISTER = "POST /subjects/thing-value/versions";
    private static final String CHECK = "POST /compatibility/subjects/thing-value/versions/latest";

    private record Reply(int status, String contentType, String body) {
    }

    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = new RestSchemaRegistryClient("http://localhost:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        requests.add(request + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
        exchange.getRequestBody().readAllBytes();
        Reply reply = replies.getOrDefault(request,
                new Reply(404, RestSchemaRegistryClient.CONTENT_TYPE, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void stub(String request, int status, String body) {
        replies.put(request, new Reply(status, RestSchemaRegistryClient.CONTENT_TYPE, body));
    }

    private static SchemaRegistryException failureOf(ThrowingCallable call) {
        SchemaRegistryException failure = catchThrowableOfType(SchemaRegistryException.class, call);
        assertThat(failure).as("a SchemaRegistryException").isNotNull();
        return failure;
    }

    @Test
    void confluents_409_refusal_is_an_incompatible_schema_error() {
        stub(REGISTER, 409, """
                {"error_code":409,"message":"Schema being registered is incompatible with an earlier schema"}""");

        SchemaRegistryException refused = failureOf(() -> client.register("thing-value", THING));

        assertThat(refused.httpStatus()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(refused.getMessage()).contains("incompatible with an earlier schema");
    }

    @Test
    void a_409_refusal_with_error_code_zero_is_the_same_incompatible_schema_error() {
        stub(REGISTER, 409, """
                {"error_code":0,"message":"schema is not backward compatible"}""");

        SchemaRegistryException refused = failureOf(() -> client.register("thing-value", THING));

        assertThat(refused.httpStatus()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(refused.getMessage()).contains("schema is not backward compatible");
    }

    @Test
    void a_409_refusal_without_error_code_or_without_any_body_is_the_same_incompatible_schema_error() {
        stub(REGISTER, 409, "{\"message\":\"conflict\"}");
        SchemaRegistryException withoutCode = failureOf(() -> client.register("thing-value", THING));
        stub(REGISTER, 409, "");
        SchemaRegistryException withoutBody = failureOf(() -> client.register("thing-value", THING));

        assertThat(withoutCode.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(withoutBody.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(withoutBody.getMessage()).endsWith("HTTP 409");
    }

    @Test
    void confluents_own_error_codes_are_kept_rather_than_replaced_by_the_status() {
        stub(REGISTER, 422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
        stub("GET /schemas/ids/42", 404, "{\"error_code\":40403,\"message\":\"Schema 42 not found\"}");
        stub("GET /subjects/thing-value/versions/latest", 404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");

        assertThat(failureOf(() -> client.register("thing-value", THING)).errorCode())
                .isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
        assertThat(failureOf(() -> client.getSchemaById(42)).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThat(failureOf(() -> client.getLatest("thing-value")).errorCode())
                .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
    }

    @Test
    void an_error_page_that_is_not_json_reports_its_status_instead_of_an_unreachable_registry() {
        replies.put(REGISTER, new Reply(502, "text/html", "<html><body>Bad Gateway</body></html>"));

        SchemaRegistryException failure = failureOf(() -> client.register("thing-value", THING));

        assertThat(failure.httpStatus()).isEqualTo(502);
        assertThat(failure.errorCode()).isEqualTo(502);
    }

    @Test
    void a_compatibility_check_on_a_subject_confluent_does_not_know_is_compatible() {
        stub(CHECK, 404, "{\"error_code\":40401,\"message\":\"Subject 'thing-value' not found.\"}");

        assertThat(client.isCompatible("thing-value", THING)).isTrue();
        assertThat(requests).containsExactly(CHECK + " " + RestSchemaRegistryClient.CONTENT_TYPE);
    }

    @Test
    void a_compatibility_check_answered_version_not_found_for_a_subject_without_versions_is_compatible() {
        stub(CHECK, 404, "{\"error_code\":40402,\"message\":\"Version latest not found.\"}");

        assertThat(client.isCompatible("thing-value", THING)).isTrue();
    }

    @Test
    void a_compatibility_check_answers_what_the_registry_decided() {
        stub(CHECK, 200, "{\"is_compatible\":false}");
        boolean refused = client.isCompatible("thing-value", THING);
        stub(CHECK, 200, "{\"is_compatible\":true}");
        boolean accepted = client.isCompatible("thing-value", THING);

        assertThat(refused).isFalse();
        assertThat(accepted).isTrue();
    }

    @Test
    void a_compatibility_check_that_fails_otherwise_is_not_taken_as_compatible() {
        stub(CHECK, 422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
        SchemaRegistryException invalid = failureOf(() -> client.isCompatible("thing-value", THING));
        // A bare 404 may as well be a wrong base URL as a missing subject: it is not read as "no versions yet".
        stub(CHECK, 404, "");
        SchemaRegistryException bare404 = failureOf(() -> client.isCompatible("thing-value", THING));

        assertThat(invalid.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
        assertThat(bare404.errorCode()).isEqualTo(404);
    }

    @Test
    void a_registration_returns_the_id_and_asks_the_registry_once_for_the_same_schema() {
        stub(REGISTER, 200, "{\"id\":7}");

        assertThat(client.register("thing-value", THING)).isEqualTo(7);
        assertThat(client.register("thing-value", THING)).isEqualTo(7);
        assertThat(requests).containsExactly(REGISTER + " " + RestSchemaRegistryClient.CONTENT_TYPE);
    }

    @Test
    void an_unreachable_registry_is_a_503_store_error() {
        server.stop(0);

        assertThatThrownBy(() -> client.getSchemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.STORE_ERROR);
                });
    }
}
