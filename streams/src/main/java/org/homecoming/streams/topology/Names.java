package org.homecoming.streams.topology;

import java.util.List;

/**
 * The one catalogue of the streams application's processor, store and repartition-topic names. Names
 * are part of the deployed state: a renamed store or repartition topic starts empty, so these never
 * change silently ({@code TopologyNamesTest} holds them against the built topology).
 */
public final class Names {

    /** Source of the registrations topic. */
    public static final String REGISTRATIONS_SOURCE = "registrations-source";
    /** Decodes the Confluent-wire bytes and applies the stateless rules; what fails goes to the rejected topic. */
    public static final String DECODE = "decode-registration";
    /** Prefix of the branches splitting decoded records from rejected ones. */
    public static final String ROUTE = "route-";
    /** Branch of records that could not be decoded or validated. */
    public static final String ROUTE_REJECTED = "rejected";
    /** Branch of accepted records. */
    public static final String ROUTE_ACCEPTED = "accepted";
    /** Takes the rejection out of a decoded record. */
    public static final String DECODE_REJECTION = "decode-rejection";
    /** The person ledger: dedupe, retraction checks, per-bucket changes. */
    public static final String PERSON_LEDGER = "person-ledger";
    /** Store of each person's accepted events, keyed by personRef; kept forever (see docs/counting-rules.md). */
    public static final String PERSON_LEDGER_STORE = "person-ledger-store";
    /** Prefix of the branches splitting the person ledger's outputs. */
    public static final String OUTCOME = "outcome-";
    /** Branch of accepted events. */
    public static final String OUTCOME_ACCEPTED = "accepted";
    /** Branch of retractions the person ledger refused. */
    public static final String OUTCOME_REJECTED = "rejected";
    /** Branch of the person changes, for the local phase of the totals. */
    public static final String OUTCOME_CHANGE = "change";
    /** Takes the accepted event out of an outcome. */
    public static final String ACCEPTED_EVENT = "accepted-event";
    /** Sink of the accepted topic. */
    public static final String ACCEPTED_SINK = "accepted-sink";
    /** Takes the rejection out of an outcome, keyed by the original key bytes. */
    public static final String LEDGER_REJECTION = "ledger-rejection";
    /** Merges the rejections of decoding and of the person ledger. */
    public static final String MERGE_REJECTED = "merge-rejected";
    /** Turns a rejection into the record written to the rejected topic. */
    public static final String REJECTED_TO_RECORD = "rejected-to-record";
    /** Sink of the rejected topic. */
    public static final String REJECTED_SINK = "rejected-sink";
    /** The local phase: the task's absolute partials per bucket, flushed at the flush interval. */
    public static final String LOCAL_PARTIALS = "local-partials";
    /**
     * What the local phase of each input partition last sent per bucket (key: packed bucket; value: six longs).
     * A restart compares the partials rebuilt from the person ledger with it and sends only what differs.
     */
    public static final String EMITTED_PARTIALS_STORE = "emitted-partials-store";
    /** The repartition (topic {@code <application.id>-partials-by-bucket-repartition}) from local to global phase. */
    public static final String PARTIALS_BY_BUCKET = "partials-by-bucket";
    /** The global phase: sums the latest partial of every input partition into the bucket's absolute total. */
    public static final String SUM_PARTIALS = "sum-partials";
    /** The latest non-zero partial of every input partition per bucket (key: packed bucket). */
    public static final String BUCKET_PARTIALS_STORE = "bucket-partials-store";
    /** The global phase's table as a stream of its changes, once per bucket per commit (the store is cached). */
    public static final String PARTIALS_TO_STREAM = "partials-to-stream";
    /** Turns a bucket's partials into its totals record: their sum. */
    public static final String TO_TOTALS = "to-totals";
    /** Sink of the totals topic. */
    public static final String TOTALS_SINK = "totals-sink";

    /** Every processor name of the topology. */
    public static final List<String> PROCESSORS = List.of(REGISTRATIONS_SOURCE, DECODE, ROUTE + ROUTE_REJECTED,
            ROUTE + ROUTE_ACCEPTED, DECODE_REJECTION, PERSON_LEDGER, OUTCOME + OUTCOME_ACCEPTED,
            OUTCOME + OUTCOME_REJECTED, OUTCOME + OUTCOME_CHANGE, ACCEPTED_EVENT, ACCEPTED_SINK, LEDGER_REJECTION,
            MERGE_REJECTED, REJECTED_TO_RECORD, REJECTED_SINK, LOCAL_PARTIALS, SUM_PARTIALS, PARTIALS_TO_STREAM, TO_TOTALS,
            TOTALS_SINK);
    /** Every state store of the topology. */
    public static final List<String> STORES = List.of(PERSON_LEDGER_STORE, EMITTED_PARTIALS_STORE, BUCKET_PARTIALS_STORE);
    /** Every repartition topic of the topology, without the application-id prefix. */
    public static final List<String> REPARTITION_TOPICS = List.of(PARTIALS_BY_BUCKET + "-repartition");
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
