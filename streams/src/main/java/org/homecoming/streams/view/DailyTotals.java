package org.homecoming.streams.view;

import java.time.LocalDate;
import java.util.List;

/**
 * One region's year day by day: a point for every day of the year, zeros where nothing is stored.
 *
 * @param region the region's totals for the whole year
 * @param year   the year
 * @param days   one entry per day, 1 January first
 */
public record DailyTotals(RegionTotals region, int year, List<Day> days) implements CsvTable {

    /**
     * The totals of one day's bucket.
     *
     * @param date               the day (Asia/Shanghai business date)
     * @param returnees          returnees counted on the day
     * @param employedNearHome   employed near home on the day
     * @param businessesStarted  businesses started on the day
     * @param guaranteedLoansFen guaranteed loans in fen
     * @param jobsCreated        jobs created
     * @param trained            trained on the day
     */
    public record Day(LocalDate date, long returnees, long employedNearHome, long businessesStarted,
                      long guaranteedLoansFen, long jobsCreated, long trained) {

        static Day of(RegionTotals totals) {
            return new Day(totals.periodStart(), totals.returnees(), totals.employedNearHome(),
                    totals.businessesStarted(), totals.guaranteedLoansFen(), totals.jobsCreated(), totals.trained());
        }
    }

    @Override
    public List<String> csvHeader() {
        return List.of("date", "returnees", "employedNearHome", "businessesStarted", "guaranteedLoansFen",
                "guaranteedLoansWanYuan", "jobsCreated", "trained");
    }

    @Override
    public List<List<Object>> csvRows() {
        return days.stream().map(d -> List.<Object>of(d.date(), d.returnees(), d.employedNearHome(),
                d.businessesStarted(), d.guaranteedLoansFen(), CsvTable.wanYuan(d.guaranteedLoansFen()), d.jobsCreated(),
                d.trained())).toList();
    }

    @Override
    public String csvName() {
        return region.regionCode() + "-daily-" + year;
    }
}
