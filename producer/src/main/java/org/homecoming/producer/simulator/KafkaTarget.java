package org.homecoming.producer.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;

/**
 * Sends straight to the registrations topic with the gateway's producer guarantees (acks=all, idempotent)
 * but batched for load: large batches, a longer linger, lz4.
 */
public final class KafkaTarget implements SimulationTarget {

    private final RegistrationPublisher publisher;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private long sent;

    public KafkaTarget(String bootstrapServers, String schemaRegistryUrl) {
        this(bootstrapServers, schemaRegistryUrl, KafkaClientSecurity.NONE);
    }

    /** As {@link #KafkaTarget(String, String)}, authenticating as {@code security} says (the gateway's principal). */
    public KafkaTarget(String bootstrapServers, String schemaRegistryUrl, KafkaClientSecurity security) {
        this.publisher = RegistrationPublisher.create(bootstrapServers,
                new SpecificAvroSerializer<RegistrationEvent>(new RestSchemaRegistryClient(schemaRegistryUrl), false),
                security.applyTo(new HashMap<>(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                        ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                        ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024))));
    }

    @Override
    public void send(ProvinceYearSimulation.SimulatedRecord record) {
        sent++;
        publisher.publish(record.event()).whenComplete((metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public Delivery finish() {
        publisher.flush();
        return new Delivery(sent, acknowledged.get(), 0, failed.get());
    }

    /** The first send error, if any. */
    public Throwable firstFailure() {
        return firstFailure.get();
    }

    @Override
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public void close() {
        publisher.close();
    }
}
