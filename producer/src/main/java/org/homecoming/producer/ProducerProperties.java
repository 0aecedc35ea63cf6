package org.homecoming.producer;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the intake gateway ({@code homecoming.producer.*}).
 *
 * @param bootstrapServers  Kafka bootstrap servers
 * @param schemaRegistryUrl schema registry base URL(s)
 * @param personKey         the HMAC key of personRef, base64 (at least 32 bytes); held outside Kafka and PostgreSQL
 * @param personKeyVersion  version of that key, written beside every personRef
 */
@Validated
@ConfigurationProperties("homecoming.producer")
public record ProducerProperties(
        @NotBlank String bootstrapServers,
        @NotBlank String schemaRegistryUrl,
        @NotBlank String personKey,
        @Min(1) @DefaultValue("1") int personKeyVersion) {
}
