package org.homecoming.local.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.schemas.region.Regions;

/**
 * The province-year replay (Shanxi 2020 at a scale, with the simulator's default noise: resends,
 * retractions with corrected registrations, invalid records) as a workload. The simulator pushes its
 * records; a generator thread feeds them through a small bounded queue, so at scale 1.0 (about 1.16 million
 * records) the events are made while they are sent and never sit in memory at once.
 */
public final class ProvinceYearWorkload implements Workload {

    private static final int QUEUE = 8_192;

    private final ProvinceYearSimulation simulation;
    private final ProvinceTotals expected;

    public ProvinceYearWorkload(double scale, long seed, Regions regions) {
        this.simulation = ProvinceYearSimulation.plan(ProvinceYearSimulation.Options.withDefaultNoise(scale, seed), regions);
        ProvinceYearSimulation.Totals province = simulation.expected().province();
        this.expected = new ProvinceTotals(province.returnees(), province.employedNearHome(),
                province.businessesStarted(), province.guaranteedLoansFen(), province.jobsCreated(), province.trained());
    }

    @Override
    public String description() {
        ProvinceYearSimulation.Expected plan = simulation.expected();
        return String.format("province-year replay, scale %s, %,d records (%,d resends, %,d retractions with corrections,"
                + " %,d invalid), seed %d", simulation.options().scale(), plan.events(), plan.duplicates(),
                plan.retractions(), plan.invalid(), simulation.options().seed());
    }

    @Override
    public long size() {
        return simulation.expected().events();
    }

    @Override
    public ProvinceTotals expected() {
        return expected;
    }

    @Override
    public Iterator<RegistrationEvent> events() {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        Object end = new Object();
        Thread generator = new Thread(() -> {
            try {
                simulation.generate(new Pseudonymizer(benchKey(), 1), record -> put(queue, record.event()));
                put(queue, end);
            } catch (RuntimeException e) {
                put(queue, e);
            }
        }, "bench-province-year");
        generator.setDaemon(true);
        generator.start();
        return new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted while the simulator generated records", e);
                    }
                }
                if (next instanceof RuntimeException failure) {
                    throw new IllegalStateException("The simulator failed", failure);
                }
                return next != end;
            }

            @Override
            public RegistrationEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                RegistrationEvent event = (RegistrationEvent) next;
                next = null;
                return event;
            }
        };
    }

    private static void put(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while handing a record to the benchmark", e);
        }
    }

    /** A bench-only personRef key; the people of a bench run are simulated. */
    private static byte[] benchKey() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest("homecoming-bench-province-year".getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
