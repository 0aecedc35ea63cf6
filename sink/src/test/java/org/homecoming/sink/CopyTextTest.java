package org.homecoming.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class CopyTextTest {

    private static String text(Object... values) {
        SinkRow row = () -> values;
        return new String(CopyText.encode(List.of(row)), StandardCharsets.UTF_8);
    }

    @Test
    void columns_are_tab_separated_a_row_ends_with_a_newline_and_null_is_backslash_n() {
        assertThat(text("a", null, 7L, 3, LocalDate.of(2021, 3, 15), Instant.parse("2021-03-15T08:00:00.123Z"),
                UUID.fromString("00000000-0000-0000-0000-000000000007")))
                .isEqualTo("a\t\\N\t7\t3\t2021-03-15\t2021-03-15T08:00:00.123Z\t00000000-0000-0000-0000-000000000007\n");
    }

    @Test
    void backslash_tab_newline_and_carriage_return_inside_a_value_are_escaped() {
        assertThat(text("back\\slash", "tab\there", "new\nline", "carriage\rreturn"))
                .isEqualTo("back\\\\slash\ttab\\there\tnew\\nline\tcarriage\\rreturn\n");
    }

    @Test
    void text_that_looks_like_a_null_or_an_end_marker_stays_text_and_an_empty_string_stays_empty() {
        assertThat(text("\\N", "\\.", "", "end\\")).isEqualTo("\\\\N\t\\\\.\t\tend\\\\\n");
    }

    @Test
    void characters_outside_the_basic_plane_and_chinese_text_are_written_as_utf_8() {
        byte[] bytes = CopyText.encode(List.of((SinkRow) () -> new Object[] {"山西 😀"}));

        assertThat(bytes).isEqualTo("山西 😀\n".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes).hasSize(6 + 1 + 4 + 1);
    }

    @Test
    void several_rows_follow_each_other_line_by_line() {
        SinkRow first = () -> new Object[] {"a", 1};
        SinkRow second = () -> new Object[] {"b", null};

        assertThat(new String(CopyText.encode(List.of(first, second)), StandardCharsets.UTF_8))
                .isEqualTo("a\t1\nb\t\\N\n");
    }
}
