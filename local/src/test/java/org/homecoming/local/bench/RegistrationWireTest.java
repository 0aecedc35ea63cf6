package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.homecoming.schemas.region.Regions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationWireTest {

    private final Regions regions = Regions.shanxi();
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @TempDir
    Path directory;

    @Test
    void prepared_records_hold_exactly_the_bytes_the_gateways_serializers_write_and_read_back_as_the_events() {
        ProvinceYearWorkload workload = new ProvinceYearWorkload(0.002, 11, regions);
        List<RegistrationEvent> events = new ArrayList<>();
        workload.generate(events::add);
        AtomicLong clock = new AtomicLong(1_800_000_000_000L);

        PreparedRecords records = new RegistrationWire(new SpecificAvroSerializer<>(registry, true))
                .prepare(workload, clock::incrementAndGet, directory);

        SpecificAvroSerializer<RegistrationEvent> serializer = new SpecificAvroSerializer<>(registry, false);
        SpecificAvroDeserializer<RegistrationEvent> deserializer =
                new SpecificAvroDeserializer<>(RegistrationEvent.class, registry);
        StringSerializer keys = new StringSerializer();
        String topic = Topics.REGISTRATIONS.name();
        List<RegistrationEvent> decoded = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        AtomicLong index = new AtomicLong();
        AtomicLong valueBytes = new AtomicLong();
        records.drain((key, value, timestamp) -> {
            RegistrationEvent event = events.get((int) index.getAndIncrement());
            assertThat(key).isEqualTo(keys.serialize(topic, event.getPersonRef()));
            assertThat(value).isEqualTo(serializer.serialize(topic, event));
            decoded.add(deserializer.deserialize(topic, value));
            valueBytes.addAndGet(value.length);
            timestamps.add(timestamp);
        });

        assertThat(records.size()).isEqualTo(workload.size()).isEqualTo(events.size());
        assertThat(decoded).isEqualTo(events);
        assertThat(timestamps).first().isEqualTo(1_800_000_000_001L);
        assertThat(timestamps).last().isEqualTo(1_800_000_000_000L + events.size());
        assertThat(records.bytes()).as("the personRef key is not stored beside the value that holds it")
                .isLessThanOrEqualTo(valueBytes.get() + 8L * events.size());
    }
}
