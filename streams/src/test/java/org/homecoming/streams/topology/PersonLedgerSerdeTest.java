package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.errors.SerializationException;
import org.homecoming.streams.counting.EntryKind;
import org.homecoming.streams.counting.LedgerEntry;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.counting.PersonLedger;
import org.junit.jupiter.api.Test;

class PersonLedgerSerdeTest {

    private final PersonLedgerSerde serde = new PersonLedgerSerde();

    @Test
    void a_ledger_reads_back_as_written() {
        UUID target = UUID.randomUUID();
        PersonLedger ledger = PersonLedger.EMPTY
                .accept(new LedgerEntry(target, EntryKind.BUSINESS, "140105001", LocalDate.of(2020, 3, 1), 1_583_000_000_000L,
                        30_000_000L, 12, null, false))
                .accept(new LedgerEntry(UUID.randomUUID(), EntryKind.RETRACTION, "140105001", LocalDate.of(2020, 3, 2),
                        1_583_100_000_000L, 0, 0, target, false));

        byte[] bytes = serde.serializer().serialize("t", ledger);
        PersonLedger read = serde.deserializer().deserialize("t", bytes);

        assertThat(read).isEqualTo(ledger);
        assertThat(read.entries().get(0).retracted()).isTrue();
        assertThat(bytes.length).isLessThan(2 * 90);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", PersonLedger.EMPTY)))
                .isEqualTo(PersonLedger.EMPTY);
    }

    @Test
    void an_unknown_format_is_refused() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {9, 0, 0, 0, 0}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void metrics_read_back_as_written_and_wrong_sizes_are_refused() {
        MetricsSerde metrics = new MetricsSerde();
        Metrics value = new Metrics(1, -2, 3, 30_000_000_000L, 5, 6);

        assertThat(metrics.deserializer().deserialize("t", metrics.serializer().serialize("t", value))).isEqualTo(value);
        assertThatThrownBy(() -> metrics.deserializer().deserialize("t", new byte[7]))
                .isInstanceOf(SerializationException.class);
        assertThat(List.of(metrics.serializer().serialize("t", value).length)).containsExactly(48);
    }
}
