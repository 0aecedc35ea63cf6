package org.homecoming.streams.view;

import java.util.List;

/**
 * What the push stream sends: the province and its 11 cities in one period.
 *
 * @param period   the period, as asked
 * @param province the province's totals
 * @param cities   each city's totals, in reference-data order
 */
public record PushSnapshot(String period, RegionTotals province, List<RegionTotals> cities) {
}
