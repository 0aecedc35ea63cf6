package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.ConfluentWire;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view store holds the totals topic's bytes as they arrived and decodes a value only when it is read. */
class TotalsViewStoreTest {

    private static final String TOTALS = Topics.TOTALS.name();
    private static final Instant T1 = Instant.parse("2020-03-15T02:00:00Z");
    private static final Bucket PROVINCE = new Bucket("140000", PeriodKind.ALL, Bucket.ALL_TIME_START);
    private static final Bucket TAIYUAN_MARCH = new Bucket("140100", PeriodKind.MONTH, LocalDate.of(2020, 3, 1));

    @TempDir
    Path stateDir;

    ViewFixture view;

    @BeforeEach
    void setUp() {
        view = new ViewFixture(stateDir);
    }

    @AfterEach
    void tearDown() {
        view.close();
    }

    private List<KeyValue<Bytes, byte[]>> stored() {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = view.store().all()) {
            all.forEachRemaining(entries::add);
        }
        return entries;
    }

    @Test
    void the_store_holds_each_records_key_and_value_bytes_exactly_as_the_topic_has_them() {
        byte[] key = view.keySerde.serializer().serialize(TOTALS, PROVINCE.toKey());
        // a value the view's serde would never write: the Totals bytes followed by bytes no decoder accepts
        byte[] value = view.valueSerde.serializer().serialize(TOTALS, totals(PROVINCE, 7));
        byte[] untouched = new byte[value.length + 2];
        System.arraycopy(value, 0, untouched, 0, value.length);
        untouched[value.length] = 42;
        untouched[value.length + 1] = 43;
        TestInputTopic<byte[], byte[]> raw = view.driver.createInputTopic(TOTALS, new ByteArraySerializer(),
                new ByteArraySerializer());

        raw.pipeInput(key, untouched);

        assertThat(stored()).hasSize(1);
        assertThat(stored().get(0).key.get()).isEqualTo(key);
        assertThat(stored().get(0).value).isEqualTo(untouched);
    }

    @Test
    void the_lookup_serialises_a_bucket_to_the_topics_own_key_bytes_schema_id_included() {
        view.put("140100", PeriodKind.MONTH, LocalDate.of(2020, 3, 1), 20, 1, 2, 3, 4, 5, T1);

        Bytes key = view.codec.key(TAIYUAN_MARCH);

        assertThat(key.get()).isEqualTo(view.keySerde.serializer().serialize(TOTALS, TAIYUAN_MARCH.toKey()));
        assertThat(stored()).extracting(e -> e.key).containsExactly(key);
        assertThat(ConfluentWire.schemaId(key.get()))
                .isEqualTo(view.registry.getId(Topics.keySubject(TOTALS), TotalsKey.getClassSchema()));
        assertThat(view.codec.read(view.store(), List.of(key))).containsExactly(
                new StoredTotals("140100", PeriodKind.MONTH, LocalDate.of(2020, 3, 1), 20, 1, 2, 3, 4, 5, T1));
    }

    @Test
    void a_value_that_cannot_be_decoded_stops_neither_the_view_nor_the_reads_of_other_buckets() {
        TestInputTopic<byte[], byte[]> raw = view.driver.createInputTopic(TOTALS, new ByteArraySerializer(),
                new ByteArraySerializer());
        raw.pipeInput(view.keySerde.serializer().serialize(TOTALS, PROVINCE.toKey()), new byte[] {0, 0, 0, 0, 99, 1});
        view.put("140100", PeriodKind.MONTH, LocalDate.of(2020, 3, 1), 20, 0, 0, 0, 0, 0, T1);

        Map<Bucket, StoredTotals> found = view.lookup().find(List.of(TAIYUAN_MARCH));

        assertThat(found.get(TAIYUAN_MARCH).returnees()).isEqualTo(20);
        assertThatThrownBy(() -> view.lookup().find(List.of(PROVINCE))).isInstanceOf(SerializationException.class);
    }

    private Totals totals(Bucket bucket, long returnees) {
        return Totals.newBuilder()
                .setRegionCode(bucket.regionCode())
                .setRegionLevel(view.regions.find(bucket.regionCode()).orElseThrow().level())
                .setPeriodKind(bucket.periodKind())
                .setPeriodStart(bucket.periodStart())
                .setReturnees(returnees)
                .setEmployedNearHome(0)
                .setBusinessesStarted(0)
                .setGuaranteedLoansFen(0)
                .setJobsCreated(0)
                .setTrained(0)
                .setUpdatedAt(T1)
                .build();
    }
}
