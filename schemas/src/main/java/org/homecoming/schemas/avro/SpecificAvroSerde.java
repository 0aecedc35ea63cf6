package org.homecoming.schemas.avro;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.schemas.registry.SchemaRegistryClient;

/**
 * Serializer and deserializer of one specific record type in the Confluent wire format.
 *
 * @param <T> the record type
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister) {
        this.serializer = new SpecificAvroSerializer<>(registry, autoRegister);
        this.deserializer = new SpecificAvroDeserializer<>(type, registry);
    }

    /** A serde for keys or values, ready to use without {@link #configure}. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> of(Class<T> type, SchemaRegistryClient registry,
                                                                     boolean autoRegister, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, registry, autoRegister);
        serde.configure(Map.of(), isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
