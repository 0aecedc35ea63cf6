package org.homecoming.local.audit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What an audit found to differ from the reference model: every difference counted by where it was found, the first
 * few kept for the report in the order they were found.
 */
public final class Differences {

    /** Where a difference was found. */
    public enum Source {
        /** {@code homecoming.totals}, the newest committed value of a bucket. */
        TOTALS_TOPIC("homecoming.totals"),
        /** {@code region_totals} in PostgreSQL. */
        REGION_TOTALS("region_totals"),
        /** {@code homecoming.registrations.accepted}. */
        ACCEPTED_TOPIC("homecoming.registrations.accepted"),
        /** {@code registration_event} in PostgreSQL. */
        LEDGER("registration_event"),
        /** {@code homecoming.registrations.rejected}. */
        REJECTED_TOPIC("homecoming.registrations.rejected"),
        /** A transaction left open on an output topic. */
        OPEN_TRANSACTION("open transaction");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** How the report names it. */
        public String label() {
            return label;
        }
    }

    /**
     * One difference.
     *
     * @param source where it was found
     * @param detail what differs, without personal data (event ids and bucket names only)
     */
    public record Difference(Source source, String detail) {

        @Override
        public String toString() {
            return source.label() + " " + detail;
        }
    }

    private final int kept;
    private final List<Difference> first = new ArrayList<>();
    private final Map<Source, Integer> counts = new EnumMap<>(Source.class);

    /** Differences of which the first {@code kept} are listed. */
    public Differences(int kept) {
        this.kept = kept;
    }

    public void add(Source source, String detail) {
        counts.merge(source, 1, Integer::sum);
        if (first.size() < kept) {
            first.add(new Difference(source, detail));
        }
    }

    /** Adds every difference of another collection, as far as that one kept them, and its counts. */
    public void addAll(Differences other) {
        other.counts.forEach((source, count) -> counts.merge(source, count, Integer::sum));
        for (Difference difference : other.first) {
            if (first.size() < kept) {
                first.add(difference);
            }
        }
    }

    /** All differences found. */
    public int count() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The first ones found, at most as many as this collection keeps. */
    public List<Difference> listed() {
        return List.copyOf(first);
    }

    /** How many were found in each place. */
    public Map<Source, Integer> bySource() {
        return Map.copyOf(counts);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }
}
