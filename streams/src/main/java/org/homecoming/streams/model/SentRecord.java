package org.homecoming.streams.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.homecoming.events.RegistrationEvent;

/**
 * One record as a producer puts it on the registrations topic: a key, either an event (serialised by the
 * sender) or raw bytes that are not one, and the record's Kafka timestamp.
 *
 * @param key       key bytes, {@code null} for none
 * @param event     the event, or {@code null} when {@code raw} is sent instead
 * @param raw       bytes sent as the value when there is no event (poison)
 * @param timestamp the record's Kafka timestamp
 */
public record SentRecord(byte[] key, RegistrationEvent event, byte[] raw, Instant timestamp) {

    /** An event keyed by its own personRef, as the gateway sends it. */
    public static SentRecord of(RegistrationEvent event, Instant timestamp) {
        return new SentRecord(event.getPersonRef().getBytes(StandardCharsets.UTF_8), event, null, timestamp);
    }

    /** An event under some other key. */
    public static SentRecord keyed(String key, RegistrationEvent event, Instant timestamp) {
        return new SentRecord(key == null ? null : key.getBytes(StandardCharsets.UTF_8), event, null, timestamp);
    }

    /** Bytes that are not an event. */
    public static SentRecord poison(String key, byte[] raw, Instant timestamp) {
        return new SentRecord(key.getBytes(StandardCharsets.UTF_8), null, raw, timestamp);
    }

    /** The key as text, {@code null} for none. */
    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }
}
