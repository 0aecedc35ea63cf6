package org.homecoming.streams.view;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.PeriodKind;

/**
 * What the counting application rejected in a period, by reason code. A record counts in the period of the date
 * it says it occurred on; a record too broken to read counts on the day it was rejected.
 *
 * @param period           the period, as asked
 * @param periodKind       period length
 * @param periodStart      first day of the period
 * @param total            rejected records in the period
 * @param reasons          one entry per reason with any record, most frequent first (ties by code)
 * @param newestRejectedAt when the newest rejected record read (of any period) was rejected; null before the first
 */
public record Rejections(String period, PeriodKind periodKind, LocalDate periodStart, long total, List<Reason> reasons,
                         Instant newestRejectedAt) implements CsvTable {

    /**
     * One reason and how many records had it.
     *
     * @param reason the code of the {@code homecoming.reject.reason} header ({@code UNKNOWN_TOWNSHIP}, ...)
     * @param count  records rejected with it in the period
     */
    public record Reason(String reason, long count) {
    }

    @Override
    public List<String> csvHeader() {
        return List.of("period", "reason", "count");
    }

    @Override
    public List<List<Object>> csvRows() {
        return reasons.stream().map(r -> List.<Object>of(period, r.reason(), r.count())).toList();
    }

    @Override
    public String csvName() {
        return "rejections-" + period;
    }
}
