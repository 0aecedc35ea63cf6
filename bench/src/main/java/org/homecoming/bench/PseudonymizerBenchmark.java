package org.homecoming.bench;

import java.time.LocalDate;
import java.util.concurrent.TimeUnit;

import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
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

/** HMAC-SHA256 pseudonymisation of a national ID at the gateway, and the ID's check-digit validation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PseudonymizerBenchmark {

    private static final LocalDate TODAY = LocalDate.of(2026, 1, 1);

    private Pseudonymizer pseudonymizer;
    private String[] ids;
    private int next;

    @Setup
    public void setUp() {
        pseudonymizer = new Pseudonymizer(Samples.KEY, 1);
        ids = new String[Samples.SIZE];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = NationalId.of("140525", LocalDate.of(1980, 1, 1).plusDays(i), i % 999 + 1);
        }
    }

    @Benchmark
    public String personRef() {
        next = (next + 1) & (Samples.SIZE - 1);
        return pseudonymizer.personRef(ids[next]);
    }

    @Benchmark
    public NationalId.Problem validateId() {
        next = (next + 1) & (Samples.SIZE - 1);
        return NationalId.validate(ids[next], TODAY);
    }
}
