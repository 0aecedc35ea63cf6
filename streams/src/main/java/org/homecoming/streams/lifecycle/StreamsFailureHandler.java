package org.homecoming.streams.lifecycle;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.homecoming.streams.lifecycle.FailedRecords.FailedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uncaught-exception handler of one Kafka Streams application. A transient failure gets a fresh stream thread,
 * which resumes from the last commit. A deterministic one, or a record failing for the {@code maxRecordFailures}-th
 * time, would only be replayed forever: the client shuts down, readiness turns DOWN, and one ERROR line names the
 * record's topic, partition and offset. Neither the record's key nor its value, nor an exception message that might
 * quote them, is logged here.
 */
public final class StreamsFailureHandler implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsFailureHandler.class);

    private final String application;
    private final int maxRecordFailures;
    private final Clock clock;
    private final FailedRecords failedRecords = new FailedRecords();
    private final AtomicReference<FatalFailure> fatal = new AtomicReference<>();
    private final AtomicInteger replacements = new AtomicInteger();

    /**
     * @param application       the application's name in log lines
     * @param maxRecordFailures how many times one record may fail transiently before the client stops
     */
    public StreamsFailureHandler(String application, int maxRecordFailures, Clock clock) {
        if (maxRecordFailures < 1) {
            throw new IllegalArgumentException("maxRecordFailures must be at least 1: " + maxRecordFailures);
        }
        this.application = application;
        this.maxRecordFailures = maxRecordFailures;
        this.clock = clock;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        Optional<FailedRecord> failed = failedRecords.find(failure);
        FailureClassifier.Classification classification = failed
                .map(record -> FailureClassifier.classify(record.failure()))
                .orElseGet(() -> FailureClassifier.classify(failure));
        RecordPosition record = failed.map(FailedRecord::position).orElse(null);
        int failures = record == null ? 0 : failedRecords.countFailure(record);
        String exception = classification.cause().getClass().getName();
        String reason = null;
        if (classification.kind() == FailureClassifier.Kind.DETERMINISTIC) {
            reason = "deterministic failure";
        } else if (failures >= maxRecordFailures) {
            reason = "failed " + failures + " times on the same record";
        }
        if (reason == null) {
            // Kafka Streams logs the exception itself as it replaces the thread.
            int replaced = replacements.incrementAndGet();
            LOG.warn("{}: transient failure ({}) {}; replacing the stream thread (replacement {}){}", application, exception,
                    where(record), replaced, record == null ? "" : ", failure " + failures + " of at most "
                            + maxRecordFailures + " on this record");
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        FatalFailure stopped = new FatalFailure(record, exception, reason, clock.instant());
        if (fatal.compareAndSet(null, stopped)) {
            LOG.error("{} shuts down: {} ({}) {}; readiness is DOWN until it is restarted", application, reason, exception,
                    where(record));
        }
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static String where(RecordPosition record) {
        return record == null ? "outside record processing" : "at record " + record;
    }

    /** The failure that stopped the client, if one did. */
    public Optional<FatalFailure> fatal() {
        return Optional.ofNullable(fatal.get());
    }

    /** Stream threads replaced after transient failures since start. */
    public int replacements() {
        return replacements.get();
    }

    /** The object the processing exception handler notes failing records in. */
    public FailedRecords failedRecords() {
        return failedRecords;
    }
}
