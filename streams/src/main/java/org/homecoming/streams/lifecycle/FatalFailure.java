package org.homecoming.streams.lifecycle;

import java.time.Instant;

/**
 * The failure that stopped a Kafka Streams client.
 *
 * @param record    the record it happened on, or {@code null} when it happened outside processing a record
 * @param exception class name of the exception that decided
 * @param reason    why the client stopped rather than replacing the thread
 * @param at        when
 */
public record FatalFailure(RecordPosition record, String exception, String reason, Instant at) {
}
