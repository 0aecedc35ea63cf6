package org.homecoming.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The registry's state: subjects and their versions, ids, compatibility settings. Ids are global and
 * stable: the same schema text (after parsing) gets the same id under every subject, as in Confluent's
 * registry. Every change passes through a persist callback before it is applied, so a store that fails
 * to persist leaves the state unchanged. Thread-safe.
 */
public final class SchemaRegistryState {

    private final CompatibilityLevel defaultLevel;
    private final Map<String, List<RegisteredSchema>> subjects = new TreeMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int nextId = 1;

    public SchemaRegistryState(CompatibilityLevel defaultLevel) {
        this.defaultLevel = defaultLevel;
        this.globalLevel = defaultLevel;
    }

    /** Parses schema text the way the registry does, or fails with error 42201. */
    public static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw SchemaRegistryException.invalidSchema("empty schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException | NullPointerException e) {
            throw SchemaRegistryException.invalidSchema(e.getMessage());
        }
    }

    /**
     * Registers a schema under a subject, or returns the version already holding it.
     *
     * @param persist called with a new version before it becomes visible; an exception aborts the change
     */
    public synchronized RegisteredSchema register(String subject, Schema schema, Consumer<RegisteredSchema> persist) {
        Optional<RegisteredSchema> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
        String problem = levelOf(subject).incompatibility(schema, newestFirst(versions));
        if (problem != null) {
            throw SchemaRegistryException.incompatible(subject, problem);
        }
        Integer id = idsByCanonical.get(schema.toString());
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        RegisteredSchema created = new RegisteredSchema(subject, version, id == null ? nextId : id, schema);
        persist.accept(created);
        restore(created);
        return created;
    }

    /** Applies a version read back from the store, without checks. */
    public synchronized void restore(RegisteredSchema registered) {
        List<RegisteredSchema> versions = subjects.computeIfAbsent(registered.subject(), s -> new ArrayList<>());
        if (versions.stream().anyMatch(v -> v.version() == registered.version())) {
            return;
        }
        versions.add(registered);
        versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
        schemasById.putIfAbsent(registered.id(), registered.schema());
        idsByCanonical.putIfAbsent(registered.schema().toString(), registered.id());
        nextId = Math.max(nextId, registered.id() + 1);
    }

    /** The version of a subject holding this schema, if any. */
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        String canonical = schema.toString();
        return subjects.getOrDefault(subject, List.of()).stream()
                .filter(v -> v.schema().toString().equals(canonical))
                .findFirst();
    }

    /** The schema with this id, or error 40403. */
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw SchemaRegistryException.schemaNotFound("id " + id);
        }
        return schema;
    }

    /** All subject names, sorted. */
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    /** The versions of a subject, oldest first, or error 40401. */
    public synchronized List<RegisteredSchema> versions(String subject) {
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return List.copyOf(versions);
    }

    /** One version of a subject: a number, or {@code latest} (also {@code -1}). */
    public synchronized RegisteredSchema version(String subject, String version) {
        List<RegisteredSchema> versions = versions(subject);
        if ("latest".equals(version) || "-1".equals(version)) {
            return versions.get(versions.size() - 1);
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION,
                    "The specified version '" + version + "' is not a valid version id. "
                            + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        if (number < 1) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION,
                    "The specified version '" + version + "' is not a valid version id.");
        }
        return versions.stream().filter(v -> v.version() == number).findFirst()
                .orElseThrow(() -> SchemaRegistryException.versionNotFound(subject, version));
    }

    /**
     * Whether the schema is compatible with the given version of the subject (or, for {@code latest},
     * with what the subject's level checks against), without registering it.
     */
    public synchronized String incompatibility(String subject, String version, Schema schema) {
        List<RegisteredSchema> versions = versions(subject);
        CompatibilityLevel level = levelOf(subject);
        if ("latest".equals(version) || "-1".equals(version)) {
            return level.incompatibility(schema, newestFirst(versions));
        }
        return level.incompatibility(schema, List.of(version(subject, version).schema()));
    }

    /** The global compatibility level. */
    public synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    /** The subject's own level, if one is set. */
    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The level a registration under this subject is checked at. */
    public synchronized CompatibilityLevel levelOf(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    /**
     * Sets the global level ({@code subject == null}) or a subject's level.
     *
     * @param persist called before the change becomes visible; an exception aborts it
     */
    public synchronized void setLevel(String subject, CompatibilityLevel level, Runnable persist) {
        persist.run();
        restoreLevel(subject, level);
    }

    /** Applies a level read back from the store; {@code null} level clears it (global: back to default). */
    public synchronized void restoreLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level == null ? defaultLevel : level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
        }
    }

    private static List<Schema> newestFirst(List<RegisteredSchema> versions) {
        List<Schema> schemas = new ArrayList<>(versions.size());
        for (int i = versions.size() - 1; i >= 0; i--) {
            schemas.add(versions.get(i).schema());
        }
        return schemas;
    }
}
