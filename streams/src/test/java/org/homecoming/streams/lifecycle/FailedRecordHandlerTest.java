package org.homecoming.streams.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.ProcessingHandlerResponse;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class FailedRecordHandlerTest {

    private final StreamsFailureHandler failures = new StreamsFailureHandler("test", 3, Clock.systemUTC());

    @Test
    void the_handler_fails_and_notes_the_record_so_the_wrapped_failure_can_be_traced_to_it() {
        FailedRecordHandler handler = new FailedRecordHandler();
        handler.configure(ManagedStreams.config(Map.of(), failures));
        IllegalStateException failure = new IllegalStateException("unknown region");

        assertThat(handler.handle(new TestErrorContext(new RecordPosition("t", 1, 5)), null, failure))
                .isEqualTo(ProcessingHandlerResponse.FAIL);

        assertThat(failures.failedRecords().find(new StreamsException("wrapped", failure)))
                .hasValueSatisfying(found -> {
                    assertThat(found.position()).isEqualTo(new RecordPosition("t", 1, 5));
                    assertThat(found.failure()).isSameAs(failure);
                });
    }

    @Test
    void a_failure_in_a_punctuation_has_no_record() {
        FailedRecordHandler handler = new FailedRecordHandler();
        handler.configure(ManagedStreams.config(Map.of(), failures));
        IllegalStateException failure = new IllegalStateException("in a punctuation");

        assertThat(handler.handle(new TestErrorContext(null), null, failure)).isEqualTo(ProcessingHandlerResponse.FAIL);

        assertThat(failures.failedRecords().find(failure)).isEmpty();
    }

    @Test
    void the_handler_refuses_a_configuration_without_the_shared_tracker() {
        assertThatThrownBy(() -> new FailedRecordHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FailedRecords.CONFIG);
    }
}
