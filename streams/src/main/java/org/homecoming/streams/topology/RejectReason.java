package org.homecoming.streams.topology;

/**
 * Reason codes written in the {@code homecoming.reject.reason} header of the rejected topic.
 */
public enum RejectReason {
    /** The bytes are not a readable message: not the wire format, unknown schema id, corrupt Avro. */
    UNDESERIALIZABLE,
    /** The record has no key, or the key is not the event's personRef. */
    BAD_KEY,
    /** The township code is not in the reference data. */
    UNKNOWN_TOWNSHIP,
    /** The code is in the reference data but is not a township (a county, a city, ...). */
    NOT_A_TOWNSHIP,
    /** occurredOn lies after the day the record was processed (Asia/Shanghai). */
    DATE_IN_FUTURE,
    /** occurredOn lies before 2015-01-01. */
    DATE_TOO_EARLY,
    /** An amount is negative. */
    NEGATIVE_AMOUNT,
    /** A guaranteed loan is above the policy ceiling for its date. */
    LOAN_OVER_CEILING,
    /** A retraction names an event this person does not have. */
    UNKNOWN_RETRACTION_TARGET
}
