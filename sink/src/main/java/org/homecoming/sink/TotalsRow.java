package org.homecoming.sink;

import java.time.Instant;
import java.time.LocalDate;

import org.homecoming.events.Totals;

/**
 * One row of {@code region_totals}: a bucket's absolute totals and the record they came from.
 */
record TotalsRow(String regionCode, String periodKind, LocalDate periodStart, long returnees,
                 long employedNearHome, long businessesStarted, long guaranteedLoansFen, long jobsCreated,
                 long trained, String sourceTopic, int sourcePartition, long sourceOffset, Instant updatedAt)
        implements SinkRow {

    static TotalsRow of(Totals totals, String topic, int partition, long offset) {
        return new TotalsRow(totals.getRegionCode(), totals.getPeriodKind().name(), totals.getPeriodStart(),
                totals.getReturnees(), totals.getEmployedNearHome(), totals.getBusinessesStarted(),
                totals.getGuaranteedLoansFen(), totals.getJobsCreated(), totals.getTrained(), topic, partition,
                offset, totals.getUpdatedAt());
    }

    @Override
    public Object[] values() {
        return new Object[] {regionCode, periodKind, periodStart, returnees, employedNearHome, businessesStarted,
            guaranteedLoansFen, jobsCreated, trained, sourceTopic, sourcePartition, sourceOffset, updatedAt};
    }

    /** The bucket this row is the value of. */
    String bucket() {
        return regionCode + '|' + periodKind + '|' + periodStart;
    }
}
