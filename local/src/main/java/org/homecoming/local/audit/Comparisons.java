package org.homecoming.local.audit;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.local.audit.AuditReport.ReasonCount;
import org.homecoming.local.audit.Differences.Source;
import org.homecoming.schemas.Topics;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;

/** How the audit holds each output against the reference model; each difference found goes to a {@link Differences}. */
final class Comparisons {

    private static final String[] METRICS = {"returnees", "employedNearHome", "businessesStarted", "guaranteedLoansFen",
        "jobsCreated", "trained"};

    /**
     * A row of {@code registration_event}, as far as the audit checks it.
     *
     * @param eventId      the event id
     * @param personRef    the pseudonymous person
     * @param eventType    the payload's record name
     * @param townshipCode township
     * @param occurredOn   business date
     * @param retracted    whether a retraction took it back
     */
    record LedgerRow(UUID eventId, String personRef, String eventType, String townshipCode, LocalDate occurredOn,
                     boolean retracted) {
    }

    private Comparisons() {
    }

    /**
     * Every bucket that either side counts in (a missing bucket, or one the topic keeps as zeros, counting as zeros);
     * returns how many buckets were compared.
     */
    static int buckets(Source source, Map<Bucket, Metrics> expected, Map<Bucket, Metrics> actual, Differences out) {
        BucketStream stream = new BucketStream(source, new HashMap<>(expected));
        actual.forEach(stream::row);
        return stream.finish(out);
    }

    /**
     * Compares rows as they stream in with the model's buckets, taking each row's bucket out of {@code expected}
     * (which it empties); {@link #finish} then counts what is left as missing.
     */
    static final class BucketStream {

        private final Source source;
        private final Map<Bucket, Metrics> expected;
        private final Map<Bucket, Metrics[]> differing = new HashMap<>();
        private int compared;
        private int rows;

        BucketStream(Source source, Map<Bucket, Metrics> expected) {
            this.source = source;
            this.expected = expected;
        }

        void row(Bucket bucket, Metrics found) {
            rows++;
            Metrics want = expected.remove(bucket);
            want = want == null ? Metrics.ZERO : want;
            if (!want.isZero() || !found.isZero()) {
                compared++;
                if (!want.equals(found)) {
                    differing.put(bucket, new Metrics[] {want, found});
                }
            }
        }

        int rows() {
            return rows;
        }

        /** Adds the differences in bucket order; returns how many buckets were compared. */
        int finish(Differences out) {
            expected.forEach((bucket, want) -> {
                if (!want.isZero()) {
                    compared++;
                    differing.put(bucket, new Metrics[] {want, Metrics.ZERO});
                }
            });
            differing.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(Bucket::text)))
                    .forEach(e -> out.add(source, e.getKey().text() + ": " + describe(e.getValue()[0], e.getValue()[1])));
            return compared;
        }
    }

    /** The metrics that differ: {@code returnees 120 (oracle 121)}. */
    static String describe(Metrics want, Metrics got) {
        long[] w = values(want);
        long[] g = values(got);
        StringBuilder text = new StringBuilder();
        for (int m = 0; m < METRICS.length; m++) {
            if (w[m] != g[m]) {
                text.append(text.isEmpty() ? "" : ", ").append(METRICS[m]).append(' ').append(g[m])
                        .append(" (oracle ").append(w[m]).append(')');
            }
        }
        return text.toString();
    }

    private static long[] values(Metrics m) {
        return new long[] {m.returnees(), m.employedNearHome(), m.businessesStarted(), m.guaranteedLoansFen(),
            m.jobsCreated(), m.trained()};
    }

    /** The accepted topic holds each event the model accepted once, in the bytes it arrived in, and nothing else. */
    static void acceptedTopic(Map<UUID, Recount.Accepted> expected, Map<UUID, Outputs.Copies> strays, Differences out) {
        for (Map.Entry<UUID, Recount.Accepted> entry : expected.entrySet()) {
            Recount.Accepted event = entry.getValue();
            if (event.copies == 0) {
                out.add(Source.ACCEPTED_TOPIC, "event " + entry.getKey() + " is missing");
            } else if (event.copies > 1) {
                out.add(Source.ACCEPTED_TOPIC, "event " + entry.getKey() + " is there " + event.copies + " times");
            } else if (event.copyHash != event.valueHash) {
                out.add(Source.ACCEPTED_TOPIC, "event " + entry.getKey() + " differs from the bytes it arrived in");
            }
        }
        strays.keySet().stream().sorted().forEach(id ->
                out.add(Source.ACCEPTED_TOPIC, "event " + id + " is there, but the oracle did not accept it"));
    }

    /**
     * Checks one ledger row against the model's accepted event ({@code null} when it accepted none of that id), and
     * marks the event as in the ledger.
     */
    static void ledgerRow(LedgerRow row, Recount.Accepted expected, boolean retracted, Differences out) {
        if (expected == null) {
            out.add(Source.LEDGER, "event " + row.eventId() + " is there, but the oracle did not accept it");
            return;
        }
        expected.inLedger = true;
        RegistrationEvent event = expected.event;
        boolean same = row.personRef().equals(event.getPersonRef())
                && row.eventType().equals(event.getPayload().getClass().getSimpleName())
                && row.townshipCode().equals(event.getTownshipCode())
                && row.occurredOn().equals(event.getOccurredOn());
        if (!same) {
            out.add(Source.LEDGER, "event " + row.eventId() + " differs from the accepted event");
        } else if (row.retracted() != retracted) {
            out.add(Source.LEDGER, "event " + row.eventId() + (retracted ? " is not marked retracted"
                    : " is marked retracted, but no accepted retraction targets it"));
        }
    }

    /** Events the model accepted that no ledger row of the snapshot marked. */
    static void ledgerMissing(Map<UUID, Recount.Accepted> expected, Differences out) {
        expected.entrySet().stream().filter(e -> !e.getValue().inLedger).map(Map.Entry::getKey).sorted()
                .forEach(id -> out.add(Source.LEDGER, "event " + id + " is missing"));
    }

    /**
     * The rejected topic holds one record for each record the model rejected, with the model's reason, and none
     * for a record it accepted or found a duplicate. Rejections of records past the audited ends (the application
     * went on while the audit read) are left out. When retention has deleted the topic's oldest records
     * ({@code complete} false: it keeps 90 days) a rejection the topic lacks is no difference. Returns the counts by
     * reason.
     */
    static SortedMap<String, ReasonCount> rejected(Map<Long, String> expected, Map<Long, String> found,
                                                    Map<Integer, Long> auditedEnds, boolean complete, Differences out) {
        SortedMap<String, long[]> counts = new TreeMap<>();
        String topic = Topics.REGISTRATIONS.name();
        for (Map.Entry<Long, String> entry : new TreeMap<>(expected).entrySet()) {
            counts.computeIfAbsent(entry.getValue(), r -> new long[2])[0]++;
            String reason = found.get(entry.getKey());
            if (reason == null && complete) {
                out.add(Source.REJECTED_TOPIC, Recount.describePosition(topic, entry.getKey())
                        + " is missing (oracle: " + entry.getValue() + ")");
            } else if (reason != null && !reason.equals(entry.getValue())) {
                out.add(Source.REJECTED_TOPIC, Recount.describePosition(topic, entry.getKey()) + " rejected as "
                        + reason + " (oracle: " + entry.getValue() + ")");
            }
        }
        Set<Long> extra = new HashSet<>();
        for (Map.Entry<Long, String> entry : found.entrySet()) {
            long position = entry.getKey();
            if (Recount.offsetOf(position) < auditedEnds.getOrDefault(Recount.partitionOf(position), 0L)) {
                counts.computeIfAbsent(entry.getValue(), r -> new long[2])[1]++;
                if (!expected.containsKey(position)) {
                    extra.add(position);
                }
            }
        }
        new TreeSet<>(extra).forEach(position -> out.add(Source.REJECTED_TOPIC, Recount.describePosition(topic, position)
                + " rejected as " + found.get(position) + ", but the oracle did not reject it"));
        SortedMap<String, ReasonCount> result = new TreeMap<>();
        counts.forEach((reason, c) -> result.put(reason, new ReasonCount(c[0], c[1])));
        return result;
    }

    /**
     * An output partition whose read_committed end lies before its read_uncommitted end has a transaction open. The
     * uncommitted end is read first, so a transaction committed in between cannot pass for an open one.
     */
    static void openTransaction(String partition, long committedEnd, long uncommittedEnd, Differences out) {
        if (committedEnd < uncommittedEnd) {
            out.add(Source.OPEN_TRANSACTION, partition + ": read_committed ends at " + committedEnd
                    + ", read_uncommitted at " + uncommittedEnd);
        }
    }
}
