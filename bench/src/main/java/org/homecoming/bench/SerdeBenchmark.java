package org.homecoming.bench;

import java.util.List;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** Confluent-wire Avro encode and decode of a registration event, as the gateway and the topology do it. */
public class SerdeBenchmark extends PerRecordBenchmark {

    private static final String TOPIC = Topics.REGISTRATIONS.name();

    private SpecificAvroSerializer<RegistrationEvent> serializer;
    private SpecificAvroDeserializer<RegistrationEvent> deserializer;
    private List<RegistrationEvent> events;
    private byte[][] encoded;
    private int next;

    @Setup
    public void setUp() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ContractSchemas.registerAll(registry);
        serializer = new SpecificAvroSerializer<>(registry, false);
        serializer.configure(java.util.Map.of(), false);
        deserializer = new SpecificAvroDeserializer<>(RegistrationEvent.class, registry);
        deserializer.configure(java.util.Map.of(), false);
        events = Samples.events(Regions.shanxi());
        encoded = new byte[events.size()][];
        for (int i = 0; i < events.size(); i++) {
            encoded[i] = serializer.serialize(TOPIC, events.get(i));
        }
    }

    @Benchmark
    public byte[] encode() {
        next = (next + 1) & (Samples.SIZE - 1);
        return serializer.serialize(TOPIC, events.get(next));
    }

    @Benchmark
    public RegistrationEvent decode() {
        next = (next + 1) & (Samples.SIZE - 1);
        return deserializer.deserialize(TOPIC, encoded[next]);
    }
}
