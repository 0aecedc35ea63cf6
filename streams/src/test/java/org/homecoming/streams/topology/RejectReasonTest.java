package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.homecoming.schemas.rules.ViolationCode;
import org.junit.jupiter.api.Test;

class RejectReasonTest {

    @Test
    void every_shared_rule_code_is_a_reason_code_of_the_same_name() {
        for (ViolationCode code : ViolationCode.values()) {
            assertThat(RejectReason.of(code).name()).isEqualTo(code.name());
        }
    }

    @Test
    void the_reasons_only_the_stream_finds_are_reason_codes_too() {
        assertThat(RejectReason.values()).extracting(Enum::name).contains("UNDESERIALIZABLE", "BAD_KEY",
                "UNKNOWN_RETRACTION_TARGET", "TARGET_ALREADY_RETRACTED", "TARGET_IS_RETRACTION");
    }
}
