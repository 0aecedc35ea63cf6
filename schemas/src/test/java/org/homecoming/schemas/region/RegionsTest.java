package org.homecoming.schemas.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.homecoming.events.RegionLevel;
import org.junit.jupiter.api.Test;

class RegionsTest {

    private final Regions regions = Regions.shanxi();

    @Test
    void the_reference_data_holds_all_1485_divisions_of_shanxi() {
        assertThat(regions.size()).isEqualTo(1485);
        assertThat(regions.atLevel(RegionLevel.PROVINCE)).hasSize(1);
        assertThat(regions.atLevel(RegionLevel.CITY)).hasSize(11);
        assertThat(regions.atLevel(RegionLevel.COUNTY)).hasSize(117 + 4);
        assertThat(regions.atLevel(RegionLevel.TOWNSHIP)).hasSize(1352);
    }

    @Test
    void a_township_rolls_up_to_its_county_city_and_province() {
        String township = regions.children("140521").get(0).code();

        assertThat(regions.lineage(township)).containsExactly(township, "140521", "140500", "140000");
        assertThat(regions.countyOf(township).nameZh()).isEqualTo("沁水县");
        assertThat(regions.cityOf(township).nameEn()).isEqualTo("Jincheng City");
        assertThat(regions.provinceOf(township).code()).isEqualTo(Regions.PROVINCE_CODE);
    }

    @Test
    void a_township_in_a_statistical_functional_zone_rolls_up_through_the_zone() {
        assertThat(regions.lineage("140171401")).containsExactly("140171401", "140171", "140100", "140000");
        assertThat(regions.find("140171").orElseThrow().statistical()).isTrue();
        assertThat(regions.find("140521").orElseThrow().statistical()).isFalse();
    }

    @Test
    void only_nine_digit_township_codes_are_townships() {
        assertThat(regions.isTownship("140171401")).isTrue();
        assertThat(regions.isTownship("140521")).isFalse();
        assertThat(regions.isTownship("140000")).isFalse();
        assertThat(regions.isTownship("999999999")).isFalse();
        assertThat(regions.isTownship(null)).isFalse();
    }

    @Test
    void asking_the_lineage_of_something_that_is_not_a_township_fails_clearly() {
        assertThatThrownBy(() -> regions.lineage("140500"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("140500");
    }

    @Test
    void every_region_but_the_province_has_a_parent_one_level_up() {
        for (Region region : regions.all()) {
            if (region.level() == RegionLevel.PROVINCE) {
                assertThat(region.parentCode()).isNull();
            } else {
                Region parent = regions.find(region.parentCode()).orElseThrow();
                assertThat(parent.level().ordinal()).isEqualTo(region.level().ordinal() - 1);
            }
        }
    }

    @Test
    void a_csv_with_an_unknown_parent_is_refused() {
        String csv = "level,code,parent_code,name_zh,name_en_or_pinyin,division_type,pinyin_source,in_gbt2260\n"
                + "county,140521,140500,沁水县,Qinshui County,county,areacity,Y\n";

        assertThatThrownBy(() -> Regions.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown parent 140500");
    }
}
