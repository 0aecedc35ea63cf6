package org.homecoming.producer.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Writes registration events to the registrations topic, keyed by personRef, with {@code acks=all} and
 * an idempotent producer: an acknowledged event is on every in-sync replica and never written twice by
 * a retry. The gateway builds its {@link KafkaTemplate} from {@link #producerFactory}; this class is the
 * same template for code that runs outside a Spring context (the simulator, the demo, tests).
 */
public final class RegistrationPublisher implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final DefaultKafkaProducerFactory<String, RegistrationEvent> factory;
    private final KafkaTemplate<String, RegistrationEvent> template;

    private RegistrationPublisher(DefaultKafkaProducerFactory<String, RegistrationEvent> factory) {
        this.factory = factory;
        this.template = new KafkaTemplate<>(factory);
        // Outside a Spring context there is no meter registry for the template's timer.
        this.template.setMicrometerEnabled(false);
    }

    /**
     * The producer settings of every registrations producer, before overrides; public so a load generator
     * that sends pre-serialised bytes can produce exactly as the gateway does.
     */
    public static Map<String, Object> settings(String bootstrapServers) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    /** The producer factory of the registrations topic: {@link #settings} with the overrides on top. */
    public static DefaultKafkaProducerFactory<String, RegistrationEvent> producerFactory(String bootstrapServers,
            Serializer<RegistrationEvent> valueSerializer, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(settings(bootstrapServers));
        config.putAll(overrides);
        DefaultKafkaProducerFactory<String, RegistrationEvent> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), valueSerializer);
        factory.setPhysicalCloseTimeout((int) CLOSE_TIMEOUT.toSeconds());
        return factory;
    }

    /** A publisher with its own producer. */
    public static RegistrationPublisher create(String bootstrapServers, Serializer<RegistrationEvent> valueSerializer,
                                              Map<String, Object> overrides) {
        return new RegistrationPublisher(producerFactory(bootstrapServers, valueSerializer, overrides));
    }

    /**
     * Sends an event; the future completes when the broker acknowledged it, and fails, never throws,
     * when it cannot be sent.
     */
    public CompletableFuture<RecordMetadata> publish(RegistrationEvent event) {
        try {
            return send(template, event).thenApply(SendResult::getRecordMetadata);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sends an event through a template to the registrations topic, keyed by its personRef. Throws when
     * the producer fails at once (no metadata or buffer space within {@code max.block.ms}).
     */
    public static CompletableFuture<SendResult<String, RegistrationEvent>> send(
            KafkaOperations<String, RegistrationEvent> template, RegistrationEvent event) {
        return template.send(Topics.REGISTRATIONS.name(), event.getPersonRef(), event);
    }

    /** Sends everything buffered and waits for the acknowledgements. */
    public void flush() {
        template.flush();
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
