package org.homecoming.streams.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.schemas.rules.EventRules;
import org.homecoming.schemas.rules.Policy;
import org.homecoming.schemas.rules.Violation;

/**
 * Reads the Confluent-wire value of each registration inside the topology and applies the rules that need
 * nothing but the record (docs/counting-rules.md, "Validation", in that order), so a record that cannot be
 * counted becomes a rejection with its source position instead of stopping the application.
 */
final class DecodeProcessor extends ContextualFixedKeyProcessor<byte[], byte[], Decoded> {

    private final Deserializer<RegistrationEvent> deserializer;
    private final EventRules rules;

    DecodeProcessor(Deserializer<RegistrationEvent> deserializer, EventRules rules) {
        this.deserializer = deserializer;
        this.rules = rules;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        RecordMetadata source = context().recordMetadata().orElseThrow();
        Decoded decoded;
        RegistrationEvent event;
        try {
            event = deserializer.deserialize(source.topic(), record.value());
        } catch (SerializationException | AvroRuntimeException e) {
            if (e.getCause() instanceof SchemaRegistryException registry
                    && registry.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
                // The registry is unreachable or failing: the record may be fine. Fail the task, so it is
                // retried from the last commit, rather than reject a good record.
                throw e;
            }
            context().forward(record.withValue(reject(record, source, RejectReason.UNDESERIALIZABLE, e.getMessage())));
            return;
        }
        if (event == null) {
            decoded = reject(record, source, RejectReason.UNDESERIALIZABLE, "null value");
        } else if (record.key() == null
                || !new String(record.key(), StandardCharsets.UTF_8).equals(event.getPersonRef())) {
            decoded = reject(record, source, RejectReason.BAD_KEY, "key is not the event's personRef");
        } else {
            // "In the future" is judged by the day the record entered Kafka, so a replay reaches the same verdict.
            LocalDate takenInOn = Instant.ofEpochMilli(record.timestamp()).atZone(Policy.ZONE).toLocalDate();
            List<Violation> violations = rules.check(event, takenInOn);
            if (violations.isEmpty()) {
                decoded = Decoded.accepted(event, record.key(), record.value());
            } else {
                Violation first = violations.get(0);
                decoded = reject(record, source, RejectReason.of(first.code()), first.message());
            }
        }
        context().forward(record.withValue(decoded));
    }

    private static Decoded reject(FixedKeyRecord<byte[], byte[]> record, RecordMetadata source, RejectReason reason,
                                  String detail) {
        return Decoded.rejected(new Rejection(reason, detail, record.key(), record.value(), source.topic(),
                source.partition(), source.offset()));
    }
}
