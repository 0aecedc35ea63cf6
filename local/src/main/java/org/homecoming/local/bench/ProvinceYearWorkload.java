package org.homecoming.local.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Consumer;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.schemas.region.Regions;

/**
 * The province-year replay (Shanxi 2020 at a scale, with the simulator's default noise: resends,
 * retractions with corrected registrations, invalid records) as a workload. The simulator pushes its
 * records one at a time, so at scale 1.0 (about 1.16 million records) no more than a few hundred events
 * (the resends and corrections it holds back) exist at once; the bench keeps only their bytes.
 */
public final class ProvinceYearWorkload implements Workload {

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
    public void generate(Consumer<RegistrationEvent> sink) {
        simulation.generate(new Pseudonymizer(benchKey(), 1), record -> sink.accept(record.event()));
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
