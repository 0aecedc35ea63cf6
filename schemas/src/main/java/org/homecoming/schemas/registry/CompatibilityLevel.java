package org.homecoming.schemas.registry;

import java.util.List;
import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The Confluent compatibility levels, decided with Avro's own {@link SchemaCompatibility}.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Parses a level name as sent in the REST API, case-insensitively. */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // fall through to the registry's own error
            }
        }
        throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                "Invalid compatibility level: " + name);
    }

    /**
     * Why the candidate is incompatible with the earlier schemas of a subject, or {@code null} when it is
     * compatible.
     *
     * @param candidate    the schema being registered
     * @param newestFirst  the subject's earlier schemas, newest first
     */
    public String incompatibility(Schema candidate, List<Schema> newestFirst) {
        List<Schema> against = transitive ? newestFirst : newestFirst.stream().limit(1).toList();
        for (Schema earlier : against) {
            if (backward) {
                // the new schema must read data written with the earlier one
                String problem = check(candidate, earlier);
                if (problem != null) {
                    return "BACKWARD: " + problem;
                }
            }
            if (forward) {
                String problem = check(earlier, candidate);
                if (problem != null) {
                    return "FORWARD: " + problem;
                }
            }
        }
        return null;
    }

    private static String check(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .reduce((a, b) -> a + "; " + b)
                .orElse(result.getDescription());
    }
}
