package org.homecoming.streams.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.Stores;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.homecoming.schemas.rules.Policy;
import org.homecoming.streams.topology.TopologySerdes;
import org.homecoming.streams.topology.TotalsTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production topology, configured as {@link ManagedStreams} configures it, fails on one planted record: the
 * processing exception handler traces the failure to the record, and the uncaught-exception handler stops the client
 * naming it.
 */
class DeterministicFailureTest {

    private static final String PLANTED = "ef".repeat(32);

    @TempDir
    Path stateDir;

    @Test
    void an_overflow_on_a_record_is_traced_to_its_offset_and_shuts_the_client_down() {
        StreamsFailureHandler failures = new StreamsFailureHandler("Counting application", 3, Clock.systemUTC());
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ContractSchemas.registerAll(registry);
        SpecificAvroSerde<RegistrationEvent> events = SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false);
        Deserializer<RegistrationEvent> reader = events.deserializer();
        // A deserializer with a bug that only this person's events trip, as Math.addExact would on an overflow.
        Deserializer<RegistrationEvent> faulty = (topic, bytes) -> {
            RegistrationEvent event = reader.deserialize(topic, bytes);
            if (PLANTED.equals(event.getPersonRef())) {
                throw new ArithmeticException("long overflow");
            }
            return event;
        };
        TopologySerdes serdes = new TopologySerdes(Serdes.serdeFrom(events.serializer(), faulty),
                SpecificAvroSerde.of(TotalsKey.class, registry, false, true),
                SpecificAvroSerde.of(Totals.class, registry, false, false));
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "homecoming-totals-test");
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Properties config = new Properties();
        config.putAll(ManagedStreams.config(settings, failures));

        try (TopologyTestDriver driver = new TopologyTestDriver(TotalsTopology.build(serdes, Regions.shanxi(),
                Clock.systemUTC(), Duration.ofMillis(100), Stores::inMemoryKeyValueStore, new SimpleMeterRegistry()),
                config)) {
            TestInputTopic<byte[], byte[]> registrations = driver.createInputTopic(Topics.REGISTRATIONS.name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            Instant now = Instant.parse("2021-03-15T04:00:00Z");
            registrations.pipeInput(key("ab".repeat(32)), events.serializer().serialize(Topics.REGISTRATIONS.name(),
                    returnee("ab".repeat(32))), now);
            registrations.pipeInput(key("cd".repeat(32)), events.serializer().serialize(Topics.REGISTRATIONS.name(),
                    returnee("cd".repeat(32))), now);

            Throwable thrown = catchThrowable(() -> registrations.pipeInput(key(PLANTED),
                    events.serializer().serialize(Topics.REGISTRATIONS.name(), returnee(PLANTED)), now));

            assertThat(thrown).hasRootCauseInstanceOf(ArithmeticException.class);
            assertThat(failures.handle(thrown)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            assertThat(failures.fatal()).hasValueSatisfying(fatal -> {
                assertThat(fatal.record()).isEqualTo(new RecordPosition(Topics.REGISTRATIONS.name(), 0, 2));
                assertThat(fatal.exception()).isEqualTo(ArithmeticException.class.getName());
            });
        }
    }

    @Test
    void the_counting_configuration_is_refused_without_the_shared_tracker() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "x");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, FailedRecordHandler.class);

        assertThatThrownBy(() -> new StreamsConfig(config).processingExceptionHandler())
                .hasMessageContaining(FailedRecords.CONFIG);
    }

    private static byte[] key(String person) {
        return person.getBytes(StandardCharsets.UTF_8);
    }

    private static RegistrationEvent returnee(String person) {
        LocalDate day = LocalDate.of(2021, 3, 14);
        return RegistrationEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setPersonRef(person)
                .setPersonRefKeyVersion(1)
                .setTownshipCode(Regions.shanxi().atLevel(RegionLevel.TOWNSHIP).get(0).code())
                .setTerminalId("T-1")
                .setOccurredOn(day)
                .setRecordedAt(day.atTime(LocalTime.NOON).atZone(Policy.ZONE).toInstant())
                .setPayload(new ReturneeRegistered(null, ReturnReason.FAMILY))
                .build();
    }
}
