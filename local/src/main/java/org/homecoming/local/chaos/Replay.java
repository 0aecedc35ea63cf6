package org.homecoming.local.chaos;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.KafkaTarget;
import org.homecoming.producer.simulator.ProvinceYearSimulation.SimulatedRecord;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.SimulationTarget;
import org.homecoming.schemas.region.Regions;

/**
 * A province-year replay with noise (3 % resends, 1 % retractions with corrections, 0.5 % invalid records) at a
 * scale, sent straight to the registrations topic in chunks between faults, as the simulator's Kafka target sends it.
 * Each scenario replays its own people (a person key of its own).
 */
final class Replay implements AutoCloseable {

    private final List<SimulatedRecord> records;
    private final KafkaTarget target;
    private final int chunkSize;
    private int sent;

    Replay(ChaosStack stack, double scale, long seed, String personKey, int chunks) {
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(
                new ProvinceYearSimulation.Options(scale, seed, 0.03, 0.01, 0.005), Regions.shanxi());
        byte[] key = ("homecoming-chaos-" + personKey + "-person-key-0123456789").getBytes(StandardCharsets.US_ASCII);
        records = simulation.records(new Pseudonymizer(key, 1));
        chunkSize = Math.max(1, (records.size() + chunks - 1) / chunks);
        target = new KafkaTarget(stack.bootstrapServers(), stack.registryUrl());
    }

    int size() {
        return records.size();
    }

    List<SimulatedRecord> records() {
        return records;
    }

    boolean hasMore() {
        return sent < records.size();
    }

    void sendNextChunk() {
        send(Math.min(records.size(), sent + chunkSize));
    }

    void sendTheRest() {
        send(records.size());
    }

    /** The next chunk, counted as sent, for a scenario that sends it another way (through the gateway). */
    List<SimulatedRecord> takeNextChunk() {
        return take(Math.min(records.size(), sent + chunkSize));
    }

    /** The rest, counted as sent, for a scenario that sends it another way. */
    List<SimulatedRecord> takeTheRest() {
        return take(records.size());
    }

    private List<SimulatedRecord> take(int until) {
        List<SimulatedRecord> chunk = records.subList(sent, until);
        sent = until;
        return chunk;
    }

    private void send(int until) {
        for (; sent < until; sent++) {
            target.send(records.get(sent));
        }
        SimulationTarget.Delivery delivery = target.finish();
        if (delivery.failed() > 0) {
            throw new IllegalStateException(delivery.failed() + " records not acknowledged; first failure: "
                    + target.firstFailure());
        }
    }

    @Override
    public void close() {
        target.close();
    }
}
