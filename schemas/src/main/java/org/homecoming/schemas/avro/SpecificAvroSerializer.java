package org.homecoming.schemas.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;

/**
 * Writes Avro specific records in the Confluent wire format. The subject is {@code <topic>-key} or
 * {@code <topic>-value}. Without {@code auto.register.schemas=true} the schema must already be registered
 * under the subject, as production requires; the id is looked up once per topic and cached.
 *
 * @param <T> the record type
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Class<?>, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();

    static {
        ContractClasses.trust();
    }

    /** For Kafka to instantiate; {@link #configure} supplies the registry. */
    public SpecificAvroSerializer() {
    }

    /** A serializer with its registry and policy given in code; {@link #configure} then only sets key/value. */
    public SpecificAvroSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean key) {
        this.isKey = key;
        if (registry == null) {
            this.registry = new RestSchemaRegistryClient(AvroSerdeConfig.registryUrl(configs));
            this.autoRegister = AvroSerdeConfig.autoRegister(configs);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("Serializer not configured: no schema registry");
        }
        Schema schema = data.getSchema();
        int id = idsByTopic.computeIfAbsent(topic, t -> schemaId(t, schema));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.write(new byte[ConfluentWire.HEADER_SIZE]);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(data.getClass(), type -> writerFor(type, schema)).write(data, encoder);
            encoder.flush();
            byte[] bytes = out.toByteArray();
            ConfluentWire.writeHeader(bytes, id);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " to " + topic, e);
        }
    }

    private int schemaId(String topic, Schema schema) {
        String subject = isKey ? Topics.keySubject(topic) : Topics.valueSubject(topic);
        try {
            return autoRegister ? registry.register(subject, schema) : registry.getId(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Schema " + schema.getFullName() + " not usable for subject '" + subject
                    + "' (error " + e.errorCode() + "): " + e.getMessage(), e);
        }
    }

    private SpecificDatumWriter<T> writerFor(Class<?> type, Schema schema) {
        return new SpecificDatumWriter<>(schema, SpecificData.getForClass(type));
    }
}
