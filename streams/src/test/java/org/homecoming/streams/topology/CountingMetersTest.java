package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.streams.topology.TestEvents.event;

import java.nio.file.Path;
import java.time.LocalDate;

import io.micrometer.core.instrument.MeterRegistry;
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

/** Homecoming's own series move where the topology decides: accepted, rejected by reason, duplicates. */
class CountingMetersTest {

    private static final String TOWNSHIP = Regions.shanxi().atLevel(RegionLevel.TOWNSHIP).get(0).code();
    private static final LocalDate DAY = LocalDate.of(2021, 3, 1);

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
    void every_reason_has_its_series_from_zero() {
        for (RejectReason reason : RejectReason.values()) {
            assertThat(rejected(reason)).as(reason.name()).isZero();
        }
        assertThat(count(CountingMeters.ACCEPTED)).isZero();
        assertThat(count(CountingMeters.DUPLICATES)).isZero();
    }

    @Test
    void accepted_rejected_by_reason_and_duplicate_records_are_counted() {
        RegistrationEvent first = returnee("ab".repeat(32), TOWNSHIP);
        fixture.send(first);
        fixture.send(returnee("cd".repeat(32), TOWNSHIP));
        fixture.send(first);
        fixture.send(returnee("ef".repeat(32), "999999999"));
        fixture.send(SentRecord.keyed("not-the-person-ref", returnee("12".repeat(32), TOWNSHIP), TopologyFixture.NOW));
        fixture.send(SentRecord.poison("34".repeat(32), new byte[] {1, 2, 3}, TopologyFixture.NOW));

        assertThat(count(CountingMeters.ACCEPTED)).isEqualTo(2);
        assertThat(count(CountingMeters.DUPLICATES)).isEqualTo(1);
        assertThat(rejected(RejectReason.UNKNOWN_TOWNSHIP)).isEqualTo(1);
        assertThat(rejected(RejectReason.BAD_KEY)).isEqualTo(1);
        assertThat(rejected(RejectReason.UNDESERIALIZABLE)).isEqualTo(1);
        assertThat(fixture.rejectedReasons()).containsExactly("UNKNOWN_TOWNSHIP", "BAD_KEY", "UNDESERIALIZABLE");
    }

    private double count(String name) {
        return meters().get(name).counter().count();
    }

    private double rejected(RejectReason reason) {
        return meters().get(CountingMeters.REJECTED).tag("reason", reason.name()).counter().count();
    }

    private MeterRegistry meters() {
        return fixture.meters();
    }

    private static RegistrationEvent returnee(String person, String township) {
        return event(person, township, DAY, new ReturneeRegistered(null, ReturnReason.FAMILY));
    }
}
