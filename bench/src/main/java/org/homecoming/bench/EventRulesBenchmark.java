package org.homecoming.bench;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.homecoming.schemas.rules.Violation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The shared validation rules on a valid event, which every accepted record goes through. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventRulesBenchmark {

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
