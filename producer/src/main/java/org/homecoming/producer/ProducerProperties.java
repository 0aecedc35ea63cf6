package org.homecoming.producer;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
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
 * @param deliveryTimeout   longest wait for the broker's acknowledgement of a record before answering 503
 * @param maxBlock          longest wait for broker metadata or buffer space inside {@code send}
 * @param retryAfter        what a 503 asks the terminal to wait before resending
 * @param terminals         the terminals allowed to post, with their token hashes and townships
 * @param kafkaSecurity     how the gateway authenticates to Kafka (PLAINTEXT when absent)
 */
@Validated
@ConfigurationProperties("homecoming.producer")
public record ProducerProperties(
        @NotBlank String bootstrapServers,
        @NotBlank String schemaRegistryUrl,
        @NotBlank String personKey,
        @Min(1) @DefaultValue("1") int personKeyVersion,
        @NotNull @DefaultValue("10s") Duration deliveryTimeout,
        @NotNull @DefaultValue("5s") Duration maxBlock,
        @NotNull @DefaultValue("5s") Duration retryAfter,
        @Valid @DefaultValue List<Terminal> terminals,
        KafkaClientSecurity kafkaSecurity) {

    public ProducerProperties {
        kafkaSecurity = KafkaClientSecurity.orNone(kafkaSecurity);
    }

    /**
     * One terminal.
     *
     * @param id          terminal identifier, written as the events' terminalId
     * @param tokenSha256 lowercase hex SHA-256 of the terminal's bearer token (the token itself is never stored)
     * @param townships   region codes the terminal serves: a township, or a county, city or the province for
     *                    every township under it
     */
    public record Terminal(
            @NotBlank String id,
            @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lowercase hex digits") String tokenSha256,
            @NotEmpty List<String> townships) {
    }
}
