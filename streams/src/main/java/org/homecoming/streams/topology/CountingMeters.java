package org.homecoming.streams.topology;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Homecoming's own series of the counting application, counted where the topology decides: records accepted,
 * rejected by reason, and duplicates. Every reason is registered up front, so each series exists from zero.
 * A record replayed after a failure is counted again: these are rates to watch, not the counts themselves.
 */
final class CountingMeters {

    static final String ACCEPTED = "homecoming.counting.accepted";
    static final String REJECTED = "homecoming.counting.rejected";
    static final String DUPLICATES = "homecoming.counting.duplicates";

    private final Counter accepted;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Counter duplicates;

    CountingMeters(MeterRegistry registry) {
        accepted = Counter.builder(ACCEPTED).description("Registrations accepted (written to the accepted topic)")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder(REJECTED).description("Records refused, by reason (the rejected topic)")
                    .tag("reason", reason.name()).register(registry));
        }
        duplicates = Counter.builder(DUPLICATES).description("Registrations ignored as resends of an event already counted")
                .register(registry);
    }

    void accepted() {
        accepted.increment();
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    void duplicate() {
        duplicates.increment();
    }
}
