package org.homecoming.schemas.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.RetractionReason;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryState;
import org.junit.jupiter.api.Test;

class SpecificAvroSerdeTest {

    private static final String TOPIC = Topics.REGISTRATIONS.name();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    static RegistrationEvent business() {
        return RegistrationEvent.newBuilder()
                .setEventId(UUID.fromString("0b6c1f2e-8a53-4b1e-9d2a-5f8e3c7a9b10"))
                .setPersonRef("ab".repeat(32))
                .setPersonRefKeyVersion(1)
                .setTownshipCode("140521100")
                .setTerminalId("T-140521100-01")
                .setOccurredOn(LocalDate.of(2020, 3, 15))
                .setRecordedAt(Instant.parse("2020-03-15T02:30:00Z"))
                .setPayload(new BusinessStarted(BusinessType.RURAL_INN, 50_000_000L, 20_000_000L, 4))
                .build();
    }

    @Test
    void a_record_is_written_as_magic_byte_zero_then_its_schema_id_then_avro_binary() {
        int id = registry.register(Topics.valueSubject(TOPIC), RegistrationEvent.getClassSchema());
        SpecificAvroSerializer<RegistrationEvent> serializer = new SpecificAvroSerializer<>(registry, false);
        serializer.configure(Map.of(), false);

        byte[] bytes = serializer.serialize(TOPIC, business());

        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(ConfluentWire.schemaId(bytes)).isEqualTo(id);
    }

    @Test
    void what_the_serializer_writes_the_deserializer_reads_back_equal() {
        ContractSchemas.registerAll(registry);
        SpecificAvroSerde<RegistrationEvent> serde = SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false);
        RegistrationEvent retraction = RegistrationEvent.newBuilder(business())
                .setPayload(new RegistrationRetracted(UUID.randomUUID(), RetractionReason.WRONG_TOWNSHIP))
                .build();

        for (RegistrationEvent event : new RegistrationEvent[] {business(), retraction}) {
            byte[] bytes = serde.serializer().serialize(TOPIC, event);
            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
        }
    }

    @Test
    void without_auto_registration_an_unregistered_schema_is_refused() {
        SpecificAvroSerializer<RegistrationEvent> serializer = new SpecificAvroSerializer<>(registry, false);
        serializer.configure(Map.of(), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, business()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("homecoming.registrations-value");
        assertThat(registry.isCompatible(Topics.valueSubject(TOPIC), RegistrationEvent.getClassSchema())).isTrue();
    }

    @Test
    void with_auto_registration_configured_the_schema_is_registered_on_first_use() {
        SpecificAvroSerializer<RegistrationEvent> serializer = new SpecificAvroSerializer<>(registry, true);
        serializer.configure(Map.of(), false);

        byte[] bytes = serializer.serialize(TOPIC, business());

        assertThat(registry.getLatest(Topics.valueSubject(TOPIC)).id()).isEqualTo(ConfluentWire.schemaId(bytes));
    }

    @Test
    void keys_use_the_key_subject() {
        SpecificAvroSerializer<RegistrationEvent> serializer = new SpecificAvroSerializer<>(registry, true);
        serializer.configure(Map.of(), true);

        serializer.serialize(TOPIC, business());

        assertThat(registry.getLatest(Topics.keySubject(TOPIC)).schema()).isEqualTo(RegistrationEvent.getClassSchema());
    }

    @Test
    void bytes_without_the_magic_byte_are_refused() {
        SpecificAvroDeserializer<RegistrationEvent> deserializer =
                new SpecificAvroDeserializer<>(RegistrationEvent.class, registry);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void an_unknown_schema_id_is_refused() {
        SpecificAvroDeserializer<RegistrationEvent> deserializer =
                new SpecificAvroDeserializer<>(RegistrationEvent.class, registry);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0x30, 0x39, 2, 4}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 12345");
    }

    @Test
    void corrupt_avro_after_a_valid_header_is_refused() {
        ContractSchemas.registerAll(registry);
        SpecificAvroSerde<RegistrationEvent> serde = SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false);
        byte[] bytes = serde.serializer().serialize(TOPIC, business());

        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Trailing bytes");
    }

    @Test
    void data_written_with_an_older_compatible_schema_reads_into_the_current_class() throws Exception {
        // an older contract without ReturneeRegistered.previousWorkProvince (added later with a default)
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(RegistrationEvent.getClassSchema().toString());
        ((ArrayNode) json.at("/fields/7/type/0/fields")).remove(0);
        Schema older = SchemaRegistryState.parse(json.toString());
        assertThat(older.getField("payload").schema().getTypes().get(0).getField("previousWorkProvince")).isNull();
        int id = registry.register(Topics.valueSubject(TOPIC), older);
        Schema olderPayload = older.getField("payload").schema().getTypes().get(0);
        GenericRecord payload = new GenericData.Record(olderPayload);
        payload.put("returnReason", new GenericData.EnumSymbol(olderPayload.getField("returnReason").schema(), "FAMILY"));
        GenericRecord event = new GenericData.Record(older);
        event.put("eventId", "0b6c1f2e-8a53-4b1e-9d2a-5f8e3c7a9b10");
        event.put("personRef", "cd".repeat(32));
        event.put("personRefKeyVersion", 1);
        event.put("townshipCode", "140521100");
        event.put("terminalId", "T-1");
        event.put("occurredOn", (int) LocalDate.of(2020, 2, 1).toEpochDay());
        event.put("recordedAt", Instant.parse("2020-02-01T01:00:00Z").toEpochMilli());
        event.put("payload", payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(older).write(event, encoder);
        encoder.flush();

        RegistrationEvent read = new SpecificAvroDeserializer<>(RegistrationEvent.class, registry)
                .deserialize(TOPIC, out.toByteArray());

        assertThat(read.getPayload()).isEqualTo(new ReturneeRegistered(null, ReturnReason.FAMILY));
        assertThat(read.getOccurredOn()).isEqualTo(LocalDate.of(2020, 2, 1));
    }
}
