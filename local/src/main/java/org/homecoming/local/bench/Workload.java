package org.homecoming.local.bench;

import java.util.function.Consumer;

import org.homecoming.events.RegistrationEvent;

/**
 * What the end-to-end phase replays: a finite sequence of registration events and the province totals
 * they must end with. The bench serialises every event before its clock starts, so a workload only has to
 * hand them out in order, one at a time, and never needs to hold them all.
 */
public interface Workload {

    /** A one-line description for the report, e.g. "returnee simulation, 100,000 events, seed 42". */
    String description();

    /** Events {@link #generate} hands out, invalid and duplicate ones included. */
    long size();

    /** Hands every event to the sink in sending order; each call starts over and yields the same events. */
    void generate(Consumer<RegistrationEvent> sink);

    /** Shanxi's all-time totals once every event is counted. */
    ProvinceTotals expected();
}
