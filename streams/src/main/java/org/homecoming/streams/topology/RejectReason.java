package org.homecoming.streams.topology;

import org.homecoming.schemas.rules.ViolationCode;

/**
 * Reason codes written in the {@code homecoming.reject.reason} header of the rejected topic: every
 * {@link ViolationCode} of the shared event rules under the same name, and the reasons only the streams
 * application can find (unreadable records, wrong keys, retractions that do not fit the person's history).
 */
public enum RejectReason {
    /** The bytes are not a readable message: not the wire format, unknown schema id, corrupt Avro. */
    UNDESERIALIZABLE,
    /** The record has no key, or the key is not the event's personRef. */
    BAD_KEY,
    /** A required field is empty. */
    MISSING_FIELD,
    /** The township code is not in the reference data. */
    UNKNOWN_TOWNSHIP,
    /** The code is in the reference data but is not a township (a county, a city, ...). */
    NOT_A_TOWNSHIP,
    /** occurredOn lies after the Asia/Shanghai date of the record's Kafka timestamp. */
    DATE_IN_FUTURE,
    /** occurredOn lies before 2015-01-01. */
    DATE_TOO_EARLY,
    /** An amount is negative. */
    NEGATIVE_AMOUNT,
    /** A guaranteed loan is above the policy ceiling for its date. */
    LOAN_OVER_CEILING,
    /** A retraction names an event this person does not have. */
    UNKNOWN_RETRACTION_TARGET,
    /** A retraction names an event that is already retracted. */
    TARGET_ALREADY_RETRACTED,
    /** A retraction names another retraction; retractions cannot be undone. */
    TARGET_IS_RETRACTION;

    /** The reason of a broken shared event rule: the same name. */
    public static RejectReason of(ViolationCode code) {
        return valueOf(code.name());
    }
}
