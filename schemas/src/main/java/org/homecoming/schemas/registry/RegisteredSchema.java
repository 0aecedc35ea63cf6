package org.homecoming.schemas.registry;

import org.apache.avro.Schema;

/**
 * A schema as registered under a subject.
 *
 * @param subject subject name
 * @param version version under the subject, from 1
 * @param id      registry-wide id, the one written into each message
 * @param schema  the Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
