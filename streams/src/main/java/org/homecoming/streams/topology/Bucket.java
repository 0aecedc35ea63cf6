package org.homecoming.streams.topology;

import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.PeriodKind;
import org.homecoming.events.TotalsKey;

/**
 * One totals bucket: a region and a period. Inside the topology a bucket travels as compact text
 * ({@code 140000|MONTH|2020-03-01}) so repartition topics and stores need no schema registry.
 *
 * @param regionCode  region code
 * @param periodKind  length of the period
 * @param periodStart first day of the period; {@link #ALL_TIME_START} for ALL
 */
public record Bucket(String regionCode, PeriodKind periodKind, LocalDate periodStart) {

    /** The period start recorded for the all-time bucket. */
    public static final LocalDate ALL_TIME_START = LocalDate.EPOCH;

    /** The four buckets of one region that a fact on this date counts in: all time, year, month and day. */
    public static List<Bucket> periodsOf(String regionCode, LocalDate date) {
        return List.of(
                new Bucket(regionCode, PeriodKind.ALL, ALL_TIME_START),
                new Bucket(regionCode, PeriodKind.YEAR, date.withDayOfYear(1)),
                new Bucket(regionCode, PeriodKind.MONTH, date.withDayOfMonth(1)),
                new Bucket(regionCode, PeriodKind.DAY, date));
    }

    /** Parses the text form. */
    public static Bucket parse(String text) {
        String[] parts = text.split("\\|", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a bucket: " + text);
        }
        return new Bucket(parts[0], PeriodKind.valueOf(parts[1]), LocalDate.parse(parts[2]));
    }

    /** The bucket of a totals-topic key. */
    public static Bucket of(TotalsKey key) {
        return new Bucket(key.getRegionCode(), key.getPeriodKind(), key.getPeriodStart());
    }

    /** The text form. */
    public String text() {
        return regionCode + '|' + periodKind.name() + '|' + periodStart;
    }

    /** The totals-topic key of this bucket. */
    public TotalsKey toKey() {
        return new TotalsKey(regionCode, periodKind, periodStart);
    }
}
