package org.homecoming.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.homecoming.schemas.registry.CompatibilityLevel;
import org.homecoming.schemas.registry.RegisteredSchema;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.schemas.registry.SchemaRegistryState;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Confluent Schema Registry REST API, for Avro schemas without references: enough for Confluent's
 * own serializers and tools as well as Homecoming's.
 */
@RestController
public class SchemaRegistryController {

    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    private final KafkaSchemaStore store;
    private final SchemaRegistryState state;

    public SchemaRegistryController(KafkaSchemaStore store) {
        this.store = store;
        this.state = store.state();
    }

    /** Body of a schema registration, lookup or compatibility check. */
    record SchemaRequest(String schema, String schemaType, List<Map<String, Object>> references) {
        Schema avro() {
            if (schemaType != null && !"AVRO".equalsIgnoreCase(schemaType)) {
                throw SchemaRegistryException.invalidSchema("schema type " + schemaType + " is not supported; use AVRO");
            }
            if (references != null && !references.isEmpty()) {
                throw SchemaRegistryException.invalidSchema("schema references are not supported");
            }
            return SchemaRegistryState.parse(schema);
        }
    }

    /** Body of a compatibility change. */
    record ConfigRequest(String compatibility) {
    }

    @GetMapping(path = "/", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> root() {
        return Map.of();
    }

    @GetMapping(path = "/subjects", produces = {MEDIA_TYPE, "application/json"})
    public List<String> subjects() {
        return state.subjects();
    }

    @PostMapping(path = "/subjects/{subject}/versions", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> register(@PathVariable String subject, @RequestBody SchemaRequest request) {
        return Map.of("id", store.register(subject, request.avro()).id());
    }

    @PostMapping(path = "/subjects/{subject}", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> lookup(@PathVariable String subject, @RequestBody SchemaRequest request) {
        Schema schema = request.avro();
        state.versions(subject);
        RegisteredSchema found = state.lookup(subject, schema)
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("under subject '" + subject + "'"));
        return describe(found);
    }

    @GetMapping(path = "/subjects/{subject}/versions", produces = {MEDIA_TYPE, "application/json"})
    public List<Integer> versions(@PathVariable String subject) {
        return state.versions(subject).stream().map(RegisteredSchema::version).toList();
    }

    @GetMapping(path = "/subjects/{subject}/versions/{version}", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> version(@PathVariable String subject, @PathVariable String version) {
        return describe(state.version(subject, version));
    }

    @GetMapping(path = "/subjects/{subject}/versions/{version}/schema", produces = {MEDIA_TYPE, "application/json"})
    public String versionSchema(@PathVariable String subject, @PathVariable String version) {
        return state.version(subject, version).schema().toString();
    }

    @GetMapping(path = "/schemas/ids/{id}", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> schemaById(@PathVariable int id) {
        return Map.of("schema", state.schemaById(id).toString());
    }

    @PostMapping(path = "/compatibility/subjects/{subject}/versions/{version}",
            produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> compatibility(@PathVariable String subject, @PathVariable String version,
                                             @RequestParam(defaultValue = "false") boolean verbose,
                                             @RequestBody SchemaRequest request) {
        String problem = state.incompatibility(subject, version, request.avro());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("is_compatible", problem == null);
        if (verbose) {
            reply.put("messages", problem == null ? List.of() : List.of(problem));
        }
        return reply;
    }

    @GetMapping(path = "/config", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> globalConfig() {
        return Map.of("compatibilityLevel", state.globalLevel().name());
    }

    @PutMapping(path = "/config", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> setGlobalConfig(@RequestBody ConfigRequest request) {
        CompatibilityLevel level = CompatibilityLevel.parse(request.compatibility());
        store.setLevel(null, level);
        return Map.of("compatibility", level.name());
    }

    @GetMapping(path = "/config/{subject}", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> subjectConfig(@PathVariable String subject,
                                             @RequestParam(defaultValue = "false") boolean defaultToGlobal) {
        CompatibilityLevel level = state.subjectLevel(subject)
                .or(() -> defaultToGlobal ? java.util.Optional.of(state.globalLevel()) : java.util.Optional.empty())
                .orElseThrow(() -> new SchemaRegistryException(404,
                        SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                        "Subject '" + subject + "' does not have subject-level compatibility configured"));
        return Map.of("compatibilityLevel", level.name());
    }

    @PutMapping(path = "/config/{subject}", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> setSubjectConfig(@PathVariable String subject, @RequestBody ConfigRequest request) {
        CompatibilityLevel level = CompatibilityLevel.parse(request.compatibility());
        store.setLevel(subject, level);
        return Map.of("compatibility", level.name());
    }

    @DeleteMapping(path = "/config/{subject}", produces = {MEDIA_TYPE, "application/json"})
    public Map<String, Object> deleteSubjectConfig(@PathVariable String subject) {
        Map<String, Object> previous = subjectConfig(subject, false);
        store.clearLevel(subject);
        return previous;
    }

    /** Errors as Confluent's registry reports them: the HTTP status and {@code {error_code, message}}. */
    @ExceptionHandler(SchemaRegistryException.class)
    public ResponseEntity<Map<String, Object>> registryError(SchemaRegistryException e) {
        return ResponseEntity.status(e.httpStatus())
                .header("Content-Type", MEDIA_TYPE)
                .body(errorBody(e.errorCode(), e.getMessage()));
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    public ResponseEntity<Map<String, Object>> unreadable(Exception e) {
        return ResponseEntity.status(422).header("Content-Type", MEDIA_TYPE)
                .body(errorBody(422, "Unprocessable entity: the request body is not valid JSON of the expected shape"));
    }

    private static Map<String, Object> errorBody(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        return body;
    }

    private static Map<String, Object> describe(RegisteredSchema schema) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("subject", schema.subject());
        reply.put("version", schema.version());
        reply.put("id", schema.id());
        reply.put("schema", schema.schema().toString());
        return reply;
    }
}
