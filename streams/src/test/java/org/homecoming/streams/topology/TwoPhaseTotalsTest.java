package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.streams.topology.TestEvents.event;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.RetractionReason;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.Totals;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.SentRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two phases of the totals on the production topology: what the local phase sends and when, and what a
 * restart on the committed state sends again.
 */
class TwoPhaseTotalsTest {

    private static final List<String> TOWNSHIPS = Regions.shanxi().atLevel(RegionLevel.TOWNSHIP).stream()
            .map(Region::code).toList();
    private static final String HOME = TOWNSHIPS.get(0);
    private static final String FAR = TOWNSHIPS.get(TOWNSHIPS.size() - 1);
    private static final LocalDate MARCH_1 = LocalDate.of(2020, 3, 1);

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(stateDir, new SurvivingStores());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static RegistrationEvent returnee(String person, String township, LocalDate day) {
        return event(person, township, day, new ReturneeRegistered(null, ReturnReason.FAMILY));
    }

    private static SentRecord now(RegistrationEvent event) {
        return SentRecord.of(event, TopologyFixture.NOW);
    }

    private static Bucket all(String region) {
        return new Bucket(region, PeriodKind.ALL, Bucket.ALL_TIME_START);
    }

    @Test
    void a_count_reaches_the_totals_topic_only_when_the_local_phase_flushes() {
        fixture.sendWithoutFlush(now(returnee("ab".repeat(32), HOME, MARCH_1)));

        assertThat(fixture.totalsRecords()).isEmpty();
        assertThat(fixture.accepted()).hasSize(1);
    }

    @Test
    void changes_within_one_flush_interval_send_one_partial_per_bucket_and_nothing_for_a_bucket_left_as_it_was() {
        String person = "ab".repeat(32);
        fixture.sendWithoutFlush(now(returnee(person, HOME, MARCH_1)));
        fixture.send(now(returnee(person, FAR, MARCH_1.plusDays(1))));

        assertThat(fixture.totalsRecords()).hasSize(16).noneMatch(t -> t.getRegionCode().equals(HOME));
        assertThat(fixture.bucket(all(FAR))).isEqualTo(returnees(1));
        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(returnees(1));
        assertThat(fixture.nonZeroTotals()).isEqualTo(fixture.model().totals());
    }

    @Test
    void a_restart_before_the_flush_sends_the_change_rebuilt_from_the_person_ledger() {
        fixture.send(now(returnee("ab".repeat(32), HOME, MARCH_1)));
        fixture.sendWithoutFlush(now(returnee("cd".repeat(32), HOME, MARCH_1)));

        fixture.restart();

        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(2));
        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(returnees(2));
        assertThat(fixture.nonZeroTotals()).isEqualTo(fixture.model().totals());
        assertThat(fixture.accepted()).isEqualTo(fixture.model().accepted());
    }

    @Test
    void a_restart_after_the_flush_sends_nothing_again() {
        fixture.send(now(returnee("ab".repeat(32), HOME, MARCH_1)));
        List<Totals> before = fixture.totalsRecords();

        fixture.restart();

        assertThat(fixture.totalsRecords()).isEqualTo(before).hasSize(16);
    }

    @Test
    void a_restart_after_a_retraction_that_was_not_flushed_writes_the_zeros() {
        RegistrationEvent registered = returnee("ab".repeat(32), HOME, MARCH_1);
        fixture.send(now(registered));
        fixture.sendWithoutFlush(now(event(registered.getPersonRef(), HOME, MARCH_1.plusDays(2),
                new RegistrationRetracted(registered.getEventId(), RetractionReason.OTHER))));

        fixture.restart();

        assertThat(fixture.totals()).hasSize(16).allSatisfy((bucket, metrics) -> assertThat(metrics).isEqualTo(Metrics.ZERO));
        assertThat(fixture.totalsRecords()).hasSize(32);
    }

    private static Metrics returnees(long n) {
        return new Metrics(n, 0, 0, 0, 0, 0);
    }
}
