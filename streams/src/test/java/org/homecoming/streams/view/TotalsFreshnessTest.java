package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.events.PeriodKind;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view's freshness: now minus the newest totals record timestamp it has read. */
class TotalsFreshnessTest {

    private static final Instant UPDATED = Instant.parse("2021-03-15T04:00:00Z");
    private static final Instant SOURCE_1 = Instant.parse("2021-03-15T03:59:00Z");
    private static final Instant SOURCE_2 = Instant.parse("2021-03-15T03:59:30Z");

    @TempDir
    Path stateDir;

    ViewFixture view;

    @BeforeEach
    void start() {
        view = new ViewFixture(stateDir);
    }

    @AfterEach
    void stop() {
        view.close();
    }

    @Test
    void before_any_totals_are_read_the_age_is_unknown() {
        assertThat(view.freshness.newest()).isEmpty();
        assertThat(view.freshness.ageSeconds(Clock.systemUTC())).isNaN();
    }

    @Test
    void the_age_counts_from_the_newest_record_timestamp_read_whatever_order_they_come_in() {
        view.put("140000", PeriodKind.ALL, Bucket.ALL_TIME_START, 2, 0, 0, 0, 0, 0, UPDATED, SOURCE_2);
        view.put("140100", PeriodKind.ALL, Bucket.ALL_TIME_START, 1, 0, 0, 0, 0, 0, UPDATED, SOURCE_1);

        assertThat(view.freshness.newest()).hasValue(SOURCE_2.toEpochMilli());
        assertThat(view.freshness.ageSeconds(Clock.fixed(SOURCE_2.plusMillis(1_500), ZoneOffset.UTC))).isEqualTo(1.5);
    }

    @Test
    void the_gauge_is_named_as_agreed_in_seconds() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new TotalsViewConfiguration().totalsFreshnessGauge(view.freshness).bindTo(registry);
        view.put("140000", PeriodKind.ALL, Bucket.ALL_TIME_START, 2, 0, 0, 0, 0, 0, UPDATED, Instant.now().minusSeconds(60));

        assertThat(registry.get("homecoming.totals.freshness").gauge().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(registry.get("homecoming.totals.freshness").gauge().value()).isBetween(59.0, 120.0);
    }
}
