package org.homecoming.streams.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;
import org.homecoming.schemas.registry.SchemaRegistryException;

/**
 * Tells a failure that may pass (the broker, the network or the schema registry is briefly unavailable) from one
 * that will happen again on the same input (a bug or a data fault in our code), so the first gets a fresh stream
 * thread and the second stops the client instead of replaying the same record forever.
 */
public final class FailureClassifier {

    /** What a failure is. */
    public enum Kind {
        /** Retrying may succeed: replace the thread, which resumes from the last commit. */
        TRANSIENT,
        /** Retrying fails the same way: stop the client. */
        DETERMINISTIC
    }

    /**
     * The kind of a failure and the cause in its chain that decided it.
     *
     * @param kind  transient or deterministic
     * @param cause the exception that decided, or the root cause when none is known to either list
     */
    public record Classification(Kind kind, Throwable cause) {
    }

    private FailureClassifier() {
    }

    /**
     * Classifies by the innermost cause that is known to either list, since wrappers (Kafka's StreamsException, a
     * serializer's SerializationException) say where a failure surfaced, not what it was. A failure known to neither
     * list counts as transient: the uncaught-exception handler still stops a record that keeps failing.
     */
    public static Classification classify(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Throwable cause = chain.get(i);
            if (isTransient(cause)) {
                return new Classification(Kind.TRANSIENT, cause);
            }
            if (isDeterministic(cause)) {
                return new Classification(Kind.DETERMINISTIC, cause);
            }
        }
        return new Classification(Kind.TRANSIENT, chain.get(chain.size() - 1));
    }

    private static boolean isTransient(Throwable cause) {
        return cause instanceof RetriableException
                || cause instanceof IOException
                || cause instanceof UncheckedIOException
                || cause instanceof SchemaRegistryException registry && (registry.httpStatus() >= 500
                        || registry.httpStatus() == 408 || registry.httpStatus() == 429);
    }

    private static boolean isDeterministic(Throwable cause) {
        return cause instanceof ArithmeticException
                || cause instanceof IllegalArgumentException
                || cause instanceof IllegalStateException
                || cause instanceof NullPointerException
                || cause instanceof ClassCastException
                || cause instanceof IndexOutOfBoundsException
                || cause instanceof UnsupportedOperationException
                // the registry refused the request itself (any other 4xx): asking again gets the same answer
                || cause instanceof SchemaRegistryException
                // the JVM itself is failing (out of memory, stack overflow): no fresh thread cures that
                || cause instanceof Error;
    }

    /** The failure and its causes, outermost first; a cause seen twice ends the chain. */
    static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
