package org.homecoming.bench;

import java.time.LocalDate;

import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** HMAC-SHA256 pseudonymisation of a national ID at the gateway, and the ID's check-digit validation. */
public class PseudonymizerBenchmark extends PerRecordBenchmark {

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
