package org.homecoming.streams.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.homecoming.events.RegistrationEvent;

/**
 * Reads the Confluent-wire value of each registration inside the topology, so a record that cannot be
 * read becomes a rejection with its source position instead of stopping the application.
 */
final class DecodeProcessor extends ContextualFixedKeyProcessor<byte[], byte[], Decoded> {

    private final Deserializer<RegistrationEvent> deserializer;

    DecodeProcessor(Deserializer<RegistrationEvent> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        RecordMetadata source = context().recordMetadata().orElseThrow();
        Decoded decoded;
        try {
            RegistrationEvent event = deserializer.deserialize(source.topic(), record.value());
            if (event == null) {
                decoded = reject(record, source, RejectReason.UNDESERIALIZABLE, "null value");
            } else if (record.key() == null
                    || !event.getPersonRef().equals(new String(record.key(), StandardCharsets.UTF_8))) {
                decoded = reject(record, source, RejectReason.BAD_KEY, "key is not the event's personRef");
            } else {
                decoded = Decoded.accepted(event);
            }
        } catch (SerializationException e) {
            decoded = reject(record, source, RejectReason.UNDESERIALIZABLE, e.getMessage());
        }
        context().forward(record.withValue(decoded));
    }

    private static Decoded reject(FixedKeyRecord<byte[], byte[]> record, RecordMetadata source, RejectReason reason,
                                  String detail) {
        return Decoded.rejected(new Rejection(reason, detail, record.key(), record.value(), source.topic(),
                source.partition(), source.offset()));
    }
}
