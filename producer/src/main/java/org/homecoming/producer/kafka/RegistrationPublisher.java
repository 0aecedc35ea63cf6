package org.homecoming.producer.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;

/**
 * Writes registration events to the registrations topic, keyed by personRef, with {@code acks=all} and
 * an idempotent producer: an acknowledged event is on every in-sync replica and never written twice by
 * a retry.
 */
public final class RegistrationPublisher implements AutoCloseable {

    private final Producer<String, RegistrationEvent> producer;
    private final String topic;

    public RegistrationPublisher(Producer<String, RegistrationEvent> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * The producer settings of every publisher, before overrides; public so a load generator that sends
     * pre-serialised bytes can produce exactly as the gateway does.
     */
    public static Map<String, Object> settings(String bootstrapServers) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    /** A publisher with its own producer. */
    public static RegistrationPublisher create(String bootstrapServers, Serializer<RegistrationEvent> valueSerializer,
                                              Map<String, Object> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(settings(bootstrapServers));
        config.putAll(overrides);
        return new RegistrationPublisher(new KafkaProducer<>(config, new StringSerializer(), valueSerializer),
                Topics.REGISTRATIONS.name());
    }

    /** Sends an event; the future completes when the broker acknowledged it. */
    public CompletableFuture<RecordMetadata> publish(RegistrationEvent event) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, event.getPersonRef(), event), (metadata, error) -> {
            if (error != null) {
                acknowledged.completeExceptionally(error);
            } else {
                acknowledged.complete(metadata);
            }
        });
        return acknowledged;
    }

    /** Sends everything buffered and waits for the acknowledgements. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
