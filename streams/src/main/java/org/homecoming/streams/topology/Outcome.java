package org.homecoming.streams.topology;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.streams.counting.Metrics;

/**
 * One output of the person ledger: exactly one of an accepted event (for the accepted topic), a rejection,
 * or the change of one bucket (keyed by the bucket's text).
 *
 * @param accepted the accepted event, or {@code null}
 * @param rejected the rejection, or {@code null}
 * @param delta    the change of the bucket in the record key, or {@code null}
 */
public record Outcome(RegistrationEvent accepted, Rejection rejected, Metrics delta) {

    static Outcome accepted(RegistrationEvent event) {
        return new Outcome(event, null, null);
    }

    static Outcome rejected(Rejection rejection) {
        return new Outcome(null, rejection, null);
    }

    static Outcome delta(Metrics delta) {
        return new Outcome(null, null, delta);
    }
}
