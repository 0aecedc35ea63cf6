package org.homecoming.streams.view;

import java.time.Instant;
import java.time.LocalDate;

import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.streams.topology.Bucket;

/**
 * The totals of one bucket as the view store holds them; also the body instances forward to each other.
 *
 * @param regionCode         region
 * @param periodKind         period length
 * @param periodStart        first day of the period
 * @param returnees          returnees
 * @param employedNearHome   employed at or near home
 * @param businessesStarted  businesses started
 * @param guaranteedLoansFen guaranteed loans in fen
 * @param jobsCreated        jobs created
 * @param trained            trained
 * @param updatedAt          last change by the counting application
 */
public record StoredTotals(String regionCode, PeriodKind periodKind, LocalDate periodStart, long returnees,
                           long employedNearHome, long businessesStarted, long guaranteedLoansFen, long jobsCreated,
                           long trained, Instant updatedAt) {

    /** From the totals-topic value. */
    public static StoredTotals of(Totals totals) {
        return new StoredTotals(totals.getRegionCode(), totals.getPeriodKind(), totals.getPeriodStart(),
                totals.getReturnees(), totals.getEmployedNearHome(), totals.getBusinessesStarted(),
                totals.getGuaranteedLoansFen(), totals.getJobsCreated(), totals.getTrained(), totals.getUpdatedAt());
    }

    /** The bucket these totals belong to. */
    public Bucket bucket() {
        return new Bucket(regionCode, periodKind, periodStart);
    }
}
