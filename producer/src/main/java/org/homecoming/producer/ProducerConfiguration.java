package org.homecoming.producer;

import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.gateway.GatewayRecords;
import org.homecoming.producer.gateway.IntakeService;
import org.homecoming.producer.gateway.RecordParser;
import org.homecoming.producer.gateway.TerminalAuthentication;
import org.homecoming.producer.gateway.Terminals;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.schemas.rules.EventRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Wires the gateway: the Kafka template, pseudonymizer, validation, terminals, metrics.
 */
@Configuration(proxyBeanMethods = false)
public class ProducerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerConfiguration.class);

    @Bean
    SchemaRegistryClient schemaRegistryClient(ProducerProperties properties) {
        return new RestSchemaRegistryClient(properties.schemaRegistryUrl());
    }

    @Bean
    Pseudonymizer pseudonymizer(ProducerProperties properties) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(properties.personKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("homecoming.producer.person-key (HOMECOMING_PERSON_KEY) is not base64");
        }
        return new Pseudonymizer(key, properties.personKeyVersion());
    }

    /** The one producer of the gateway, shared by every request; Spring closes it with the context. */
    @Bean
    ProducerFactory<String, RegistrationEvent> registrationProducerFactory(ProducerProperties properties,
                                                                           SchemaRegistryClient registry,
                                                                           MeterRegistry meters) {
        DefaultKafkaProducerFactory<String, RegistrationEvent> factory = RegistrationPublisher.producerFactory(
                properties.bootstrapServers(), new SpecificAvroSerializer<RegistrationEvent>(registry, false),
                publisherOverrides(properties));
        factory.addListener(new MicrometerProducerListener<>(meters));
        return factory;
    }

    @Bean
    KafkaTemplate<String, RegistrationEvent> registrationTemplate(ProducerFactory<String, RegistrationEvent> factory) {
        return new KafkaTemplate<>(factory);
    }

    @Bean
    GatewayRecords gatewayRecords(MeterRegistry meters) {
        return new GatewayRecords(meters);
    }

    /**
     * Bounds every wait inside the producer so a missing broker turns into a 503, not a hung request. Snappy
     * rather than lz4: a terminal waits for its acknowledgement, so the gateway's batches hold a few records,
     * and lz4 allocates a 64 KiB block for every batch (40 % of all the gateway allocated) where snappy-java
     * recycles its buffers; same CPU, 40 % fewer collections (docs/tuning.md, change 26).
     */
    static Map<String, Object> publisherOverrides(ProducerProperties properties) {
        long delivery = properties.deliveryTimeout().toMillis();
        Map<String, Object> overrides = new HashMap<>(Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, delivery - 500),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.maxBlock().toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy"));
        return properties.kafkaSecurity().applyTo(overrides);
    }

    @Bean
    Terminals terminals(ProducerProperties properties) {
        Terminals terminals = new Terminals(properties.terminals(), Regions.shanxi());
        if (terminals.size() == 0) {
            LOG.warn("No terminals are configured (homecoming.producer.terminals): every intake request gets 401");
        }
        return terminals;
    }

    @Bean
    IntakeService intakeService(Pseudonymizer pseudonymizer, Terminals terminals,
                                KafkaTemplate<String, RegistrationEvent> registrationTemplate, GatewayRecords counted,
                                ProducerProperties properties) {
        RecordParser parser = new RecordParser(pseudonymizer, new EventRules(Regions.shanxi()), Clock.systemUTC());
        return new IntakeService(parser, terminals, registrationTemplate, counted,
                properties.deliveryTimeout().plusSeconds(1), properties.retryAfter());
    }

    @Bean
    WebMvcConfigurer terminalAuthentication(Terminals terminals, GatewayRecords counted) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new TerminalAuthentication(terminals, counted)).addPathPatterns("/api/v1/registrations*");
            }
        };
    }
}
