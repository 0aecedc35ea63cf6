package org.homecoming.streams.view;

import java.util.Arrays;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** The metrics of a bucket, by their API names, for sorting drill-down lists. */
public enum Metric {
    RETURNEES("returnees", RegionTotals::returnees),
    EMPLOYED_NEAR_HOME("employedNearHome", RegionTotals::employedNearHome),
    BUSINESSES_STARTED("businessesStarted", RegionTotals::businessesStarted),
    GUARANTEED_LOANS_FEN("guaranteedLoansFen", RegionTotals::guaranteedLoansFen),
    JOBS_CREATED("jobsCreated", RegionTotals::jobsCreated),
    TRAINED("trained", RegionTotals::trained);

    private final String apiName;
    private final ToLongFunction<RegionTotals> value;

    Metric(String apiName, ToLongFunction<RegionTotals> value) {
        this.apiName = apiName;
        this.value = value;
    }

    /** The name in the API and JSON. */
    public String apiName() {
        return apiName;
    }

    /** This metric of some totals. */
    public long of(RegionTotals totals) {
        return value.applyAsLong(totals);
    }

    /**
     * The metric with this API name; blank means returnees.
     *
     * @throws InvalidQueryException for any other name
     */
    public static Metric parse(String name) {
        if (name == null || name.isBlank()) {
            return RETURNEES;
        }
        return Arrays.stream(values()).filter(m -> m.apiName.equals(name.trim())).findFirst()
                .orElseThrow(() -> new InvalidQueryException("sort", "'" + name + "' is not a metric; sort by one of "
                        + Arrays.stream(values()).map(Metric::apiName).collect(Collectors.joining(", "))));
    }
}
