package org.homecoming.local.audit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * What an audit found: how much it read and compared, the rejections by reason on both sides, and every difference.
 *
 * @param applicationId        the counting application audited
 * @param inputRecords         records of the registrations topic recounted, up to the group's committed offsets
 * @param behind               records of the registrations topic past those offsets (not counted yet)
 * @param accepted             events the reference model accepted
 * @param duplicates           records it found to be duplicates
 * @param rejected             records it rejected
 * @param bucketsCompared      buckets compared with the totals topic and with {@code region_totals}
 * @param totalsRecords        records read from the totals topic
 * @param tableRows            rows of {@code region_totals}
 * @param acceptedTopicRecords records read from the accepted topic
 * @param ledgerRows           rows of {@code registration_event}
 * @param rejectedByReason     rejections by reason code, by the model and in the rejected topic
 * @param rejectedComplete     whether the rejected topic still holds its first records (it keeps 90 days)
 * @param partitionsChecked    output partitions checked for open transactions
 * @param differences          every difference
 * @param attempt              the attempt this report is of
 * @param quiet                whether the counting group committed nothing while the attempt ran
 * @param inputTime            time spent reading and recounting the registrations topic, over all attempts
 * @param elapsed              time of the whole audit
 */
public record AuditReport(String applicationId, long inputRecords, long behind, long accepted, long duplicates,
                          long rejected, int bucketsCompared, long totalsRecords, int tableRows, long acceptedTopicRecords,
                          long ledgerRows, SortedMap<String, ReasonCount> rejectedByReason, boolean rejectedComplete,
                          int partitionsChecked,
                          Differences differences, int attempt, boolean quiet, Duration inputTime, Duration elapsed) {

    /** Exit code: everything agrees. */
    public static final int AGREES = 0;
    /** Exit code: something differs. */
    public static final int DIFFERS = 1;
    /** Exit code: the audit could not run. */
    public static final int CANNOT_RUN = 2;

    /**
     * Rejections of one reason.
     *
     * @param oracle by the reference model
     * @param topic  in the rejected topic
     */
    public record ReasonCount(long oracle, long topic) {
    }

    public boolean isClean() {
        return differences.isEmpty();
    }

    public int exitCode() {
        return isClean() ? AGREES : DIFFERS;
    }

    /** Records of the registrations topic recounted per second. */
    public double inputRate() {
        double seconds = inputTime.toNanos() / 1e9;
        return seconds == 0 ? 0 : inputRecords / seconds;
    }

    /** The short report of {@code ./homecoming audit}. */
    public void print(PrintStream out) {
        out.printf("Input:        %,d records of homecoming.registrations up to the committed offsets of %s"
                + " (%,d more not counted yet)%n", inputRecords, applicationId, behind);
        out.printf("Oracle:       %,d accepted, %,d duplicates, %,d rejected%n", accepted, duplicates, rejected);
        out.printf("Buckets:      %,d compared with homecoming.totals (%,d records read) and region_totals (%,d rows)%n",
                bucketsCompared, totalsRecords, tableRows);
        out.printf("Accepted:     %,d records in homecoming.registrations.accepted, %,d rows in registration_event%n",
                acceptedTopicRecords, ledgerRows);
        out.printf("Rejected:     %-26s %10s %10s%n", "reason", "oracle", "topic");
        rejectedByReason.forEach((reason, count) -> out.printf("              %-26s %,10d %,10d%s%n", reason,
                count.oracle(), count.topic(), count.oracle() == count.topic() ? "" : "  differs"));
        if (!rejectedComplete) {
            out.println("              (retention has deleted the oldest rejections: the topic may hold fewer)");
        }
        out.printf("Transactions: %d output partitions checked; read_committed and read_uncommitted ends %s%n",
                partitionsChecked, differences.bySource().containsKey(Differences.Source.OPEN_TRANSACTION)
                        ? "differ" : "agree");
        out.printf("Time:         %.1f s; the input read and recounted at %,.0f records/s; attempt %d%s%n",
                elapsed.toMillis() / 1000.0, inputRate(), attempt, quiet ? "" : " (the counting group committed "
                        + "more while it ran: the pipeline was not idle)");
        for (Differences.Difference difference : differences.listed()) {
            out.println("DIFF " + difference);
        }
        if (isClean()) {
            out.printf("OK: all %,d buckets, %,d accepted events and %,d rejections agree with the reference model%n",
                    bucketsCompared, accepted, rejected);
        } else {
            out.printf("DIFFERENCES: %,d (%s)%s%n", differences.count(), summary(differences.bySource()),
                    differences.count() > differences.listed().size()
                            ? "; the first " + differences.listed().size() + " are listed" : "");
        }
    }

    private static String summary(Map<Differences.Source, Integer> bySource) {
        return bySource.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", "));
    }
}
