package org.homecoming.streams.view;

import java.time.DateTimeException;
import java.util.List;

import org.homecoming.streams.topology.Bucket;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoint instances forward queries to: answers only from this instance's own store, and refuses
 * (503) a bucket it does not own, so a query never reads a store a rebalance has moved away.
 */
@RestController
public class InternalTotalsController {

    private final StreamsTotalsLookup lookup;

    public InternalTotalsController(StreamsTotalsLookup lookup) {
        this.lookup = lookup;
    }

    /** The instances of the view application and the totals-topic partitions each one serves. */
    @GetMapping("/internal/v1/instances")
    public List<ViewInstance> instances() {
        return lookup.instances();
    }

    /** Stored totals of the buckets ({@code 140000|MONTH|2020-03-01}) that have any. */
    @GetMapping(TotalsForwarder.INTERNAL_PATH)
    public List<StoredTotals> local(@RequestParam(name = "bucket") List<String> buckets) {
        List<Bucket> parsed = buckets.stream().map(InternalTotalsController::bucket).toList();
        return lookup.findLocal(parsed);
    }

    private static Bucket bucket(String text) {
        try {
            return Bucket.parse(text);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new InvalidQueryException("bucket", "'" + text + "' is not a bucket (code|KIND|yyyy-mm-dd)");
        }
    }
}
