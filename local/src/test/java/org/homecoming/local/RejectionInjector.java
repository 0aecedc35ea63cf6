package org.homecoming.local;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.rules.Policy;

/**
 * Writes records straight to the registrations topic that no intake gateway would let through, so that the counting
 * application rejects them: bytes that are not Avro, an event under another person's key, an event dated after it
 * was taken in.
 */
final class RejectionInjector {

    private RejectionInjector() {
    }

    static void injectUndeserializableBadKeyAndFutureDate(LocalStack stack) throws Exception {
        SpecificAvroSerializer<RegistrationEvent> serializer = new SpecificAvroSerializer<>(
                new RestSchemaRegistryClient(stack.registryUrl()), false);
        RegistrationEvent badKey = event("b".repeat(64), LocalDate.of(2020, 6, 1));
        RegistrationEvent future = event("f".repeat(64), LocalDate.of(2099, 1, 1));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            String topic = Topics.REGISTRATIONS.name();
            producer.send(new ProducerRecord<>(topic, bytes("poison"), bytes("not a registration"))).get();
            producer.send(new ProducerRecord<>(topic, bytes("c".repeat(64)), serializer.serialize(topic, badKey))).get();
            producer.send(new ProducerRecord<>(topic, bytes(future.getPersonRef()), serializer.serialize(topic, future))).get();
        }
    }

    private static RegistrationEvent event(String person, LocalDate day) {
        return RegistrationEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setPersonRef(person)
                .setPersonRefKeyVersion(1)
                .setTownshipCode("140105001")
                .setTerminalId("T-DIRECT")
                .setOccurredOn(day)
                .setRecordedAt(day.atTime(LocalTime.NOON).atZone(Policy.ZONE).toInstant())
                .setPayload(new ReturneeRegistered(null, ReturnReason.OTHER))
                .build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
