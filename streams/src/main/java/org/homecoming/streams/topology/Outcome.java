package org.homecoming.streams.topology;

import java.util.Map;

import org.homecoming.streams.counting.Metrics;

/**
 * One output of the person ledger: exactly one of an accepted event (its original bytes, for the accepted
 * topic), a rejection, or the change of the person's contribution to every bucket it moves.
 *
 * @param accepted the accepted event as it arrived, or {@code null}
 * @param rejected the rejection, or {@code null}
 * @param change   the change per bucket of the person's contribution, or {@code null}
 */
public record Outcome(AcceptedEvent accepted, Rejection rejected, Map<Bucket, Metrics> change) {

    static Outcome accepted(byte[] key, byte[] value) {
        return new Outcome(new AcceptedEvent(key, value), null, null);
    }

    static Outcome rejected(Rejection rejection) {
        return new Outcome(null, rejection, null);
    }

    static Outcome change(Map<Bucket, Metrics> change) {
        return new Outcome(null, null, change);
    }

    /**
     * An accepted event's key and value as they were read: forwarded to the accepted topic as they are, so the
     * event is not serialised again (the value keeps the writer's schema id, which any reader resolves).
     *
     * @param key   the key bytes (the personRef)
     * @param value the value bytes in the Confluent wire format
     */
    public record AcceptedEvent(byte[] key, byte[] value) {
    }
}
