package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.streams.topology.TestEvents.event;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.apache.kafka.streams.state.Stores;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.model.SentRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A totals record carries, as its Kafka timestamp, the newest registration timestamp the counting application had
 * read when it sent the partial (not the wall-clock time of the flush), so the view can tell how fresh totals are.
 */
class TotalsTimestampTest {

    private static final List<String> TOWNSHIPS = Regions.shanxi().atLevel(RegionLevel.TOWNSHIP).stream()
            .map(r -> r.code()).toList();
    private static final LocalDate DAY = LocalDate.of(2021, 3, 1);
    private static final Instant T1 = Instant.parse("2021-03-10T01:00:00Z");
    private static final Instant T2 = Instant.parse("2021-03-10T02:00:00Z");

    @TempDir
    Path stateDir;

    TopologyFixture fixture;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(stateDir, Stores::inMemoryKeyValueStore);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void totals_carry_the_timestamp_of_the_newest_registration_read_not_the_time_of_the_flush() {
        fixture.send(SentRecord.of(returnee("ab".repeat(32), TOWNSHIPS.get(0)), T1));
        assertThat(fixture.totalsTimestamps()).isNotEmpty().containsOnly(T1);

        int before = fixture.totalsTimestamps().size();
        fixture.send(SentRecord.of(returnee("cd".repeat(32), TOWNSHIPS.get(1)), T2));
        assertThat(fixture.totalsTimestamps().subList(before, fixture.totalsTimestamps().size())).isNotEmpty()
                .containsOnly(T2);
    }

    @Test
    void a_later_record_that_changes_nothing_sends_nothing_and_an_earlier_one_does_not_turn_the_stamp_back() {
        RegistrationEvent first = returnee("ab".repeat(32), TOWNSHIPS.get(0));
        fixture.send(SentRecord.of(first, T2));
        int sent = fixture.totalsTimestamps().size();

        fixture.send(SentRecord.of(first, T2.plusSeconds(60)));
        assertThat(fixture.totalsTimestamps()).hasSize(sent);

        fixture.send(SentRecord.of(returnee("cd".repeat(32), TOWNSHIPS.get(1)), T1));
        assertThat(fixture.totalsTimestamps().subList(sent, fixture.totalsTimestamps().size())).isNotEmpty()
                .allSatisfy(t -> assertThat(t).isAfterOrEqualTo(T2));
    }

    private static RegistrationEvent returnee(String person, String township) {
        return event(person, township, DAY, new ReturneeRegistered(null, ReturnReason.FAMILY));
    }
}
