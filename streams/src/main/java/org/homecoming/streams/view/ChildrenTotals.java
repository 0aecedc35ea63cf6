package org.homecoming.streams.view;

import java.util.List;

/**
 * A region and its direct children in one period, for drill-down.
 *
 * @param parent   the region asked for
 * @param sort     the metric the children are sorted by, largest first (ties by code)
 * @param children every child in the reference data, with zeros where nothing is stored
 */
public record ChildrenTotals(RegionTotals parent, String sort, List<RegionTotals> children) implements CsvTable {

    @Override
    public List<String> csvHeader() {
        return RegionTotals.CSV_HEADER;
    }

    @Override
    public List<List<Object>> csvRows() {
        return children.stream().map(RegionTotals::csvRow).toList();
    }

    @Override
    public String csvName() {
        return parent.regionCode() + "-children-" + parent.period();
    }
}
