package org.homecoming.schemas.rules;

/**
 * Why an event is refused. The names are the reason codes of the rejected topic.
 */
public enum ViolationCode {
    /** The township code is not in the reference data. */
    UNKNOWN_TOWNSHIP,
    /** The code is in the reference data but is not a township (a county, a city, ...). */
    NOT_A_TOWNSHIP,
    /** occurredOn lies after the local day on which the event was taken in. */
    DATE_IN_FUTURE,
    /** occurredOn lies before {@link Policy#EARLIEST_DATE}. */
    DATE_TOO_EARLY,
    /** An amount or count is negative. */
    NEGATIVE_AMOUNT,
    /** A guaranteed loan is above the ceiling in force on its date. */
    LOAN_OVER_CEILING,
    /** A required field is empty. */
    MISSING_FIELD
}
