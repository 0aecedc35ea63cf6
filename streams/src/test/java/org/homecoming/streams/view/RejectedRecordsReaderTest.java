package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.schemas.rules.Policy;
import org.junit.jupiter.api.Test;

class RejectedRecordsReaderTest {

    /** 2026-01-05 in Shanghai: the day the records were rejected. */
    private static final Instant REJECTED_AT = Instant.parse("2026-01-05T03:00:00Z");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final RejectionCounts counts = new RejectionCounts();
    private final SpecificAvroSerde<RegistrationEvent> serde;
    private long offset;

    RejectedRecordsReaderTest() {
        ContractSchemas.registerAll(registry);
        serde = SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false);
    }

    @Test
    void a_rejected_event_counts_under_its_reason_on_the_day_it_says_it_occurred() {
        RejectedRecordsReader reader = new RejectedRecordsReader(counts, serde.deserializer());
        reader.onMessage(rejected("UNKNOWN_RETRACTION_TARGET", event(LocalDate.of(2020, 3, 2))));
        reader.onMessage(rejected("UNKNOWN_RETRACTION_TARGET", event(LocalDate.of(2020, 4, 9))));
        reader.onMessage(rejected("DATE_TOO_EARLY", event(LocalDate.of(2014, 12, 3))));

        assertThat(counts.records()).isEqualTo(3);
        assertThat(counts.of(new Period(PeriodKind.MONTH, LocalDate.of(2020, 3, 1))).reasons())
                .containsExactly(new Rejections.Reason("UNKNOWN_RETRACTION_TARGET", 1));
        assertThat(counts.of(Period.parse("2020")).total()).isEqualTo(2);
        assertThat(counts.of(Period.parse("2014-12-03")).reasons())
                .containsExactly(new Rejections.Reason("DATE_TOO_EARLY", 1));
        assertThat(counts.of(Period.ALL).newestRejectedAt()).isEqualTo(REJECTED_AT);
    }

    @Test
    void bytes_that_cannot_be_read_count_on_the_day_they_were_rejected_and_a_record_without_a_reason_is_counted_apart() {
        RejectedRecordsReader reader = new RejectedRecordsReader(counts, serde.deserializer());
        reader.onMessage(rejected("UNDESERIALIZABLE", "not avro".getBytes(StandardCharsets.UTF_8)));
        reader.onMessage(rejected("BAD_KEY", new byte[] {0, 0, 0, 0x7f, 1}));
        reader.onMessage(rejected(null, event(LocalDate.of(2020, 3, 2))));

        Rejections onTheDay = counts.of(Period.parse(REJECTED_AT.atZone(Policy.ZONE).toLocalDate().toString()));
        assertThat(onTheDay.reasons()).containsExactly(new Rejections.Reason("BAD_KEY", 1),
                new Rejections.Reason("UNDESERIALIZABLE", 1));
        assertThat(counts.of(Period.parse("2020-03-02")).reasons())
                .containsExactly(new Rejections.Reason(RejectedRecordsReader.NO_REASON, 1));
    }

    @Test
    void a_registry_that_does_not_answer_is_thrown_for_the_container_to_try_again_and_nothing_is_counted() {
        byte[] value = event(LocalDate.of(2020, 3, 2));
        RejectedRecordsReader reader = new RejectedRecordsReader(counts, (topic, data) -> {
            throw new SerializationException("registry down", new SchemaRegistryException(503, 50001, "down"));
        });

        assertThatThrownBy(() -> reader.onMessage(rejected("UNKNOWN_TOWNSHIP", value)))
                .isInstanceOf(SerializationException.class);
        assertThat(counts.records()).isZero();
    }

    private byte[] event(LocalDate day) {
        RegistrationEvent event = RegistrationEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setPersonRef("a".repeat(64))
                .setPersonRefKeyVersion(1)
                .setTownshipCode("140105001")
                .setTerminalId("T-1")
                .setOccurredOn(day)
                .setRecordedAt(day.atTime(LocalTime.NOON).atZone(Policy.ZONE).toInstant())
                .setPayload(new ReturneeRegistered(null, ReturnReason.OTHER))
                .build();
        return serde.serializer().serialize(Topics.REGISTRATIONS.name(), event);
    }

    private ConsumerRecord<byte[], byte[]> rejected(String reason, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        if (reason != null) {
            headers.add(Headers.REJECT_REASON, reason.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(Topics.REJECTED.name(), 0, offset++, REJECTED_AT.toEpochMilli(),
                TimestampType.CREATE_TIME, 0, value.length, null, value, headers, Optional.empty());
    }
}
