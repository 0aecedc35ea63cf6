package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void nested_maps_lists_and_escapes_round_trip_through_a_json_parser() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("rate", 12.5);
        inner.put("never", Double.NaN);
        inner.put("ok", true);
        inner.put("nothing", null);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "quote \" backslash \\ newline \n tab \t bell \u0007");
        root.put("count", 42L);
        root.put("items", List.of(inner, List.of(), Map.of()));

        String json = Json.write(root);

        var parsed = JsonPath.parse(json);
        assertThat(parsed.read("$.name", String.class)).isEqualTo("quote \" backslash \\ newline \n tab \t bell \u0007");
        assertThat(parsed.read("$.count", Long.class)).isEqualTo(42L);
        assertThat(parsed.read("$.items[0].rate", Double.class)).isEqualTo(12.5);
        assertThat(parsed.read("$.items[0].never", Object.class)).isNull();
        assertThat(parsed.read("$.items[0].ok", Boolean.class)).isTrue();
        assertThat(json.indexOf("\"name\"")).isLessThan(json.indexOf("\"count\""));
    }

    @Test
    void an_object_that_is_not_a_json_value_is_refused() {
        assertThatThrownBy(() -> Json.write(Map.of("x", new Object()))).isInstanceOf(IllegalArgumentException.class);
    }
}
