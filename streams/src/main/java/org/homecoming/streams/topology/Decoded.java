package org.homecoming.streams.topology;

import org.homecoming.events.RegistrationEvent;

/**
 * A record after decoding and the stateless rules: either the event or why it was refused.
 *
 * @param event     the event, or {@code null} when rejected
 * @param rejection the rejection, or {@code null} when accepted
 * @param key       the original key bytes of an accepted event, kept for a later rejection
 * @param value     the original value bytes of an accepted event, kept for a later rejection
 */
public record Decoded(RegistrationEvent event, Rejection rejection, byte[] key, byte[] value) {

    public static Decoded accepted(RegistrationEvent event, byte[] key, byte[] value) {
        return new Decoded(event, null, key, value);
    }

    public static Decoded rejected(Rejection rejection) {
        return new Decoded(null, rejection, rejection.key(), rejection.value());
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
