package org.homecoming.sink;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.sink.migration.LoadRegionsMigration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Wires the sink: deserializers on the schema registry, the PostgreSQL store, the Spring Kafka listener
 * container with its dead-letter recoverer, its readiness, and the Java migration Spring Boot's Flyway runs
 * beside the SQL ones.
 */
@Configuration(proxyBeanMethods = false)
public class SinkConfiguration {

    @Bean
    SchemaRegistryClient schemaRegistryClient(SinkProperties properties) {
        return new RestSchemaRegistryClient(properties.schemaRegistryUrl());
    }

    @Bean
    Deserializer<Totals> totalsDeserializer(SchemaRegistryClient registry) {
        return new SpecificAvroDeserializer<>(Totals.class, registry);
    }

    @Bean
    Deserializer<RegistrationEvent> eventDeserializer(SchemaRegistryClient registry) {
        return new SpecificAvroDeserializer<>(RegistrationEvent.class, registry);
    }

    @Bean
    PostgresSinkStore postgresSinkStore(DataSource dataSource, SinkProperties properties) {
        return new PostgresSinkStore(dataSource, properties.statementForm());
    }

    @Bean
    DefaultKafkaConsumerFactory<byte[], byte[]> sinkConsumerFactory(SinkProperties properties, MeterRegistry meters) {
        return SinkContainers.consumerFactory(properties, meters);
    }

    @Bean
    DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducerFactory(SinkProperties properties,
                                                                         MeterRegistry meters) {
        return SinkContainers.deadLetterProducerFactory(properties, meters);
    }

    @Bean
    DeadLetterPublishingRecoverer deadLetterRecoverer(DefaultKafkaProducerFactory<byte[], byte[]> producers) {
        return SinkContainers.deadLetterRecoverer(new KafkaTemplate<>(producers));
    }

    @Bean
    SinkListener sinkListener(PostgresSinkStore store, Deserializer<Totals> totalsDeserializer,
                              Deserializer<RegistrationEvent> eventDeserializer,
                              DeadLetterPublishingRecoverer deadLetters, MeterRegistry meters) {
        return new SinkListener(store, totalsDeserializer, eventDeserializer, deadLetters, meters);
    }

    /** Started and stopped with the context; a {@link BatchInterceptor} bean, if any, sees each batch first. */
    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> sinkContainer(
            DefaultKafkaConsumerFactory<byte[], byte[]> consumers, SinkListener listener, SinkProperties properties,
            ObjectProvider<BatchInterceptor<byte[], byte[]>> interceptor) {
        ConcurrentMessageListenerContainer<byte[], byte[]> container = SinkContainers.container(consumers, listener,
                SinkContainers.errorHandler(properties), properties);
        interceptor.ifAvailable(container::setBatchInterceptor);
        return container;
    }

    @Bean
    SinkHealthIndicator sinkHealthIndicator(ConcurrentMessageListenerContainer<byte[], byte[]> sinkContainer) {
        return new SinkHealthIndicator(sinkContainer);
    }

    @Bean
    LoadRegionsMigration loadRegionsMigration() {
        return new LoadRegionsMigration();
    }
}
