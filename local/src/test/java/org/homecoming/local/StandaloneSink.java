package org.homecoming.local;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.sink.PostgresSinkStore;
import org.homecoming.sink.SinkContainers;
import org.homecoming.sink.SinkListener;
import org.homecoming.sink.SinkProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The sink's listener container without a Spring context, wired as {@code SinkConfiguration} wires it: for tests
 * that restart it often or look at its meters.
 */
final class StandaloneSink implements AutoCloseable {

    private final ConcurrentMessageListenerContainer<byte[], byte[]> container;
    private final DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducers;

    private StandaloneSink(ConcurrentMessageListenerContainer<byte[], byte[]> container,
                           DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducers) {
        this.container = container;
        this.deadLetterProducers = deadLetterProducers;
    }

    static StandaloneSink start(SinkProperties properties, DataSource dataSource, MeterRegistry meters) {
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(properties.schemaRegistryUrl());
        DefaultKafkaProducerFactory<byte[], byte[]> producers =
                SinkContainers.deadLetterProducerFactory(properties, meters);
        SinkListener listener = new SinkListener(new PostgresSinkStore(dataSource, properties.statementForm()),
                new SpecificAvroDeserializer<>(Totals.class, registry),
                new SpecificAvroDeserializer<>(RegistrationEvent.class, registry),
                SinkContainers.deadLetterRecoverer(new KafkaTemplate<>(producers)), meters);
        ConcurrentMessageListenerContainer<byte[], byte[]> container = SinkContainers.container(
                SinkContainers.consumerFactory(properties, meters), listener, SinkContainers.errorHandler(properties),
                properties);
        container.start();
        return new StandaloneSink(container, producers);
    }

    @Override
    public void close() {
        container.stop();
        deadLetterProducers.destroy();
    }
}
