package org.homecoming.producer;

import java.util.Base64;
import java.util.Map;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the gateway's producer and pseudonymizer.
 */
@Configuration(proxyBeanMethods = false)
public class ProducerConfiguration {

    @Bean
    SchemaRegistryClient schemaRegistryClient(ProducerProperties properties) {
        return new RestSchemaRegistryClient(properties.schemaRegistryUrl());
    }

    @Bean
    Pseudonymizer pseudonymizer(ProducerProperties properties) {
        return new Pseudonymizer(Base64.getDecoder().decode(properties.personKey()), properties.personKeyVersion());
    }

    @Bean(destroyMethod = "close")
    RegistrationPublisher registrationPublisher(ProducerProperties properties, SchemaRegistryClient registry) {
        return RegistrationPublisher.create(properties.bootstrapServers(),
                new SpecificAvroSerializer<RegistrationEvent>(registry, false), Map.of());
    }
}
