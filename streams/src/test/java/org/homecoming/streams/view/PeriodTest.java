package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.homecoming.events.PeriodKind;
import org.junit.jupiter.api.Test;

class PeriodTest {

    @Test
    void the_four_forms_parse_to_their_bucket_and_print_back() {
        assertThat(Period.parse(null)).isEqualTo(Period.ALL);
        assertThat(Period.parse("all")).isEqualTo(Period.ALL);
        assertThat(Period.parse("2020")).isEqualTo(new Period(PeriodKind.YEAR, LocalDate.of(2020, 1, 1)));
        assertThat(Period.parse("2020-03")).isEqualTo(new Period(PeriodKind.MONTH, LocalDate.of(2020, 3, 1)));
        assertThat(Period.parse("2020-02-29")).isEqualTo(new Period(PeriodKind.DAY, LocalDate.of(2020, 2, 29)));
        assertThat(Period.parse("2020-03").text()).isEqualTo("2020-03");
        assertThat(Period.parse("2020").text()).isEqualTo("2020");
        assertThat(Period.parse("2020-03-15").bucket("140000").text()).isEqualTo("140000|DAY|2020-03-15");
        assertThat(Period.ALL.bucket("140000").text()).isEqualTo("140000|ALL|1970-01-01");
    }

    @Test
    void dates_that_do_not_exist_are_refused() {
        assertThatThrownBy(() -> Period.parse("2021-02-29")).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("not a real date");
        assertThatThrownBy(() -> Period.parse("2020-00")).isInstanceOf(InvalidQueryException.class);
        assertThatThrownBy(() -> Period.parse("Q1-2020")).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("is not ALL, a year");
    }
}
