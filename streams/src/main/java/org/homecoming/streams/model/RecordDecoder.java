package org.homecoming.streams.model;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.errors.SerializationException;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.avro.ConfluentWire;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;

/**
 * Turns a record of the registrations topic into what the reference model takes, with the counting application's
 * verdict on its bytes (docs/counting-rules.md, "Validation"): bytes that are not Confluent-wire Avro of a schema the
 * registry knows are poison; a registry that fails in any other way is no verdict on the record, so it fails the
 * caller, as it fails the stream task.
 */
public final class RecordDecoder {

    private final SpecificAvroDeserializer<RegistrationEvent> deserializer;
    // Poison at volume often carries one made-up schema id; the registry says "not found" once for it.
    private final Set<Integer> unknownIds = ConcurrentHashMap.newKeySet();

    public RecordDecoder(SchemaRegistryClient registry) {
        this.deserializer = new SpecificAvroDeserializer<>(RegistrationEvent.class, registry);
    }

    /**
     * The record as the model takes it: the event, or the raw bytes when they are not one.
     *
     * @throws SchemaRegistryException when the registry cannot say whether the record's schema exists
     */
    public SentRecord decode(String topic, byte[] key, byte[] value, long timestamp) {
        RegistrationEvent event = value == null ? null : event(topic, value);
        return new SentRecord(key, event, event == null ? value : null, Instant.ofEpochMilli(timestamp));
    }

    private RegistrationEvent event(String topic, byte[] value) {
        Integer id = null;
        try {
            id = ConfluentWire.schemaId(value);
            if (unknownIds.contains(id)) {
                return null;
            }
            return deserializer.deserialize(topic, value);
        } catch (SerializationException | AvroRuntimeException e) {
            if (e.getCause() instanceof SchemaRegistryException registry) {
                if (registry.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
                    throw registry;
                }
                unknownIds.add(id);
            }
            return null;
        }
    }
}
