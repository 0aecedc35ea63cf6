package org.homecoming.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (Homecoming's registry or Confluent's own).
 * An id's schema and a subject-schema pair's id never change, so both are cached for the life of the
 * client; "latest" is always asked afresh. With several URLs the next is tried when one cannot be reached.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** Media type of the registry API. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUris;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    /** A client of the registry at these comma-separated base URLs. */
    public RestSchemaRegistryClient(String urls) {
        this(urls, Duration.ofSeconds(10));
    }

    public RestSchemaRegistryClient(String urls, Duration timeout) {
        if (urls == null || urls.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is required");
        }
        List<URI> uris = new ArrayList<>();
        for (String url : urls.split(",")) {
            String trimmed = url.trim();
            uris.add(URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed));
        }
        this.baseUris = List.copyOf(uris);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = reply.path("id").asInt();
        remember(subject, schema, id);
        return id;
    }

    @Override
    public int getId(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        int id = reply.path("id").asInt();
        remember(subject, schema, id);
        return id;
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("GET", "/schemas/ids/" + id, null);
        Schema schema = new Schema.Parser().parse(reply.path("schema").asText());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        JsonNode reply = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        Schema schema = new Schema.Parser().parse(reply.path("schema").asText());
        int id = reply.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(reply.path("subject").asText(subject), reply.path("version").asInt(), id, schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode reply = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema));
            return reply.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            // Nothing to be incompatible with. Confluent's registry says "subject not found"; others that speak
            // its API say "version not found" for a subject that has no versions yet.
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    /** All subjects. */
    public List<String> subjects() {
        JsonNode reply = send("GET", "/subjects", null);
        List<String> subjects = new ArrayList<>();
        reply.forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    /** The global compatibility level. */
    public CompatibilityLevel globalCompatibility() {
        return CompatibilityLevel.parse(send("GET", "/config", null).path("compatibilityLevel").asText());
    }

    /** Sets a subject's compatibility level. */
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config/" + encode(subject), body.toString());
    }

    private Integer cachedId(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private void remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        IOException lastFailure = null;
        for (URI base : baseUris) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(timeout)
                    .header("Accept", CONTENT_TYPE + ", application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            }
            try {
                HttpResponse<String> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return parse(response, method, path);
            } catch (IOException e) {
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(503, SchemaRegistryException.STORE_ERROR,
                        "Interrupted while calling the schema registry", e);
            }
        }
        throw new SchemaRegistryException(503, SchemaRegistryException.STORE_ERROR,
                "Schema registry unreachable at " + baseUris + ": " + lastFailure, lastFailure);
    }

    private static JsonNode parse(HttpResponse<String> response, String method, String path) throws IOException {
        if (response.statusCode() / 100 == 2) {
            return response.body() == null || response.body().isBlank()
                    ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
        JsonNode json = errorBody(response.body());
        int errorCode = json.path("error_code").asInt(0);
        if (errorCode == 0) {
            // Servers that speak the API without Confluent's codes (or a proxy in front) still mean the status:
            // a 409 without a code is the refusal Confluent reports as 409/409, an incompatible schema.
            errorCode = response.statusCode();
        }
        String message = json.path("message").asText("HTTP " + response.statusCode());
        throw new SchemaRegistryException(response.statusCode(), errorCode, method + " " + path + ": " + message);
    }

    /** An error reply's JSON; a body that is not JSON (an HTML page from a proxy) has no code or message. */
    private static JsonNode errorBody(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException notJson) {
            return JSON.createObjectNode();
        }
    }
}
