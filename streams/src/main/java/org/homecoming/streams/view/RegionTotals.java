package org.homecoming.streams.view;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegionLevel;
import org.homecoming.schemas.region.Region;

/**
 * Every metric of one region in one period, as the API answers it. A region without data in the period
 * has zeros and no {@code updatedAt}.
 *
 * @param regionCode         region code
 * @param level              PROVINCE, CITY, COUNTY (functional zones included) or TOWNSHIP
 * @param parentCode         the parent region, null for the province
 * @param nameZh             Chinese name from the reference data
 * @param nameEn             English name or pinyin from the reference data
 * @param period             the period as asked ({@code ALL}, {@code 2020}, {@code 2020-03}, {@code 2020-03-15})
 * @param periodKind         period length
 * @param periodStart        first day of the period
 * @param returnees          returnees
 * @param employedNearHome   employed at or near home
 * @param businessesStarted  businesses started
 * @param guaranteedLoansFen guaranteed loans in fen (1 yuan = 100 fen)
 * @param jobsCreated        jobs created
 * @param trained            trained
 * @param updatedAt          when the counting application last changed this bucket; null without data
 */
public record RegionTotals(String regionCode, RegionLevel level, String parentCode, String nameZh, String nameEn,
                           String period, PeriodKind periodKind, LocalDate periodStart, long returnees,
                           long employedNearHome, long businessesStarted, long guaranteedLoansFen, long jobsCreated,
                           long trained, Instant updatedAt) {

    /** CSV columns of a row of totals: the JSON fields, and the loans in 万元 beside the exact fen. */
    static final List<String> CSV_HEADER = List.of("regionCode", "level", "parentCode", "nameZh", "nameEn", "period",
            "returnees", "employedNearHome", "businessesStarted", "guaranteedLoansFen", "guaranteedLoansWanYuan",
            "jobsCreated", "trained", "updatedAt");

    /** This row's cells, in {@link #CSV_HEADER} order. */
    List<Object> csvRow() {
        return Arrays.asList(regionCode, level, parentCode, nameZh, nameEn, period, returnees, employedNearHome,
                businessesStarted, guaranteedLoansFen, CsvTable.wanYuan(guaranteedLoansFen), jobsCreated, trained,
                updatedAt);
    }

    /** The totals of a region, zeros when nothing is stored yet. */
    public static RegionTotals of(Region region, Period period, StoredTotals stored) {
        if (stored == null) {
            return new RegionTotals(region.code(), region.level(), region.parentCode(), region.nameZh(),
                    region.nameEn(), period.text(), period.kind(), period.start(), 0, 0, 0, 0, 0, 0, null);
        }
        return new RegionTotals(region.code(), region.level(), region.parentCode(), region.nameZh(), region.nameEn(),
                period.text(), period.kind(), period.start(), stored.returnees(), stored.employedNearHome(),
                stored.businessesStarted(), stored.guaranteedLoansFen(), stored.jobsCreated(), stored.trained(),
                stored.updatedAt());
    }
}
