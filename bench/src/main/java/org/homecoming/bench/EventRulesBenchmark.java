package org.homecoming.bench;

import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.homecoming.schemas.rules.Violation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** The shared validation rules on a valid event, which every accepted record goes through. */
public class EventRulesBenchmark extends PerRecordBenchmark {

    private static final LocalDate TODAY = LocalDate.of(2026, 1, 1);

    private EventRules rules;
    private List<RegistrationEvent> events;
    private int next;

    @Setup
    public void setUp() {
        Regions regions = Regions.shanxi();
        rules = new EventRules(regions);
        events = Samples.events(regions);
    }

    @Benchmark
    public List<Violation> check() {
        next = (next + 1) & (Samples.SIZE - 1);
        return rules.check(events.get(next), TODAY);
    }
}
