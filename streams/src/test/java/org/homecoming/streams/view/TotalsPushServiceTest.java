package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push loop: coalescing, heartbeats, bounded streams, and dropping dead streams. */
class TotalsPushServiceTest {

    private static final Instant T0 = Instant.parse("2020-03-15T02:00:00Z");

    @TempDir
    Path stateDir;

    ViewFixture view;
    MutableClock clock = new MutableClock(T0);
    TotalsPushService push;

    @BeforeEach
    void setUp() {
        view = new ViewFixture(stateDir);
        push = new TotalsPushService(new TotalsQueryService(view.regions, view.lookup()), TotalsApiTest.properties(3), clock);
    }

    @AfterEach
    void tearDown() {
        view.close();
    }

    @Test
    void many_changes_between_two_rounds_become_one_push_of_the_latest_values() {
        Recording dashboard = new Recording();
        push.subscribe(Period.ALL, dashboard);
        push.pushOnce();
        assertThat(dashboard.snapshots).hasSize(1);
        assertThat(dashboard.snapshots.get(0).province().returnees()).isZero();
        assertThat(dashboard.snapshots.get(0).cities()).hasSize(11);

        for (int i = 1; i <= 50; i++) {
            view.putReturnees("140000", i, T0.plusMillis(i));
        }
        push.pushOnce();
        push.pushOnce();

        assertThat(dashboard.snapshots).hasSize(2);
        assertThat(dashboard.snapshots.get(1).province().returnees()).isEqualTo(50);
    }

    @Test
    void a_city_change_is_pushed_and_a_township_change_outside_them_is_not() {
        Recording dashboard = new Recording();
        push.subscribe(Period.ALL, dashboard);
        push.pushOnce();

        view.putReturnees("140105001", 1, T0);
        push.pushOnce();
        assertThat(dashboard.snapshots).hasSize(1);

        view.putReturnees("140800", 9, T0);
        push.pushOnce();
        assertThat(dashboard.snapshots).hasSize(2);
        assertThat(dashboard.snapshots.get(1).cities()).filteredOn(c -> c.regionCode().equals("140800"))
                .singleElement().extracting(RegionTotals::returnees).isEqualTo(9L);
    }

    @Test
    void a_new_stream_gets_the_current_snapshot_at_once_even_when_nothing_changed() {
        Recording first = new Recording();
        push.subscribe(Period.ALL, first);
        push.pushOnce();
        Recording late = new Recording();
        push.subscribe(Period.ALL, late);

        push.pushOnce();

        assertThat(first.snapshots).hasSize(1);
        assertThat(late.snapshots).hasSize(1);
    }

    @Test
    void an_idle_stream_gets_a_heartbeat_once_the_heartbeat_interval_has_passed() {
        Recording dashboard = new Recording();
        push.subscribe(Period.ALL, dashboard);
        push.pushOnce();
        clock.advance(Duration.ofSeconds(14));
        push.pushOnce();
        assertThat(dashboard.heartbeats).isZero();

        clock.advance(Duration.ofSeconds(1));
        push.pushOnce();
        assertThat(dashboard.heartbeats).isEqualTo(1);
    }

    @Test
    void a_stream_that_fails_to_write_is_dropped_and_frees_its_place() {
        Recording broken = new Recording();
        broken.failing = true;
        push.subscribe(Period.ALL, broken);
        assertThat(push.openStreams()).isEqualTo(1);

        push.pushOnce();

        assertThat(push.openStreams()).isZero();
        assertThat(broken.closed).isTrue();
    }

    @Test
    void the_number_of_streams_is_bounded_and_unsubscribing_frees_a_place() {
        Runnable first = push.subscribe(Period.ALL, new Recording());
        push.subscribe(Period.ALL, new Recording());
        push.subscribe(Period.parse("2020"), new Recording());

        assertThatThrownBy(() -> push.subscribe(Period.ALL, new Recording()))
                .isInstanceOf(ViewUnavailableException.class);

        first.run();
        first.run();
        assertThat(push.openStreams()).isEqualTo(2);
        push.subscribe(Period.ALL, new Recording());
        assertThat(push.openStreams()).isEqualTo(3);
    }

    @Test
    void while_the_view_cannot_answer_nothing_is_pushed_and_the_stream_stays_open() {
        TotalsPushService unavailable = new TotalsPushService(new TotalsQueryService(view.regions, b -> {
            throw new ViewUnavailableException("rebalancing");
        }), TotalsApiTest.properties(3), clock);
        Recording dashboard = new Recording();
        unavailable.subscribe(Period.ALL, dashboard);

        unavailable.pushOnce();

        assertThat(dashboard.snapshots).isEmpty();
        assertThat(unavailable.openStreams()).isEqualTo(1);
    }

    static final class Recording implements PushSubscriber {
        final List<PushSnapshot> snapshots = new ArrayList<>();
        int heartbeats;
        boolean failing;
        boolean closed;

        @Override
        public void send(String event, Object data) throws IOException {
            if (failing) {
                throw new IOException("Broken pipe");
            }
            assertThat(event).isEqualTo("totals");
            snapshots.add((PushSnapshot) data);
        }

        @Override
        public void heartbeat() {
            heartbeats++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
