package org.homecoming.streams.topology;

import org.homecoming.events.RegistrationEvent;

/**
 * A record after decoding: either the event or why it was refused.
 *
 * @param event     the event, or {@code null} when rejected
 * @param rejection the rejection, or {@code null} when accepted
 */
public record Decoded(RegistrationEvent event, Rejection rejection) {

    public static Decoded accepted(RegistrationEvent event) {
        return new Decoded(event, null);
    }

    public static Decoded rejected(Rejection rejection) {
        return new Decoded(null, rejection);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
