package org.homecoming.streams.topology;

/**
 * The one catalogue of the streams application's processor, store and repartition-topic names. Names
 * are part of the deployed state: a renamed store or repartition topic starts empty, so these never
 * change silently ({@code TopologyNamesTest} holds them against the built topology).
 */
public final class Names {

    /** Source of the registrations topic. */
    public static final String REGISTRATIONS_SOURCE = "registrations-source";
    /** Decodes the Confluent-wire bytes; what cannot be read goes to the rejected topic. */
    public static final String DECODE = "decode-registration";
    /** Prefix of the branches splitting decoded records from rejected ones. */
    public static final String ROUTE = "route-";
    /** Branch of records that could not be decoded or validated. */
    public static final String ROUTE_REJECTED = "rejected";
    /** Branch of accepted records. */
    public static final String ROUTE_ACCEPTED = "accepted";
    /** Turns a rejection into the record written to the rejected topic. */
    public static final String REJECTED_TO_RECORD = "rejected-to-record";
    /** Sink of the rejected topic. */
    public static final String REJECTED_SINK = "rejected-sink";
    /** Keeps only returnee registrations for the skeleton count. */
    public static final String RETURNEES_ONLY = "returnees-only";
    /** Fans a registration out to the buckets it counts in. */
    public static final String TO_BUCKETS = "to-buckets";
    /** Grouping (and repartition topic) by bucket. */
    public static final String BY_BUCKET = "by-bucket";
    /** Store of the count per bucket. */
    public static final String RETURNEE_COUNT_STORE = "returnee-count-store";
    /** Count per bucket. */
    public static final String COUNT_RETURNEES = "count-returnees";
    /** Changelog of counts as a stream. */
    public static final String COUNTS_TO_STREAM = "counts-to-stream";
    /** Turns a count into a totals record. */
    public static final String TO_TOTALS = "to-totals";
    /** Sink of the totals topic. */
    public static final String TOTALS_SINK = "totals-sink";

    // ---- The totals view application (TotalsViewTopology, application id homecoming-totals-view) ----

    /** The table materialising the totals topic into {@link #TOTALS_VIEW_STORE} (the name given to Consumed). */
    public static final String VIEW_TOTALS_TABLE = "view-totals-table";
    /** Source of the totals topic in the view application: Kafka Streams names it after the table. */
    public static final String VIEW_TOTALS_SOURCE = VIEW_TOTALS_TABLE + "-source";
    /** The queryable store of the newest committed totals per bucket, keyed like the totals topic. */
    public static final String TOTALS_VIEW_STORE = "totals-view-store";

    private Names() {
    }
}
