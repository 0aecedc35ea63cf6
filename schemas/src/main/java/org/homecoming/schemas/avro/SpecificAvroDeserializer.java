package org.homecoming.schemas.avro;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;

/**
 * Reads Confluent-wire Avro into a specific record class, resolving the writer's schema (by the id in the
 * message) against the class's own schema, so data written with an older compatible schema still reads.
 * Anything that is not a well-formed message of a known schema fails with a {@link SerializationException}.
 *
 * @param <T> the record type
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private Class<T> type;
    private SchemaRegistryClient registry;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    static {
        ContractClasses.trust();
    }

    /** For Kafka to instantiate; {@link #configure} supplies the registry and the record class. */
    public SpecificAvroDeserializer() {
    }

    public SpecificAvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this.type = type;
        this.registry = registry;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new RestSchemaRegistryClient(AvroSerdeConfig.registryUrl(configs));
        }
        if (type == null) {
            Object className = configs.get(isKey ? AvroSerdeConfig.KEY_TYPE : AvroSerdeConfig.VALUE_TYPE);
            if (className == null) {
                throw new IllegalArgumentException("Set " + (isKey ? AvroSerdeConfig.KEY_TYPE : AvroSerdeConfig.VALUE_TYPE));
            }
            try {
                type = (Class<T>) Class.forName(className.toString());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("Unknown record class " + className, e);
            }
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = ConfluentWire.schemaId(data);
        SpecificDatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(id, this::readerFor);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Unknown schema id " + id + " (error " + e.errorCode() + ")", e);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWire.HEADER_SIZE,
                    data.length - ConfluentWire.HEADER_SIZE, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Trailing bytes after the record with schema id " + id);
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Cannot read a " + type.getSimpleName() + " with schema id " + id
                    + " from " + topic, e);
        }
    }

    private SpecificDatumReader<T> readerFor(int id) {
        Schema writer = registry.getSchemaById(id);
        Schema reader = SpecificData.get().getSchema(type);
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForClass(type));
    }
}
