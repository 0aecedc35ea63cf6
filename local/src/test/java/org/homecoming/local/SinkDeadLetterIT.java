package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.sink.SinkProperties;
import org.homecoming.sink.StatementForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Records PostgreSQL can never take, through the real worker: each goes to the sink dead-letter topic with its
 * reason and source, is counted by the metric, and the records around it are written exactly once.
 */
class SinkDeadLetterIT {

    @TempDir
    static Path dir;

    static SinkTestStack stack;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        stack = SinkTestStack.start(dir);
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (stack != null) {
            stack.stop();
        }
    }

    static String registryUrl() {
        return stack.registryUrl();
    }

    static DataSource dataSource(String user) {
        return stack.dataSource(user);
    }

    @Test
    void records_postgres_refuses_go_to_the_dead_letter_topic_with_their_reason_and_are_counted() throws Exception {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registryUrl());
        SpecificAvroSerializer<RegistrationEvent> events = new SpecificAvroSerializer<>(client, false);
        events.configure(Map.of(), false);
        SpecificAvroSerializer<TotalsKey> keys = new SpecificAvroSerializer<>(client, false);
        keys.configure(Map.of(), true);
        SpecificAvroSerializer<Totals> totals = new SpecificAvroSerializer<>(client, false);
        totals.configure(Map.of(), false);
        String person = "ab".repeat(32);
        String rawId = "14010519800101123X";
        String accepted = Topics.ACCEPTED.name();
        String totalsTopic = Topics.TOTALS.name();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // one partition each, so the order of good and bad records is fixed
            producer.send(new ProducerRecord<>(accepted, 0, bytes(person), events.serialize(accepted, event(person, 1))));
            producer.send(new ProducerRecord<>(accepted, 0, bytes(rawId), events.serialize(accepted, event(rawId, 2))));
            producer.send(new ProducerRecord<>(accepted, 0, bytes(person), new byte[] {0, 0, 0, 0, 99, 1, 2}));
            producer.send(new ProducerRecord<>(accepted, 0, bytes(person), events.serialize(accepted, event(person, 3))));
            producer.send(new ProducerRecord<>(totalsTopic, 0, keys.serialize(totalsTopic, key("149999")),
                    totals.serialize(totalsTopic, totals("149999", RegionLevel.CITY, 7))));
            producer.send(new ProducerRecord<>(totalsTopic, 0, keys.serialize(totalsTopic, key("140000")),
                    totals.serialize(totalsTopic, totals("140000", RegionLevel.PROVINCE, 2))));
            producer.flush();
        }

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SinkProperties properties = new SinkProperties(stack.bootstrapServers(), registryUrl(), "dlq-test",
                Duration.ofMillis(100), 500, Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofSeconds(1), "",
                Duration.ofSeconds(10), StatementForm.UNNEST, null);
        StandaloneSink sink = StandaloneSink.start(properties, dataSource("homecoming_sink"), meters);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> query("SELECT coalesce(sum(next_offset), 0) FROM sink_offset"),
                    stored -> stored == 6);
        } finally {
            sink.close();
        }

        assertThat(query("SELECT count(*) FROM registration_event")).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM registration_event WHERE person_ref = '" + person + "'")).isEqualTo(2);
        assertThat(query("SELECT returnees FROM region_totals WHERE region_code = '140000'")).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM region_totals")).isEqualTo(1);

        List<String> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition dlq = new TopicPartition(Topics.SINK_DEAD_LETTER.name(), 0);
            consumer.assign(List.of(dlq));
            consumer.seekToBeginning(List.of(dlq));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(header(r, Headers.SOURCE_TOPIC) + "-" + header(r, Headers.SOURCE_PARTITION) + "@"
                            + header(r, Headers.SOURCE_OFFSET) + " " + header(r, Headers.SINK_ERROR));
                    // Spring Kafka's own headers come too, for tools that know them
                    assertThat(header(r, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(header(r, Headers.SOURCE_TOPIC));
                }
                return letters.size() >= 3;
            });
        }
        assertThat(letters).hasSize(3);
        assertThat(letters).anySatisfy(l -> assertThat(l).startsWith(accepted + "-0@1 23514: ")
                .contains("registration_event_person_ref_check"));
        assertThat(letters).anySatisfy(l -> assertThat(l).isEqualTo(accepted + "-0@2 UNDESERIALIZABLE: SerializationException"));
        assertThat(letters).anySatisfy(l -> assertThat(l).startsWith(totalsTopic + "-0@0 23503: ")
                .contains("region_totals_region_fk"));
        assertThat(letters).noneMatch(l -> l.contains("1401051980"));
        assertThat(meters.find("homecoming.sink.dead.letters").counters()).extracting(Counter::count)
                .containsExactlyInAnyOrder(1.0, 1.0, 1.0);
        assertThat(meters.find("homecoming.sink.dead.letters").tag("reason", "23514").counter().count()).isEqualTo(1.0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static RegistrationEvent event(String person, int n) {
        return RegistrationEvent.newBuilder()
                .setEventId(new UUID(0, n))
                .setPersonRef(person)
                .setPersonRefKeyVersion(1)
                .setTownshipCode("140105001")
                .setTerminalId("dlq-test")
                .setOccurredOn(LocalDate.of(2021, 3, n))
                .setRecordedAt(Instant.parse("2021-03-15T00:00:00Z"))
                .setPayload(new ReturneeRegistered(null, ReturnReason.FAMILY))
                .build();
    }

    private static TotalsKey key(String region) {
        return new TotalsKey(region, PeriodKind.ALL, LocalDate.EPOCH);
    }

    private static Totals totals(String region, RegionLevel level, long returnees) {
        return new Totals(region, level, PeriodKind.ALL, LocalDate.EPOCH, returnees, 0L, 0L, 0L, 0L, 0L,
                Instant.parse("2021-03-15T00:00:00Z"));
    }

    private static long query(String sql) throws SQLException {
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
