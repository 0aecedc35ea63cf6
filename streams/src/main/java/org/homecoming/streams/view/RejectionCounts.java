package org.homecoming.streams.view;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.homecoming.events.PeriodKind;

/**
 * Rejected records counted by day and reason, as read from the rejected topic. Small: reasons times the days that
 * occur, whatever the number of records.
 */
public final class RejectionCounts {

    private final NavigableMap<LocalDate, Map<String, Long>> byDay = new TreeMap<>();
    private long records;
    private Instant newest;

    /** Counts one rejected record. */
    public synchronized void add(String reason, LocalDate day, Instant rejectedAt) {
        byDay.computeIfAbsent(day, d -> new TreeMap<>()).merge(reason, 1L, Long::sum);
        records++;
        if (newest == null || rejectedAt.isAfter(newest)) {
            newest = rejectedAt;
        }
    }

    /** Rejected records read so far, of every period. */
    public synchronized long records() {
        return records;
    }

    /** The counts of one period, most frequent reason first. */
    public synchronized Rejections of(Period period) {
        Map<LocalDate, Map<String, Long>> days = switch (period.kind()) {
            case ALL -> byDay;
            case YEAR -> byDay.subMap(period.start(), true, period.start().plusYears(1), false);
            case MONTH -> byDay.subMap(period.start(), true, period.start().plusMonths(1), false);
            case DAY -> byDay.subMap(period.start(), true, period.start(), true);
        };
        Map<String, Long> counts = new TreeMap<>();
        days.values().forEach(day -> day.forEach((reason, count) -> counts.merge(reason, count, Long::sum)));
        List<Rejections.Reason> reasons = new ArrayList<>();
        counts.forEach((reason, count) -> reasons.add(new Rejections.Reason(reason, count)));
        reasons.sort(Comparator.comparingLong(Rejections.Reason::count).reversed().thenComparing(Rejections.Reason::reason));
        long total = reasons.stream().mapToLong(Rejections.Reason::count).sum();
        PeriodKind kind = period.kind();
        return new Rejections(period.text(), kind, period.start(), total, List.copyOf(reasons), newest);
    }
}
