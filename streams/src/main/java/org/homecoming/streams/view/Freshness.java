package org.homecoming.streams.view;

import java.time.Instant;

/**
 * How up to date the totals are.
 *
 * @param newestCountedAt      when the newest registration reflected in the totals this instance has read entered
 *                             Kafka; null until the view reads new totals after a start
 * @param ageSeconds           now minus {@code newestCountedAt} (the {@code homecoming.totals.freshness} gauge); null
 *                             with it
 * @param newestReceivedAt     when the newest record of the registrations topic entered Kafka; null when it is empty
 * @param pendingRegistrations registrations in the topic that the counting application has not committed yet
 * @param behindSeconds        how far the counting lags what was received: 0 when nothing is pending, else
 *                             {@code newestReceivedAt - newestCountedAt}; null when that is not known
 * @param checkedAt            when Kafka was asked
 */
public record Freshness(Instant newestCountedAt, Double ageSeconds, Instant newestReceivedAt, long pendingRegistrations,
                        Double behindSeconds, Instant checkedAt) {
}
