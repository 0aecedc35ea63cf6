package org.homecoming.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.region.Regions;

/** Realistic inputs shared by the benchmarks: simulator events over every township. */
final class Samples {

    /** Benchmark-only key. */
    static final byte[] KEY = "jmh-only-key-not-for-production-use!!!".getBytes(StandardCharsets.US_ASCII);
    /** A power of two, so the next sample is an AND away. */
    static final int SIZE = 1024;

    private Samples() {
    }

    static List<RegistrationEvent> events(Regions regions) {
        return ReturneeSimulation.generate(SIZE, 42, regions, new Pseudonymizer(KEY, 1)).events();
    }
}
