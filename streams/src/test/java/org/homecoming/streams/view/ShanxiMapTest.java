package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.homecoming.events.RegionLevel;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The map the dashboard draws: ECharts 4.1.0's Shanxi province, as the build unpacks it into the jar. Its features
 * are matched to the totals by name, so each must be a city of the reference data under that city's code.
 */
class ShanxiMapTest {

    /** Where the dashboard loads it from, below {@code /webjars/}. */
    static final String MAP = "META-INF/resources/webjars/echarts/4.1.0/map/json/province/shanxi.json";

    @Test
    void the_map_has_exactly_the_11_cities_of_the_reference_data_named_and_coded_as_there() throws IOException {
        JsonNode map;
        try (InputStream in = ShanxiMapTest.class.getClassLoader().getResourceAsStream(MAP)) {
            assertThat(in).as(MAP + " on the classpath").isNotNull();
            map = JsonMapper.builder().build().readTree(in);
        }
        Map<String, String> features = new LinkedHashMap<>();
        for (JsonNode feature : map.get("features")) {
            features.put(feature.get("id").asString(), feature.get("properties").get("name").asString());
        }
        Map<String, String> cities = new LinkedHashMap<>();
        for (Region city : Regions.shanxi().atLevel(RegionLevel.CITY)) {
            cities.put(city.code(), city.nameZh());
        }

        assertThat(cities).hasSize(11);
        assertThat(features).containsExactlyInAnyOrderEntriesOf(cities);
        // ECharts' compressed coordinates, which its registerMap decodes
        assertThat(map.get("UTF8Encoding").asBoolean()).isTrue();
        assertThat(map.get("features").get(0).get("geometry").get("encodeOffsets").isArray()).isTrue();
    }
}
