package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.junit.jupiter.api.Test;

class SteadyLoadTest {

    // 17:30 UTC is already the next day in Shanghai: events are dated by Shanghai's calendar, as the rules judge them
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2027-02-10T17:30:00Z"), ZoneOffset.UTC);
    private static final LocalDate SHANGHAI_TODAY = LocalDate.of(2027, 2, 11);

    private final Regions regions = Regions.shanxi();
    private final String probeTownship = SteadyLoad.defaultProbeTownship(regions);

    @Test
    void background_never_touches_the_probe_township_and_probes_always_do_each_a_new_valid_person_dated_today_in_shanghai() {
        SteadyLoad load = new SteadyLoad(regions, probeTownship, 5, CLOCK);
        EventRules rules = new EventRules(regions);
        Set<String> people = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            RegistrationEvent background = load.background();
            assertThat(background.getTownshipCode()).isNotEqualTo(probeTownship);
            assertThat(background.getOccurredOn()).isEqualTo(SHANGHAI_TODAY);
            assertThat(rules.check(background, SHANGHAI_TODAY)).isEmpty();
            people.add(background.getPersonRef());
        }
        for (int i = 0; i < 100; i++) {
            RegistrationEvent probe = load.probe();
            assertThat(probe.getTownshipCode()).isEqualTo(probeTownship);
            assertThat(rules.check(probe, SHANGHAI_TODAY)).isEmpty();
            assertThat(probe.getRecordedAt()).isEqualTo(CLOCK.instant());
            people.add(probe.getPersonRef());
        }
        assertThat(people).hasSize(20_100);
    }

    @Test
    void a_probe_township_that_is_not_a_township_is_refused() {
        assertThatThrownBy(() -> new SteadyLoad(regions, Regions.PROVINCE_CODE, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
