package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedRecordsTest {

    @TempDir
    Path directory;

    private record Seen(byte[] key, byte[] value, long timestamp) {
    }

    private static List<Seen> drain(PreparedRecords records) {
        List<Seen> seen = new ArrayList<>();
        records.drain((key, value, timestamp) -> seen.add(new Seen(key, value, timestamp)));
        return seen;
    }

    private List<Path> filesLeft() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    @Test
    void records_come_back_in_order_with_their_bytes_and_timestamps_across_many_arrays_of_the_file() throws IOException {
        PreparedRecords records = new PreparedRecords(directory, 256);
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
        assertThat(filesLeft()).as("one file for all the arrays").containsExactly(records.file());
        assertThat(Files.size(records.file())).as("all but the array still being filled")
                .isGreaterThan(records.bytes() / 2).isLessThan(records.bytes());

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
    void the_file_holds_exactly_the_bytes_counted_and_is_gone_once_drained() throws IOException {
        PreparedRecords records = new PreparedRecords(directory, 64);
        for (int i = 0; i < 50; i++) {
            // never a byte of the value, so each key is stored beside it
            records.add(new byte[] {(byte) (i + 1)}, new byte[20], i);
        }
        Path file = records.file();
        List<Long> sizes = new ArrayList<>();

        records.drain((key, value, timestamp) -> sizes.add(uncheckedSize(file)));

        assertThat(sizes).hasSize(50).containsOnly(records.bytes());
        assertThat(records.bytes()).isEqualTo(50L * (1 + 1 + 1 + 20 + 1 + 1));
        assertThat(file).doesNotExist();
        assertThat(filesLeft()).isEmpty();
    }

    private static long uncheckedSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void closing_undrained_records_deletes_their_file_and_ends_them() throws IOException {
        PreparedRecords records = new PreparedRecords(directory, 64);
        for (int i = 0; i < 10; i++) {
            records.add(new byte[] {1}, new byte[30], i);
        }
        assertThat(filesLeft()).hasSize(1);

        records.close();
        records.close();

        assertThat(filesLeft()).isEmpty();
        assertThatThrownBy(() -> drain(records)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_visitor_that_fails_still_leaves_no_file() throws IOException {
        PreparedRecords records = new PreparedRecords(directory, 64);
        for (int i = 0; i < 10; i++) {
            records.add(new byte[] {1}, new byte[30], i);
        }

        assertThatThrownBy(() -> records.drain((key, value, timestamp) -> {
            throw new IllegalArgumentException("broker gone");
        })).hasMessage("broker gone");
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void a_failed_write_names_the_file() throws IOException {
        Path full = Path.of("/dev/full");
        assumeThat(full).as("a device whose every write fails").exists();
        AtomicReference<Path> opened = new AtomicReference<>();
        PreparedRecords records = new PreparedRecords(directory, 64, file -> {
            opened.set(file);
            return FileChannel.open(full, StandardOpenOption.WRITE);
        });
        records.add(new byte[] {1}, new byte[40], 1);

        assertThatThrownBy(() -> records.add(new byte[] {1}, new byte[40], 2))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("Could not write the prepared records to " + opened.get())
                .hasRootCauseInstanceOf(IOException.class);
        records.close();
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void a_key_the_value_contains_is_kept_once_and_still_comes_back_whole() {
        byte[] key = "personRef-abc".getBytes(StandardCharsets.UTF_8);
        byte[] value = "\0\0\0\0\1 eventId personRef-abc township".getBytes(StandardCharsets.UTF_8);
        byte[] stranger = "someone-else".getBytes(StandardCharsets.UTF_8);
        PreparedRecords inside = new PreparedRecords(directory);
        inside.add(key, value, 5);
        PreparedRecords apart = new PreparedRecords(directory);
        apart.add(stranger, value, 5);

        assertThat(inside.bytes()).isEqualTo(apart.bytes() - stranger.length);
        assertThat(drain(inside).get(0).key()).isEqualTo(key);
        assertThat(drain(apart).get(0).key()).isEqualTo(stranger);
    }

    @Test
    void a_record_larger_than_an_array_gets_one_of_its_own() {
        PreparedRecords records = new PreparedRecords(directory, 64);
        byte[] big = new byte[1_000];
        big[999] = 7;
        records.add(new byte[] {1}, new byte[] {2}, 1);
        records.add(new byte[] {3}, big, 2);
        records.add(new byte[] {4}, new byte[] {5}, 3);
        records.add(new byte[] {6}, new byte[] {7}, 4);

        List<Seen> seen = drain(records);

        assertThat(seen).extracting(Seen::timestamp).containsExactly(1L, 2L, 3L, 4L);
        assertThat(seen.get(1).value()).isEqualTo(big);
        assertThat(seen.get(3).value()).containsExactly(7);
    }

    @Test
    void with_no_directory_given_the_file_goes_to_the_temporary_directory() {
        PreparedRecords records = new PreparedRecords();
        records.add(new byte[] {1}, new byte[] {2}, 3);
        records.add(new byte[] {4}, new byte[PreparedRecords.CHUNK_BYTES], 5);
        Path file = records.file();

        assertThat(file.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(drain(records)).hasSize(2);
        assertThat(file).doesNotExist();
    }

    @Test
    void records_are_drained_once_and_none_added_after() {
        PreparedRecords records = new PreparedRecords(directory);
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
