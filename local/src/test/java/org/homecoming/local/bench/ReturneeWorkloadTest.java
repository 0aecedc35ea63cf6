package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.junit.jupiter.api.Test;

class ReturneeWorkloadTest {

    private final Regions regions = Regions.shanxi();

    @Test
    void events_span_several_chunks_yet_every_person_and_event_is_distinct_and_valid() {
        long size = ReturneeWorkload.CHUNK + 1_234;
        ReturneeWorkload workload = new ReturneeWorkload(size, 3, regions);
        EventRules rules = new EventRules(regions);
        Set<String> people = new HashSet<>();
        Set<Object> eventIds = new HashSet<>();
        long count = 0;
        for (Iterator<RegistrationEvent> events = workload.events(); events.hasNext(); count++) {
            RegistrationEvent event = events.next();
            people.add(event.getPersonRef());
            eventIds.add(event.getEventId());
            if (count % 997 == 0) {
                assertThat(rules.check(event, java.time.LocalDate.of(2026, 1, 1))).isEmpty();
            }
        }

        assertThat(count).isEqualTo(size);
        assertThat(people).hasSize((int) size);
        assertThat(eventIds).hasSize((int) size);
        assertThat(workload.expected()).isEqualTo(ProvinceTotals.returneesOnly(size));
    }

    @Test
    void the_same_seed_gives_the_same_events_and_the_iterator_ends() {
        Iterator<RegistrationEvent> first = new ReturneeWorkload(3, 9, regions).events();
        Iterator<RegistrationEvent> again = new ReturneeWorkload(3, 9, regions).events();
        for (int i = 0; i < 3; i++) {
            assertThat(first.next()).isEqualTo(again.next());
        }
        assertThat(first.hasNext()).isFalse();
        assertThatThrownBy(first::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void an_empty_workload_is_refused() {
        assertThatThrownBy(() -> new ReturneeWorkload(0, 1, regions)).isInstanceOf(IllegalArgumentException.class);
    }
}
