package org.homecoming.streams.counting;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;

/**
 * The kind of an accepted event, as the counting rules see it. The ordinal is stored in the person ledger:
 * append new kinds at the end only.
 */
public enum EntryKind {
    /** {@code ReturneeRegistered}. */
    RETURNEE,
    /** {@code EmploymentNearHomeRecorded}. */
    EMPLOYMENT,
    /** {@code BusinessStarted}. */
    BUSINESS,
    /** {@code TrainingCompleted}. */
    TRAINING,
    /** {@code RegistrationRetracted}. */
    RETRACTION;

    /** The kind of an event payload. */
    public static EntryKind of(Object payload) {
        if (payload instanceof ReturneeRegistered) {
            return RETURNEE;
        } else if (payload instanceof EmploymentNearHomeRecorded) {
            return EMPLOYMENT;
        } else if (payload instanceof BusinessStarted) {
            return BUSINESS;
        } else if (payload instanceof TrainingCompleted) {
            return TRAINING;
        } else if (payload instanceof RegistrationRetracted) {
            return RETRACTION;
        }
        throw new IllegalArgumentException("Unknown payload type: "
                + (payload == null ? "null" : payload.getClass().getName()));
    }
}
