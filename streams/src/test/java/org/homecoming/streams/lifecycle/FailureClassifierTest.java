package org.homecoming.streams.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.streams.lifecycle.FailureClassifier.Kind;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void kafka_timeouts_and_retriable_errors_are_transient() {
        assertThat(kind(new TimeoutException("commit timed out"))).isEqualTo(Kind.TRANSIENT);
        assertThat(kind(new StreamsException(new NotLeaderOrFollowerException("moved")))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void an_unavailable_or_failing_schema_registry_is_transient_however_deep_it_is_wrapped() {
        SchemaRegistryException unavailable = new SchemaRegistryException(503, SchemaRegistryException.STORE_ERROR,
                "GET /schemas/ids/7: Connection refused");

        assertThat(kind(new StreamsException(new SerializationException("cannot read", unavailable))))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(kind(new SchemaRegistryException(500, 50001, "store error"))).isEqualTo(Kind.TRANSIENT);
        assertThat(kind(new SchemaRegistryException(429, 429, "slow down"))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void a_request_the_schema_registry_refuses_is_deterministic() {
        assertThat(kind(new SerializationException("cannot read", new SchemaRegistryException(401, 401, "unauthorized"))))
                .isEqualTo(Kind.DETERMINISTIC);
    }

    @Test
    void input_output_failures_are_transient() {
        assertThat(kind(new UncheckedIOException(new ConnectException("refused")))).isEqualTo(Kind.TRANSIENT);
        assertThat(kind(new StreamsException(new IOException("disk busy")))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void an_overflow_or_a_broken_invariant_of_our_code_is_deterministic() {
        assertThat(kind(new StreamsException(new ArithmeticException("long overflow")))).isEqualTo(Kind.DETERMINISTIC);
        assertThat(kind(new StreamsException("Exception caught in process",
                new IllegalArgumentException("Not a township code: 140000")))).isEqualTo(Kind.DETERMINISTIC);
        assertThat(kind(new IllegalStateException("A partial for a region that is not in the reference data")))
                .isEqualTo(Kind.DETERMINISTIC);
        assertThat(kind(new NullPointerException())).isEqualTo(Kind.DETERMINISTIC);
        assertThat(kind(new StackOverflowError())).isEqualTo(Kind.DETERMINISTIC);
    }

    @Test
    void the_innermost_known_cause_decides_over_the_wrappers() {
        assertThat(kind(new IllegalStateException("could not commit", new TimeoutException("broker slow"))))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(FailureClassifier.classify(new StreamsException(new ArithmeticException("long overflow"))).cause())
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void a_failure_known_to_neither_list_counts_as_transient_and_names_its_root_cause() {
        FailureClassifier.Classification unknown = FailureClassifier.classify(
                new StreamsException(new RuntimeException("something else")));

        assertThat(unknown.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(unknown.cause()).hasMessage("something else");
    }

    @Test
    void a_cause_chain_with_a_cycle_ends() {
        RuntimeException outer = new RuntimeException("outer");
        RuntimeException inner = new RuntimeException("inner", outer);
        outer.initCause(inner);

        assertThat(FailureClassifier.chain(outer)).containsExactly(outer, inner);
    }

    private static Kind kind(Throwable failure) {
        return FailureClassifier.classify(failure).kind();
    }
}
