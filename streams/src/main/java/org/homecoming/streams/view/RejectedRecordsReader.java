package org.homecoming.streams.view;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.schemas.rules.Policy;
import org.springframework.kafka.listener.MessageListener;

/**
 * Counts each record of the rejected topic under the reason in its {@code homecoming.reject.reason} header and the
 * date the event says it occurred on; a value that cannot be read at all counts on the day it was rejected.
 */
public final class RejectedRecordsReader implements MessageListener<byte[], byte[]> {

    /** The reason of a record without the header, which the counting application never writes. */
    static final String NO_REASON = "NO_REASON";
    private static final String UNDESERIALIZABLE = "UNDESERIALIZABLE";

    private final RejectionCounts counts;
    private final Deserializer<RegistrationEvent> events;

    public RejectedRecordsReader(RejectionCounts counts, Deserializer<RegistrationEvent> events) {
        this.counts = counts;
        this.events = events;
    }

    @Override
    public void onMessage(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(Headers.REJECT_REASON);
        String reason = header == null ? NO_REASON : new String(header.value(), StandardCharsets.UTF_8);
        Instant rejectedAt = Instant.ofEpochMilli(record.timestamp());
        counts.add(reason, occurredOn(record, reason, rejectedAt), rejectedAt);
    }

    /**
     * The event's own date. A registry that does not answer is thrown to the container, which tries again: dating the
     * record by its arrival instead would put it in the wrong period for good.
     */
    private LocalDate occurredOn(ConsumerRecord<byte[], byte[]> record, String reason, Instant rejectedAt) {
        LocalDate arrival = rejectedAt.atZone(Policy.ZONE).toLocalDate();
        if (UNDESERIALIZABLE.equals(reason) || record.value() == null) {
            return arrival;
        }
        try {
            RegistrationEvent event = events.deserialize(record.topic(), record.value());
            return event == null || event.getOccurredOn() == null ? arrival : event.getOccurredOn();
        } catch (SerializationException | AvroRuntimeException e) {
            if (e.getCause() instanceof SchemaRegistryException registry
                    && registry.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
                throw e;
            }
            return arrival;
        }
    }
}
