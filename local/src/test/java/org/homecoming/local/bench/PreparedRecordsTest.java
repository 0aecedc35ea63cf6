package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PreparedRecordsTest {

    private record Seen(byte[] key, byte[] value, long timestamp) {
    }

    private static List<Seen> drain(PreparedRecords records) {
        List<Seen> seen = new ArrayList<>();
        records.drain((key, value, timestamp) -> seen.add(new Seen(key, value, timestamp)));
        return seen;
    }

    @Test
    void records_come_back_in_order_with_their_bytes_and_timestamps_across_many_arrays() {
        PreparedRecords records = new PreparedRecords(256);
        SplittableRandom random = new SplittableRandom(3);
        List<Seen> added = new ArrayList<>();
        long timestamp = 1_700_000_000_000L;
        for (int i = 0; i < 2_000; i++) {
            byte[] value = new byte[random.nextInt(0, 300)];
            random.nextBytes(value);
            byte[] key = new byte[random.nextInt(0, 40)];
            random.nextBytes(key);
            // timestamps may go back as well as forward
            timestamp += random.nextInt(-5_000, 100_000);
            records.add(key, value, timestamp);
            added.add(new Seen(key, value, timestamp));
        }

        List<Seen> seen = drain(records);

        assertThat(records.size()).isEqualTo(2_000);
        assertThat(seen).hasSize(2_000);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i).key()).as("key %d", i).isEqualTo(added.get(i).key());
            assertThat(seen.get(i).value()).as("value %d", i).isEqualTo(added.get(i).value());
            assertThat(seen.get(i).timestamp()).as("timestamp %d", i).isEqualTo(added.get(i).timestamp());
        }
    }

    @Test
    void a_key_the_value_contains_is_kept_once_and_still_comes_back_whole() {
        byte[] key = "personRef-abc".getBytes(StandardCharsets.UTF_8);
        byte[] value = "\0\0\0\0\1 eventId personRef-abc township".getBytes(StandardCharsets.UTF_8);
        byte[] stranger = "someone-else".getBytes(StandardCharsets.UTF_8);
        PreparedRecords inside = new PreparedRecords();
        inside.add(key, value, 5);
        PreparedRecords apart = new PreparedRecords();
        apart.add(stranger, value, 5);

        assertThat(inside.bytes()).isEqualTo(apart.bytes() - stranger.length);
        assertThat(drain(inside).get(0).key()).isEqualTo(key);
        assertThat(drain(apart).get(0).key()).isEqualTo(stranger);
    }

    @Test
    void a_record_larger_than_an_array_gets_one_of_its_own() {
        PreparedRecords records = new PreparedRecords(64);
        byte[] big = new byte[1_000];
        big[999] = 7;
        records.add(new byte[] {1}, new byte[] {2}, 1);
        records.add(new byte[] {3}, big, 2);
        records.add(new byte[] {4}, new byte[] {5}, 3);

        assertThat(drain(records)).extracting(Seen::timestamp).containsExactly(1L, 2L, 3L);
    }

    @Test
    void records_are_drained_once_and_none_added_after() {
        PreparedRecords records = new PreparedRecords();
        records.add(new byte[] {1}, new byte[] {2}, 3);
        drain(records);

        assertThatThrownBy(() -> drain(records)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> records.add(new byte[] {1}, new byte[] {2}, 3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void the_key_is_found_where_it_first_occurs() {
        byte[] value = {1, 2, 3, 1, 2, 3};
        assertThat(PreparedRecords.indexOf(value, new byte[] {2, 3})).isEqualTo(1);
        assertThat(PreparedRecords.indexOf(value, new byte[] {3, 1, 2, 3})).isEqualTo(2);
        assertThat(PreparedRecords.indexOf(value, new byte[] {3, 2})).isEqualTo(-1);
        assertThat(PreparedRecords.indexOf(value, new byte[0])).isEqualTo(-1);
        assertThat(PreparedRecords.indexOf(new byte[] {1}, new byte[] {1, 2})).isEqualTo(-1);
    }
}
