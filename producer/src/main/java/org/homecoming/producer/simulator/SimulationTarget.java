package org.homecoming.producer.simulator;

/**
 * Where a simulation's records go: straight to Kafka, or through the intake gateway.
 */
public interface SimulationTarget extends AutoCloseable {

    /**
     * What happened to the records sent.
     *
     * @param sent     records handed to the target
     * @param accepted records acknowledged (by Kafka, or 202 by the gateway)
     * @param refused  records the gateway refused (400/403); always 0 straight to Kafka
     * @param failed   records neither acknowledged nor refused, after retries
     */
    record Delivery(long sent, long accepted, long refused, long failed) {
    }

    /** Sends one record; may block for back-pressure. */
    void send(ProvinceYearSimulation.SimulatedRecord record);

    /** Waits until every record is acknowledged, refused or failed. */
    Delivery finish() throws InterruptedException;

    /** Records acknowledged so far. */
    long acknowledged();

    @Override
    void close();
}
