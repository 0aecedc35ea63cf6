package org.homecoming.streams.view;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The query API: live totals of any region and period from the view's store (interactive queries),
 * wherever in the cluster of streams instances the bucket lives.
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
}
