package org.homecoming.local.bench;

import java.util.Iterator;

import org.homecoming.events.RegistrationEvent;

/**
 * What the end-to-end phase replays: a finite sequence of registration events and the province totals
 * they must end with. A workload may generate its events lazily while they are sent (the benchmark then
 * measures "as fast as the simulator can"); it is iterated once.
 */
public interface Workload {

    /** A one-line description for the report, e.g. "returnee simulation, 100,000 events, seed 42". */
    String description();

    /** Events the iterator yields, invalid and duplicate ones included. */
    long size();

    /** The events in sending order; each call starts over. */
    Iterator<RegistrationEvent> events();

    /** Shanxi's all-time totals once every event is counted. */
    ProvinceTotals expected();
}
