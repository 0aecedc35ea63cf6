package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

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
        List<RegistrationEvent> checked = new ArrayList<>();
        AtomicLong generated = new AtomicLong();
        workload.generate(event -> {
            people.add(event.getPersonRef());
            eventIds.add(event.getEventId());
            if (generated.getAndIncrement() % 997 == 0) {
                checked.add(event);
            }
        });
        long count = generated.get();

        checked.forEach(event -> assertThat(rules.check(event, java.time.LocalDate.of(2026, 1, 1))).isEmpty());
        assertThat(count).isEqualTo(size);
        assertThat(people).hasSize((int) size);
        assertThat(eventIds).hasSize((int) size);
        assertThat(workload.expected()).isEqualTo(ProvinceTotals.returneesOnly(size));
    }

    @Test
    void the_same_seed_gives_the_same_events_and_exactly_as_many_as_asked() {
        List<RegistrationEvent> first = new ArrayList<>();
        List<RegistrationEvent> again = new ArrayList<>();
        new ReturneeWorkload(3, 9, regions).generate(first::add);
        new ReturneeWorkload(3, 9, regions).generate(again::add);

        assertThat(first).hasSize(3).isEqualTo(again);
    }

    @Test
    void an_empty_workload_is_refused() {
        assertThatThrownBy(() -> new ReturneeWorkload(0, 1, regions)).isInstanceOf(IllegalArgumentException.class);
    }
}
