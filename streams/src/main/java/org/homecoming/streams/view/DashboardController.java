package org.homecoming.streams.view;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rest of what the dashboard shows besides totals: the counting application's rejections by reason (read from
 * the rejected topic, so exact across restarts of either application) and how fresh the totals are.
 */
@RestController
@RequestMapping("/api/v1")
public class DashboardController {

    private final RejectionCounts rejections;
    private final FreshnessService freshness;

    public DashboardController(RejectionCounts rejections, FreshnessService freshness) {
        this.rejections = rejections;
        this.freshness = freshness;
    }

    /** Rejected records of a period ({@code ALL}, {@code 2020}, {@code 2020-03}, {@code 2020-03-15}) by reason. */
    @GetMapping("/rejections")
    public Rejections rejections(@RequestParam(name = "period", required = false) String period) {
        return rejections.of(Period.parse(period));
    }

    /** The same as CSV, one row per reason. */
    @GetMapping(value = {"/rejections", "/rejections.csv"}, produces = CsvTable.TEXT_CSV_VALUE)
    public ResponseEntity<byte[]> rejectionsCsv(@RequestParam(name = "period", required = false) String period) {
        return rejections(period).csvResponse();
    }

    /** The newest registration counted, the newest received, and the registrations not yet counted. */
    @GetMapping("/freshness")
    public Freshness freshness() {
        return freshness.current();
    }
}
