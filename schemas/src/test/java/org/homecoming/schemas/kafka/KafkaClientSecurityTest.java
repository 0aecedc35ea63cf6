package org.homecoming.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    @Test
    void plaintext_adds_no_setting() {
        Map<String, Object> config = KafkaClientSecurity.NONE.applyTo(new HashMap<>(Map.of("bootstrap.servers", "x:1")));

        assertThat(config).containsOnlyKeys("bootstrap.servers");
        assertThat(KafkaClientSecurity.orNone(null)).isEqualTo(KafkaClientSecurity.NONE);
    }

    @Test
    void scram_sets_protocol_mechanism_and_a_jaas_line_with_the_credentials() {
        Map<String, Object> config = KafkaClientSecurity.scram("gateway", "pa\"ss").clientProperties();

        assertThat(config).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT")
                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"gateway\" password=\"pa\\\"ss\";");
    }

    @Test
    void blank_values_from_the_environment_mean_plaintext() {
        assertThat(new KafkaClientSecurity("", "", "", "")).isEqualTo(KafkaClientSecurity.NONE);
    }

    @Test
    void sasl_without_a_password_is_refused_at_start_up() {
        assertThatThrownBy(() -> new KafkaClientSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", "gateway", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> new KafkaClientSecurity("SASL", "SCRAM-SHA-512", "gateway", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protocol");
    }

    @Test
    void the_password_is_never_printed() {
        assertThat(KafkaClientSecurity.scram("sink", "secret-value").toString()).contains("sink").doesNotContain("secret-value");
    }
}
