package org.homecoming.schemas;

/**
 * Names of the Kafka record headers Homecoming writes, shared by the writers and their readers.
 */
public final class Headers {

    /** Machine-readable reason code of a rejected record ({@code UNKNOWN_TOWNSHIP}, ...). */
    public static final String REJECT_REASON = "homecoming.reject.reason";
    /** Human-readable detail of a rejection; never contains personal data. */
    public static final String REJECT_DETAIL = "homecoming.reject.detail";
    /** Topic the rejected or dead-lettered record was read from. */
    public static final String SOURCE_TOPIC = "homecoming.source.topic";
    /** Partition the record was read from, as decimal text. */
    public static final String SOURCE_PARTITION = "homecoming.source.partition";
    /** Offset the record was read from, as decimal text. */
    public static final String SOURCE_OFFSET = "homecoming.source.offset";
    /** Why the sink could never write a record. */
    public static final String SINK_ERROR = "homecoming.sink.error";

    private Headers() {
    }
}
