package org.homecoming.local.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.LongSupplier;

import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;

/**
 * A registration as the bytes the registrations topic holds: the personRef as the key (UTF-8, as the
 * gateway's {@code StringSerializer} writes it) and the event in the Confluent wire format, so the bench can
 * serialise before its clock starts and send bytes.
 */
final class RegistrationWire {

    static final String TOPIC = Topics.REGISTRATIONS.name();

    private final Serializer<RegistrationEvent> valueSerializer;

    RegistrationWire(Serializer<RegistrationEvent> valueSerializer) {
        this.valueSerializer = valueSerializer;
    }

    byte[] key(RegistrationEvent event) {
        return event.getPersonRef().getBytes(StandardCharsets.UTF_8);
    }

    byte[] value(RegistrationEvent event) {
        return valueSerializer.serialize(TOPIC, event);
    }

    /**
     * Every event of the workload, serialised. Each record's timestamp is the clock's reading as it is made:
     * the moment it was taken in, which the topology's "not in the future" rule judges by; later than any
     * replayed date, so no verdict depends on how long the records wait before they are sent. Their
     * temporary file is made in {@code directory}.
     */
    PreparedRecords prepare(Workload workload, LongSupplier clockMillis, Path directory) {
        PreparedRecords records = new PreparedRecords(directory);
        boolean made = false;
        try {
            workload.generate(event -> records.add(key(event), value(event), clockMillis.getAsLong()));
            made = true;
            return records;
        } finally {
            if (!made) {
                records.close();
            }
        }
    }
}
