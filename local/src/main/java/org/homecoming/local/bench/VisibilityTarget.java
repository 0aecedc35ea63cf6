package org.homecoming.local.bench;

import java.util.Optional;

/**
 * One place where the effect of an event becomes visible: the totals topic, the query API, PostgreSQL.
 * The latency phase watches the all-time returnee count of one probe township in each; a probe (a new
 * person registering there) is visible once the count has grown past it.
 */
public interface VisibilityTarget extends AutoCloseable {

    /** Short name for the report: "totals topic", "query API", "PostgreSQL". */
    String name();

    /** Why this target cannot be measured here (an endpoint not deployed); empty when it can. */
    Optional<String> unavailableReason();

    /**
     * The probe township's all-time returnees as this target shows it now, waiting at most a short
     * while (its polling interval) for news. Called from one thread only.
     */
    long read() throws Exception;

    @Override
    default void close() {
    }
}
