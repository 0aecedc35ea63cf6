package org.homecoming.streams.view;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.regex.Pattern;

import org.homecoming.events.PeriodKind;
import org.homecoming.streams.topology.Bucket;

/**
 * A period as the API names it: {@code ALL}, a year ({@code 2020}), a month ({@code 2020-03}) or a day
 * ({@code 2020-03-15}), in Asia/Shanghai business dates.
 *
 * @param kind  length of the period
 * @param start first day of the period ({@link Bucket#ALL_TIME_START} for ALL)
 */
public record Period(PeriodKind kind, LocalDate start) {

    /** All time. */
    public static final Period ALL = new Period(PeriodKind.ALL, Bucket.ALL_TIME_START);

    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * Parses the API form; blank means ALL.
     *
     * @throws InvalidQueryException when the text is not one of the four forms or not a real date
     */
    public static Period parse(String text) {
        if (text == null || text.isBlank() || "ALL".equals(text.trim().toUpperCase(Locale.ROOT))) {
            return ALL;
        }
        String value = text.trim();
        try {
            if (YEAR.matcher(value).matches()) {
                return new Period(PeriodKind.YEAR, LocalDate.of(Integer.parseInt(value), 1, 1));
            }
            if (MONTH.matcher(value).matches()) {
                return new Period(PeriodKind.MONTH, YearMonth.parse(value).atDay(1));
            }
            if (DAY.matcher(value).matches()) {
                return new Period(PeriodKind.DAY, LocalDate.parse(value));
            }
        } catch (DateTimeException e) {
            throw new InvalidQueryException("period", "'" + value + "' is not a real date");
        }
        throw new InvalidQueryException("period", "'" + value + "' is not ALL, a year (2020), a month (2020-03) "
                + "or a day (2020-03-15)");
    }

    /** The API form. */
    public String text() {
        return switch (kind) {
            case ALL -> "ALL";
            case YEAR -> String.valueOf(start.getYear());
            case MONTH -> YearMonth.from(start).toString();
            case DAY -> start.toString();
        };
    }

    /** The bucket of a region in this period. */
    public Bucket bucket(String regionCode) {
        return new Bucket(regionCode, kind, start);
    }
}
