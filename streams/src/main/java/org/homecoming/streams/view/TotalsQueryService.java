package org.homecoming.streams.view;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.homecoming.events.PeriodKind;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.Policy;
import org.homecoming.streams.topology.Bucket;

/**
 * Answers the query API from the view store: a region's totals, and its children's for drill-down
 * (province, cities, counties and functional zones, townships, as in the reference data).
 */
public class TotalsQueryService {

    /**
     * Most buckets in one lookup: a lookup forwarded to another instance names every bucket in its URL, and 100
     * of them stay well within a server's 8 KB request line.
     */
    static final int MAX_BUCKETS_PER_LOOKUP = 100;
    private static final Pattern YEAR = Pattern.compile("\\d{4}");

    private final Regions regions;
    private final TotalsLookup lookup;
    private final Clock clock;

    public TotalsQueryService(Regions regions, TotalsLookup lookup) {
        this(regions, lookup, Clock.systemUTC());
    }

    public TotalsQueryService(Regions regions, TotalsLookup lookup, Clock clock) {
        this.regions = regions;
        this.lookup = lookup;
        this.clock = clock;
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

    /**
     * A region's year day by day, from its {@code DAY} buckets: one point for every day of the year.
     *
     * @param yearText a year ({@code 2020}); blank means the latest year with data, this year when there is none
     * @throws InvalidQueryException when the year is not four digits or lies before the earliest date the rules accept
     */
    public DailyTotals daily(String regionCode, String yearText) {
        Region region = region(regionCode);
        int year = yearText == null || yearText.isBlank() ? latestYearWithData(region) : year(yearText.trim());
        LocalDate first = LocalDate.of(year, 1, 1);
        List<Bucket> buckets = new ArrayList<>();
        for (LocalDate day = first; day.getYear() == year; day = day.plusDays(1)) {
            buckets.add(new Bucket(region.code(), PeriodKind.DAY, day));
        }
        Map<Bucket, StoredTotals> stored = new HashMap<>();
        for (int from = 0; from < buckets.size(); from += MAX_BUCKETS_PER_LOOKUP) {
            stored.putAll(lookup.find(buckets.subList(from, Math.min(buckets.size(), from + MAX_BUCKETS_PER_LOOKUP))));
        }
        List<DailyTotals.Day> days = new ArrayList<>(buckets.size());
        for (Bucket bucket : buckets) {
            Period day = new Period(PeriodKind.DAY, bucket.periodStart());
            days.add(DailyTotals.Day.of(RegionTotals.of(region, day, stored.get(bucket))));
        }
        return new DailyTotals(totals(region.code(), new Period(PeriodKind.YEAR, first)), year, List.copyOf(days));
    }

    private static int year(String text) {
        if (!YEAR.matcher(text).matches()) {
            throw new InvalidQueryException("year", "'" + text + "' is not a year (2020)");
        }
        int year = Integer.parseInt(text);
        if (year < Policy.EARLIEST_DATE.getYear()) {
            throw new InvalidQueryException("year", "'" + text + "' is before " + Policy.EARLIEST_DATE.getYear()
                    + ", the first year a registration may be dated in");
        }
        return year;
    }

    /** The newest year whose bucket holds anything, from this year back to the first year the rules accept. */
    private int latestYearWithData(Region region) {
        int thisYear = LocalDate.now(clock.withZone(Policy.ZONE)).getYear();
        List<Bucket> years = new ArrayList<>();
        for (int year = thisYear; year >= Policy.EARLIEST_DATE.getYear(); year--) {
            years.add(new Bucket(region.code(), PeriodKind.YEAR, LocalDate.of(year, 1, 1)));
        }
        Map<Bucket, StoredTotals> stored = lookup.find(years);
        return years.stream().filter(stored::containsKey).findFirst().orElse(years.get(0)).periodStart().getYear();
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
