package org.homecoming.streams.view;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The query API: live totals of any region and period from the view's store (interactive queries),
 * wherever in the cluster of streams instances the bucket lives. Every table is also CSV, asked for with
 * {@code Accept: text/csv} or by the path ending in {@code .csv}.
 */
@RestController
@RequestMapping("/api/v1/totals")
public class TotalsController {

    private final TotalsQueryService queries;

    public TotalsController(TotalsQueryService queries) {
        this.queries = queries;
    }

    /** Every metric of a region in a period ({@code ALL}, {@code 2020}, {@code 2020-03}, {@code 2020-03-15}). */
    @GetMapping("/{regionCode}")
    public RegionTotals totals(@PathVariable String regionCode,
                               @RequestParam(name = "period", required = false) String period) {
        return queries.totals(regionCode, Period.parse(period));
    }

    /** The same for each child region, sorted by a metric (default returnees), largest first. */
    @GetMapping("/{regionCode}/children")
    public ChildrenTotals children(@PathVariable String regionCode,
                                   @RequestParam(name = "period", required = false) String period,
                                   @RequestParam(name = "sort", required = false) String sort) {
        return queries.children(regionCode, Period.parse(period), Metric.parse(sort));
    }

    /** The children as CSV, one row per child in the JSON's order. */
    @GetMapping(value = {"/{regionCode}/children", "/{regionCode}/children.csv"}, produces = CsvTable.TEXT_CSV_VALUE)
    public ResponseEntity<byte[]> childrenCsv(@PathVariable String regionCode,
                                              @RequestParam(name = "period", required = false) String period,
                                              @RequestParam(name = "sort", required = false) String sort) {
        return children(regionCode, period, sort).csvResponse();
    }

    /** A region's year day by day ({@code year} defaults to the latest year with data). */
    @GetMapping("/{regionCode}/daily")
    public DailyTotals daily(@PathVariable String regionCode,
                             @RequestParam(name = "year", required = false) String year) {
        return queries.daily(regionCode, year);
    }

    /** The days as CSV, one row per day. */
    @GetMapping(value = {"/{regionCode}/daily", "/{regionCode}/daily.csv"}, produces = CsvTable.TEXT_CSV_VALUE)
    public ResponseEntity<byte[]> dailyCsv(@PathVariable String regionCode,
                                           @RequestParam(name = "year", required = false) String year) {
        return daily(regionCode, year).csvResponse();
    }
}
