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

    // The packed form: region code (at most nine digits) above two bits of period kind above 20 bits of
    // epoch day. A fixed-width long hashes and compares without parsing, in memory, in the stores and as
    // the repartition key of the two-phase totals (docs/counting-rules.md, "How the totals are computed").
    private static final int DAY_BITS = 20;
    private static final int KIND_BITS = 2;

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

    public long packed() {
        long code = parseCode(regionCode);
        long day = periodStart.toEpochDay();
        if (day < 0 || day >= 1L << DAY_BITS) {
            throw new IllegalArgumentException("Period start out of range: " + periodStart);
        }
        return code << (KIND_BITS + DAY_BITS) | (long) kindBits(periodKind) << DAY_BITS | day;
    }

    public static Bucket unpacked(long packed) {
        return new Bucket(Long.toString(packedCode(packed)), packedKind(packed), packedStart(packed));
    }

    /** The region code of a packed bucket, as a number. */
    public static long packedCode(long packed) {
        return packed >>> (KIND_BITS + DAY_BITS);
    }

    public static PeriodKind packedKind(long packed) {
        return kindOf((int) (packed >>> DAY_BITS) & ((1 << KIND_BITS) - 1));
    }

    public static LocalDate packedStart(long packed) {
        return LocalDate.ofEpochDay(packed & ((1L << DAY_BITS) - 1));
    }

    /** The number a region code packs into: the code read as a decimal number. */
    public static long packedCode(String regionCode) {
        return parseCode(regionCode);
    }

    private static long parseCode(String code) {
        // Only codes that print back the same way pack: digits without a leading zero (GB/T 2260 codes).
        if (code.isEmpty() || code.length() > 9 || code.charAt(0) == '0') {
            throw new IllegalArgumentException("Not a packable region code: " + code);
        }
        long value = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("Not a packable region code: " + code);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    // Fixed numbers rather than ordinal(): the packed form is stored, so it must not follow the schema's order.
    private static int kindBits(PeriodKind kind) {
        return switch (kind) {
            case ALL -> 0;
            case YEAR -> 1;
            case MONTH -> 2;
            case DAY -> 3;
        };
    }

    private static PeriodKind kindOf(int bits) {
        return switch (bits) {
            case 0 -> PeriodKind.ALL;
            case 1 -> PeriodKind.YEAR;
            case 2 -> PeriodKind.MONTH;
            default -> PeriodKind.DAY;
        };
    }

    /** The totals-topic key of this bucket. */
    public TotalsKey toKey() {
        return new TotalsKey(regionCode, periodKind, periodStart);
    }
}
