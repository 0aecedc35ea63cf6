package org.homecoming.sink;

import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.events.Totals;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the sink's deserializers to the schema registry.
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
}
