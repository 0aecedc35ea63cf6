package org.homecoming.schemas.region;

import org.homecoming.events.RegionLevel;

/**
 * One division of Shanxi from the reference data.
 *
 * @param code         official code: 6 digits down to county level, 9 digits for a township
 * @param level        place in the hierarchy; statistical functional zones sit at COUNTY level
 * @param parentCode   code of the parent division, {@code null} for the province
 * @param nameZh       Chinese name
 * @param nameEn       English name or pinyin
 * @param divisionType kind of division as published (district, county, town, subdistrict, ...)
 * @param statistical  true for the NBS functional zones that are not in GB/T 2260
 */
public record Region(String code, RegionLevel level, String parentCode, String nameZh, String nameEn,
                     String divisionType, boolean statistical) {
}
