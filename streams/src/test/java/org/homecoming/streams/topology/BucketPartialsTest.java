package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.apache.kafka.common.errors.SerializationException;
import org.homecoming.events.PeriodKind;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Metrics;
import org.junit.jupiter.api.Test;

class BucketPartialsTest {

    private static final Metrics ONE = new Metrics(1, 0, 0, 500, 2, 0);
    private static final Metrics TWO = new Metrics(2, 1, 0, 0, 0, 1);

    @Test
    void the_total_is_the_sum_of_the_latest_partial_of_every_partition() {
        BucketPartials partials = BucketPartials.NONE
                .with(new PartitionPartial(3, ONE))
                .with(new PartitionPartial(0, TWO))
                .with(new PartitionPartial(3, TWO));

        assertThat(partials.partials()).extracting(PartitionPartial::partition).containsExactly(0, 3);
        assertThat(partials.total()).isEqualTo(TWO.plus(TWO));
    }

    @Test
    void a_zero_partial_removes_its_partition() {
        BucketPartials partials = BucketPartials.NONE.with(new PartitionPartial(1, ONE)).with(new PartitionPartial(2, TWO))
                .with(new PartitionPartial(1, Metrics.ZERO));

        assertThat(partials.partials()).containsExactly(new PartitionPartial(2, TWO));
        assertThat(BucketPartials.NONE.with(new PartitionPartial(4, Metrics.ZERO)).isEmpty()).isTrue();
    }

    @Test
    void partials_survive_their_serde() {
        BucketPartials partials = BucketPartials.NONE.with(new PartitionPartial(5, ONE)).with(new PartitionPartial(1, TWO));
        BucketPartials.BucketPartialsSerde serde = new BucketPartials.BucketPartialsSerde();

        byte[] bytes = serde.serializer().serialize("t", partials);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(partials);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[7]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("52-byte entries");
    }

    @Test
    void every_bucket_of_every_region_packs_into_a_long_and_back() {
        LocalDate day = LocalDate.of(2020, 2, 29);
        for (Region region : Regions.shanxi().all()) {
            for (Bucket bucket : Bucket.periodsOf(region.code(), day)) {
                assertThat(Bucket.unpacked(bucket.packed())).isEqualTo(bucket);
            }
        }
    }

    @Test
    void a_code_that_would_not_print_back_the_same_does_not_pack() {
        assertThatThrownBy(() -> new Bucket("014000", PeriodKind.ALL, Bucket.ALL_TIME_START).packed())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bucket("1400001234", PeriodKind.ALL, Bucket.ALL_TIME_START).packed())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bucket("14a000", PeriodKind.ALL, Bucket.ALL_TIME_START).packed())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
