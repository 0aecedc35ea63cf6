package org.homecoming.schemas.region;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.homecoming.events.RegionLevel;

/**
 * The Shanxi reference data ({@code shanxi-divisions.csv}: the province, 11 cities, 117 counties,
 * 4 statistical functional zones and 1,352 townships) with the lookups the pipeline needs.
 * Immutable and safe to share; load it once with {@link #shanxi()}.
 */
public final class Regions {

    /** Classpath location of the reference data. */
    public static final String RESOURCE = "/org/homecoming/schemas/shanxi-divisions.csv";
    /** Code of Shanxi province. */
    public static final String PROVINCE_CODE = "140000";

    private static final class Holder {
        private static final Regions SHANXI = load();
    }

    private final Map<String, Region> byCode;
    private final Map<String, List<Region>> children;
    private final Map<String, String[]> lineages;

    private Regions(Map<String, Region> byCode) {
        this.byCode = Collections.unmodifiableMap(byCode);
        Map<String, List<Region>> kids = new LinkedHashMap<>();
        for (Region region : byCode.values()) {
            if (region.parentCode() != null) {
                kids.computeIfAbsent(region.parentCode(), k -> new ArrayList<>()).add(region);
            }
        }
        kids.replaceAll((code, list) -> List.copyOf(list));
        this.children = Collections.unmodifiableMap(kids);
        Map<String, String[]> lines = new LinkedHashMap<>();
        for (Region region : byCode.values()) {
            if (region.level() == RegionLevel.TOWNSHIP) {
                lines.put(region.code(), computeLineage(region));
            }
        }
        this.lineages = Collections.unmodifiableMap(lines);
    }

    /** The Shanxi reference data shipped with this module, loaded once. */
    public static Regions shanxi() {
        return Holder.SHANXI;
    }

    private static Regions load() {
        try (InputStream in = Regions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Reference data missing from the classpath: " + RESOURCE);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** Parses reference data in the CSV layout of {@code shanxi-divisions.csv}. */
    public static Regions parse(InputStream csv) throws IOException {
        Map<String, Region> byCode = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null || !header.startsWith("level,code,parent_code,")) {
                throw new IllegalArgumentException("Not the divisions CSV: header is " + header);
            }
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 8) {
                    throw new IllegalArgumentException("Line " + lineNo + ": expected 8 fields, found " + f.length);
                }
                Region region = new Region(f[1], level(f[0], lineNo), f[2].isEmpty() ? null : f[2], f[3], f[4],
                        f[5], "N".equals(f[7]));
                if (byCode.put(region.code(), region) != null) {
                    throw new IllegalArgumentException("Line " + lineNo + ": duplicate code " + region.code());
                }
            }
        }
        for (Region region : byCode.values()) {
            if (region.parentCode() != null && !byCode.containsKey(region.parentCode())) {
                throw new IllegalArgumentException("Region " + region.code() + " has unknown parent " + region.parentCode());
            }
        }
        return new Regions(byCode);
    }

    private static RegionLevel level(String csvLevel, int lineNo) {
        return switch (csvLevel) {
            case "province" -> RegionLevel.PROVINCE;
            case "prefecture" -> RegionLevel.CITY;
            case "county", "county_functional_zone" -> RegionLevel.COUNTY;
            case "township" -> RegionLevel.TOWNSHIP;
            default -> throw new IllegalArgumentException("Line " + lineNo + ": unknown level " + csvLevel);
        };
    }

    private String[] computeLineage(Region township) {
        Region county = byCode.get(township.parentCode());
        Region city = byCode.get(county.parentCode());
        Region province = byCode.get(city.parentCode());
        if (county.level() != RegionLevel.COUNTY || city.level() != RegionLevel.CITY
                || province.level() != RegionLevel.PROVINCE) {
            throw new IllegalArgumentException("Township " + township.code() + " is not under county, city, province");
        }
        return new String[] {township.code(), county.code(), city.code(), province.code()};
    }

    /** The region with this code, if any. */
    public Optional<Region> find(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    /** True when the code names a township (town, township, subdistrict or other township-level unit). */
    public boolean isTownship(String code) {
        return code != null && lineages.containsKey(code);
    }

    /**
     * Codes of a township and its ancestors, in the order township, county, city, province.
     * The returned array is a fresh copy.
     *
     * @throws IllegalArgumentException when the code is not a township
     */
    public String[] lineage(String townshipCode) {
        String[] lineage = lineages.get(townshipCode);
        if (lineage == null) {
            throw new IllegalArgumentException("Not a township code: " + townshipCode);
        }
        return lineage.clone();
    }

    /** The county (or functional zone) of a township. */
    public Region countyOf(String townshipCode) {
        return byCode.get(lineage(townshipCode)[1]);
    }

    /** The city of a township. */
    public Region cityOf(String townshipCode) {
        return byCode.get(lineage(townshipCode)[2]);
    }

    /** The province of a township. */
    public Region provinceOf(String townshipCode) {
        return byCode.get(lineage(townshipCode)[3]);
    }

    /** The direct children of a region, in reference-data order; empty for a township. */
    public List<Region> children(String code) {
        return children.getOrDefault(code, List.of());
    }

    /** Every region of one level, in reference-data order. */
    public List<Region> atLevel(RegionLevel level) {
        return byCode.values().stream().filter(r -> r.level() == level).toList();
    }

    /** Every region, in reference-data order. */
    public Collection<Region> all() {
        return byCode.values();
    }

    /** Number of regions. */
    public int size() {
        return byCode.size();
    }
}
