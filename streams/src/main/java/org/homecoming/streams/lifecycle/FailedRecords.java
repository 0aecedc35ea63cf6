package org.homecoming.streams.lifecycle;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which record each processing failure happened on, and how often each record has failed, shared between the
 * processing exception handler (which Kafka Streams creates from a class name, and which is handed this object
 * through the configuration map under {@link #CONFIG}) and the uncaught-exception handler of one application.
 */
public final class FailedRecords {

    /** The configuration key under which {@link FailedRecordHandler} finds this object. */
    public static final String CONFIG = "homecoming.failed.records";

    /** More records than this failing without one stopping the client is no longer one record: start counting anew. */
    private static final int MAX_TRACKED = 1_000;

    /** By identity (exceptions keep Object's equals), weakly, so a failure nobody asks about is collected. */
    private final Map<Throwable, RecordPosition> positions = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<RecordPosition, Integer> failures = new ConcurrentHashMap<>();

    /** Notes the record a processor failed on. */
    void remember(Throwable failure, RecordPosition position) {
        positions.put(failure, position);
    }

    /**
     * The record a failure happened on, when it happened in processing: Kafka Streams wraps the processor's
     * exception, so the whole cause chain is searched.
     */
    public Optional<FailedRecord> find(Throwable failure) {
        for (Throwable cause : FailureClassifier.chain(failure)) {
            RecordPosition position = positions.remove(cause);
            if (position != null) {
                return Optional.of(new FailedRecord(position, cause));
            }
        }
        return Optional.empty();
    }

    /** Counts one more failure of the record; returns how many times it has failed so far. */
    int countFailure(RecordPosition position) {
        if (failures.size() >= MAX_TRACKED && !failures.containsKey(position)) {
            failures.clear();
        }
        return failures.merge(position, 1, Integer::sum);
    }

    /**
     * A record and the exception a processor threw on it.
     *
     * @param position where the record is
     * @param failure  the processor's exception
     */
    public record FailedRecord(RecordPosition position, Throwable failure) {
    }
}
