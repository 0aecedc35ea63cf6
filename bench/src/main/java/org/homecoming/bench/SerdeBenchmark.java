package org.homecoming.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Confluent-wire Avro encode and decode of a registration event, as the gateway and the topology do it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerdeBenchmark {

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
