package org.homecoming.streams.topology;

import org.apache.kafka.common.serialization.Serde;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;

/**
 * The serdes of the topics the topology reads and writes, passed in so tests and production choose
 * their registry.
 *
 * @param event     registration events (Confluent wire)
 * @param totalsKey totals-topic keys (Confluent wire)
 * @param totals    totals-topic values (Confluent wire)
 */
public record TopologySerdes(Serde<RegistrationEvent> event, Serde<TotalsKey> totalsKey, Serde<Totals> totals) {
}
