package org.homecoming.local.bench;

/**
 * The six metrics of one bucket, here Shanxi province over all time: what a workload expects and what
 * PostgreSQL holds.
 *
 * @param returnees          returnees
 * @param employedNearHome   employed at or near home
 * @param businessesStarted  businesses started
 * @param guaranteedLoansFen guaranteed loans, in fen
 * @param jobsCreated        jobs created
 * @param trained            trained
 */
public record ProvinceTotals(long returnees, long employedNearHome, long businessesStarted, long guaranteedLoansFen,
                             long jobsCreated, long trained) {

    /** Nothing counted yet. */
    public static final ProvinceTotals ZERO = new ProvinceTotals(0, 0, 0, 0, 0, 0);

    /** Only returnees, every other metric zero. */
    public static ProvinceTotals returneesOnly(long returnees) {
        return new ProvinceTotals(returnees, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return String.format("returnees %,d, employed near home %,d, businesses %,d, loans %,d fen, jobs %,d, trained %,d",
                returnees, employedNearHome, businessesStarted, guaranteedLoansFen, jobsCreated, trained);
    }
}
