package org.homecoming.streams.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StreamsFailureHandlerTest {

    private static final Instant NOW = Instant.parse("2021-03-15T04:00:00Z");
    private static final RecordPosition RECORD = new RecordPosition("homecoming.registrations", 2, 17);

    private final StreamsFailureHandler handler = new StreamsFailureHandler("Counting application", 3,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final FailedRecordHandler processing = new FailedRecordHandler();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(StreamsFailureHandler.class);

    @BeforeEach
    void captureLogs() {
        processing.configure(ManagedStreams.config(Map.of(), handler));
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logged);
    }

    @Test
    void a_transient_failure_outside_record_processing_replaces_the_thread_every_time() {
        for (int i = 0; i < 5; i++) {
            assertThat(handler.handle(new StreamsException(new TimeoutException("commit timed out"))))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        assertThat(handler.fatal()).isEmpty();
        assertThat(handler.replacements()).isEqualTo(5);
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
    }

    @Test
    void a_deterministic_failure_on_a_record_shuts_the_client_down_with_one_error_line_naming_its_position() {
        ArithmeticException overflow = new ArithmeticException("long overflow");
        failOn(RECORD, overflow);

        assertThat(handler.handle(new StreamsException("Exception caught in process", overflow)))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        assertThat(handler.fatal()).hasValueSatisfying(fatal -> {
            assertThat(fatal.record()).isEqualTo(RECORD);
            assertThat(fatal.exception()).isEqualTo("java.lang.ArithmeticException");
            assertThat(fatal.at()).isEqualTo(NOW);
        });
        assertThat(handler.replacements()).isZero();
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage())
                    .contains("topic=homecoming.registrations partition=2 offset=17")
                    .contains("java.lang.ArithmeticException")
                    .doesNotContain("long overflow");
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    @Test
    void a_record_failing_transiently_the_third_time_shuts_the_client_down() {
        List<StreamThreadExceptionResponse> responses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TimeoutException timeout = new TimeoutException("registry slow");
            failOn(RECORD, timeout);
            responses.add(handler.handle(new StreamsException(timeout)));
        }

        assertThat(responses).containsExactly(StreamThreadExceptionResponse.REPLACE_THREAD,
                StreamThreadExceptionResponse.REPLACE_THREAD, StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(handler.fatal()).hasValueSatisfying(fatal ->
                assertThat(fatal.reason()).isEqualTo("failed 3 times on the same record"));
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN, Level.ERROR);
    }

    @Test
    void transient_failures_on_different_records_do_not_add_up() {
        for (int offset = 0; offset < 10; offset++) {
            TimeoutException timeout = new TimeoutException("registry slow");
            failOn(new RecordPosition("homecoming.registrations", 0, offset), timeout);
            assertThat(handler.handle(new StreamsException(timeout))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
    }

    @Test
    void only_the_first_of_several_threads_stopping_logs_the_error() {
        handler.handle(new IllegalStateException("unknown region"));
        handler.handle(new IllegalStateException("unknown region"));

        assertThat(logged.list).hasSize(1);
    }

    /** As Kafka Streams does: the processing exception handler hears of the failure before the thread dies. */
    private void failOn(RecordPosition position, RuntimeException failure) {
        processing.handle(new TestErrorContext(position), null, failure);
    }
}
