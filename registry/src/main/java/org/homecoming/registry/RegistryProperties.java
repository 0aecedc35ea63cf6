package org.homecoming.registry;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.homecoming.schemas.registry.CompatibilityLevel;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the registry service ({@code homecoming.registry.*}).
 *
 * @param bootstrapServers     Kafka bootstrap servers holding the schemas topic
 * @param topic                the compacted topic holding the registry's state
 * @param replicationFactor    replication factor of the schemas topic when the registry creates it
 * @param defaultCompatibility compatibility level until one is set through the API
 * @param timeout              how long a start-up read or a write to Kafka may take
 * @param kafkaSecurity        how the registry's store authenticates to Kafka (PLAINTEXT when absent)
 */
@Validated
@ConfigurationProperties("homecoming.registry")
public record RegistryProperties(
        @NotBlank String bootstrapServers,
        @NotBlank @DefaultValue(Topics.SCHEMAS_TOPIC_NAME) String topic,
        @Min(1) @DefaultValue("1") short replicationFactor,
        @NotNull @DefaultValue("BACKWARD") CompatibilityLevel defaultCompatibility,
        @NotNull @DefaultValue("30s") Duration timeout,
        KafkaClientSecurity kafkaSecurity) {

    public RegistryProperties {
        kafkaSecurity = KafkaClientSecurity.orNone(kafkaSecurity);
    }
}
