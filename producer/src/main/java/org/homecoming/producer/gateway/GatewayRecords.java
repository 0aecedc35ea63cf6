package org.homecoming.producer.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code homecoming.gateway.records{status}} ({@code homecoming_gateway_records_total} in Prometheus): the
 * records the gateway answered, by the HTTP status each got. A request refused as a whole (401, a body that
 * is not JSON, a malformed batch) counts as one record, since its records were never read.
 */
public final class GatewayRecords {

    /** The Micrometer name. */
    public static final String NAME = "homecoming.gateway.records";

    /** Registered at start so every series exists, at zero, before its first record. */
    private static final int[] KNOWN = {202, 400, 401, 403, 503};

    private final MeterRegistry registry;
    /** The known statuses' counters, indexed by status: counting a record costs no map lookup. */
    private final Counter[] byStatus = new Counter[600];
    private final ConcurrentMap<Integer, Counter> others = new ConcurrentHashMap<>();

    public GatewayRecords(MeterRegistry registry) {
        this.registry = registry;
        for (int status : KNOWN) {
            byStatus[status] = register(status);
        }
    }

    /** Counts records answered with a status. */
    public void count(int status, int records) {
        if (records > 0) {
            Counter counter = status >= 0 && status < byStatus.length ? byStatus[status] : null;
            (counter != null ? counter : others.computeIfAbsent(status, this::register)).increment(records);
        }
    }

    private Counter register(int status) {
        return Counter.builder(NAME).tag("status", String.valueOf(status))
                .description("Records answered by the intake gateway, by HTTP status").register(registry);
    }
}
