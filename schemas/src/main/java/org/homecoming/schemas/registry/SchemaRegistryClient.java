package org.homecoming.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API the serdes and the tools use. Implementations cache
 * what never changes (an id's schema, a subject-schema pair's id) and are safe for concurrent use.
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it already there) and returns its id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under the subject; never registers. */
    int getId(String subject, Schema schema);

    /** The schema with this id. */
    Schema getSchemaById(int id);

    /** The newest version under the subject. */
    RegisteredSchema getLatest(String subject);

    /** Whether the schema could be registered under the subject at its configured compatibility level. */
    boolean isCompatible(String subject, Schema schema);
}
