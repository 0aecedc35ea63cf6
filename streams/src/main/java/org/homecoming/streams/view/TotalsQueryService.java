package org.homecoming.streams.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.topology.Bucket;

/**
 * Answers the query API from the view store: a region's totals, and its children's for drill-down
 * (province, cities, counties and functional zones, townships, as in the reference data).
 */
public class TotalsQueryService {

    private final Regions regions;
    private final TotalsLookup lookup;

    public TotalsQueryService(Regions regions, TotalsLookup lookup) {
        this.regions = regions;
        this.lookup = lookup;
    }

    /** Every metric of one region in one period. */
    public RegionTotals totals(String regionCode, Period period) {
        Region region = region(regionCode);
        Bucket bucket = period.bucket(region.code());
        return RegionTotals.of(region, period, lookup.find(List.of(bucket)).get(bucket));
    }

    /** A region and each of its children in one period, children sorted by a metric, largest first. */
    public ChildrenTotals children(String regionCode, Period period, Metric sort) {
        Region parent = region(regionCode);
        List<Region> regionsAsked = new ArrayList<>();
        regionsAsked.add(parent);
        regionsAsked.addAll(regions.children(parent.code()));
        List<RegionTotals> all = totalsOf(regionsAsked, period);
        List<RegionTotals> children = new ArrayList<>(all.subList(1, all.size()));
        children.sort(Comparator.comparingLong(sort::of).reversed().thenComparing(RegionTotals::regionCode));
        return new ChildrenTotals(all.get(0), sort.apiName(), List.copyOf(children));
    }

    /** Totals of several regions in one period, in the order given, with one lookup. */
    public List<RegionTotals> totalsOf(List<Region> asked, Period period) {
        List<Bucket> buckets = asked.stream().map(r -> period.bucket(r.code())).toList();
        Map<Bucket, StoredTotals> stored = lookup.find(buckets);
        List<RegionTotals> result = new ArrayList<>(asked.size());
        for (int i = 0; i < asked.size(); i++) {
            result.add(RegionTotals.of(asked.get(i), period, stored.get(buckets.get(i))));
        }
        return result;
    }

    /** The reference data the service answers for. */
    public Regions regions() {
        return regions;
    }

    private Region region(String code) {
        return regions.find(code).orElseThrow(() -> new UnknownRegionException(code));
    }
}
