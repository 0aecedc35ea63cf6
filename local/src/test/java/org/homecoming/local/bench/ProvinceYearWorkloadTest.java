package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.schemas.region.Regions;
import org.junit.jupiter.api.Test;

class ProvinceYearWorkloadTest {

    private final Regions regions = Regions.shanxi();

    @Test
    void the_workload_yields_every_record_of_the_replay_and_expects_the_simulators_province_totals() {
        ProvinceYearWorkload workload = new ProvinceYearWorkload(0.002, 7, regions);
        ProvinceYearSimulation.Expected plan = ProvinceYearSimulation
                .plan(ProvinceYearSimulation.Options.withDefaultNoise(0.002, 7), regions).expected();

        List<RegistrationEvent> events = new ArrayList<>();
        workload.generate(events::add);

        assertThat(events).hasSize((int) workload.size()).hasSize((int) plan.events());
        assertThat(workload.expected()).isEqualTo(new ProvinceTotals(plan.province().returnees(),
                plan.province().employedNearHome(), plan.province().businessesStarted(),
                plan.province().guaranteedLoansFen(), plan.province().jobsCreated(), plan.province().trained()));
        Set<UUID> distinct = new HashSet<>();
        events.forEach(event -> distinct.add(event.getEventId()));
        assertThat(distinct).as("resends repeat an eventId, nothing else does")
                .hasSize((int) (plan.events() - plan.duplicates()));
        assertThat(workload.description()).contains("province-year replay", "scale 0.002");
    }

    @Test
    void each_generation_starts_the_same_replay_over() {
        ProvinceYearWorkload workload = new ProvinceYearWorkload(0.001, 3, regions);
        List<UUID> first = new ArrayList<>();
        List<UUID> second = new ArrayList<>();
        workload.generate(event -> first.add(event.getEventId()));
        workload.generate(event -> second.add(event.getEventId()));

        assertThat(second).isEqualTo(first).isNotEmpty();
    }

    @Test
    void a_given_number_of_events_chooses_returnee_registrations_and_a_scale_chooses_the_replay() {
        BenchOptions byScale = BenchCommandTest.parse("--scale", "0.001");
        BenchOptions byEvents = BenchCommandTest.parse("--events", "100");

        assertThat(Workloads.forRun(byScale, regions)).isInstanceOf(ProvinceYearWorkload.class);
        assertThat(Workloads.forRun(byEvents, regions)).isInstanceOf(ReturneeWorkload.class);
    }
}
