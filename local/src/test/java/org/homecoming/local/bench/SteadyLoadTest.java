package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.junit.jupiter.api.Test;

class SteadyLoadTest {

    private final Regions regions = Regions.shanxi();
    private final String probeTownship = SteadyLoad.defaultProbeTownship(regions);

    @Test
    void background_never_touches_the_probe_township_and_probes_always_do_each_a_new_valid_person() {
        SteadyLoad load = new SteadyLoad(regions, probeTownship, 5);
        EventRules rules = new EventRules(regions);
        Set<String> people = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            RegistrationEvent background = load.background();
            assertThat(background.getTownshipCode()).isNotEqualTo(probeTownship);
            assertThat(background.getOccurredOn().getYear()).isEqualTo(2021);
            people.add(background.getPersonRef());
        }
        for (int i = 0; i < 100; i++) {
            RegistrationEvent probe = load.probe();
            assertThat(probe.getTownshipCode()).isEqualTo(probeTownship);
            assertThat(rules.check(probe, LocalDate.of(2026, 1, 1))).isEmpty();
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
