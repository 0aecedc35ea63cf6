package org.homecoming.schemas.registry;

import org.apache.avro.Schema;

/**
 * A schema registry in memory, with the same rules as the registry server (BACKWARD by default,
 * global ids). For topology tests and tools that need no server.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryState state;

    public InMemorySchemaRegistryClient() {
        this(new SchemaRegistryState(CompatibilityLevel.BACKWARD));
    }

    public InMemorySchemaRegistryClient(SchemaRegistryState state) {
        this.state = state;
    }

    @Override
    public int register(String subject, Schema schema) {
        return state.register(subject, schema, created -> { }).id();
    }

    @Override
    public int getId(String subject, Schema schema) {
        state.versions(subject);
        return state.lookup(subject, schema)
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("under subject '" + subject + "'"))
                .id();
    }

    @Override
    public Schema getSchemaById(int id) {
        return state.schemaById(id);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return state.version(subject, "latest");
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        if (state.subjects().contains(subject)) {
            return state.incompatibility(subject, "latest", schema) == null;
        }
        return true;
    }
}
