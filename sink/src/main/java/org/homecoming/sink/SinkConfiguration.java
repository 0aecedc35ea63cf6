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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the sink: deserializers on the schema registry, the PostgreSQL store, the worker, and the Java
 * migration Spring Boot's Flyway runs beside the SQL ones.
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
    SinkWorker sinkWorker(SinkProperties properties, PostgresSinkStore store, Deserializer<Totals> totalsDeserializer,
                          Deserializer<RegistrationEvent> eventDeserializer, MeterRegistry meters) {
        return new SinkWorker(properties, store, totalsDeserializer, eventDeserializer, meters);
    }

    @Bean
    LoadRegionsMigration loadRegionsMigration() {
        return new LoadRegionsMigration();
    }
}
