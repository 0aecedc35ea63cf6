package org.homecoming.local.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Consumer;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.region.Regions;

/**
 * The walking skeleton's {@link ReturneeSimulation} as a workload: N returnee registrations of N people.
 * Generated in chunks, so a million events never sit in memory at once as objects; each chunk
 * pseudonymises with its own bench-only key, which keeps the people of different chunks distinct although
 * the simulator numbers their national IDs from zero in every chunk.
 */
public final class ReturneeWorkload implements Workload {

    static final int CHUNK = 50_000;

    private final long size;
    private final long seed;
    private final Regions regions;

    public ReturneeWorkload(long size, long seed, Regions regions) {
        if (size <= 0) {
            throw new IllegalArgumentException("A workload needs at least one event, not " + size);
        }
        this.size = size;
        this.seed = seed;
        this.regions = regions;
    }

    @Override
    public String description() {
        return String.format("returnee simulation, %,d registrations of %,d people, seed %d", size, size, seed);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ProvinceTotals expected() {
        return ProvinceTotals.returneesOnly(size);
    }

    @Override
    public void generate(Consumer<RegistrationEvent> sink) {
        int chunk = 0;
        for (long produced = 0; produced < size; produced += CHUNK, chunk++) {
            int count = (int) Math.min(CHUNK, size - produced);
            ReturneeSimulation.generate(count, seed + chunk, regions, new Pseudonymizer(chunkKey(chunk), 1))
                    .events().forEach(sink);
        }
    }

    /** A 32-byte key per chunk, derived from its number; bench data only. */
    static byte[] chunkKey(int chunk) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("homecoming-bench-chunk-" + chunk).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
