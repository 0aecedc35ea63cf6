package org.homecoming.streams.counting;

/**
 * The six numbers kept per bucket, or a change of them. Counts of people and sums of amounts alike are
 * plain longs, so a change is the difference of two values.
 *
 * @param returnees          people counted as returnees
 * @param employedNearHome   people counted as employed at or near home
 * @param businessesStarted  people counted as business starters
 * @param guaranteedLoansFen sum of guaranteed loans, in fen
 * @param jobsCreated        sum of jobs created
 * @param trained            people counted as trained
 */
public record Metrics(long returnees, long employedNearHome, long businessesStarted, long guaranteedLoansFen,
                      long jobsCreated, long trained) {

    /** Nothing. */
    public static final Metrics ZERO = new Metrics(0, 0, 0, 0, 0, 0);

    /** The sum of two values. */
    public Metrics plus(Metrics other) {
        return new Metrics(Math.addExact(returnees, other.returnees),
                Math.addExact(employedNearHome, other.employedNearHome),
                Math.addExact(businessesStarted, other.businessesStarted),
                Math.addExact(guaranteedLoansFen, other.guaranteedLoansFen),
                Math.addExact(jobsCreated, other.jobsCreated),
                Math.addExact(trained, other.trained));
    }

    /** This value less another. */
    public Metrics minus(Metrics other) {
        return plus(other.negate());
    }

    /** The opposite change. */
    public Metrics negate() {
        return new Metrics(-returnees, -employedNearHome, -businessesStarted, -guaranteedLoansFen, -jobsCreated,
                -trained);
    }

    /** True when every number is zero. */
    public boolean isZero() {
        return equals(ZERO);
    }

    /** True when some number is below zero (never true of a bucket's total). */
    public boolean anyNegative() {
        return returnees < 0 || employedNearHome < 0 || businessesStarted < 0 || guaranteedLoansFen < 0
                || jobsCreated < 0 || trained < 0;
    }
}
