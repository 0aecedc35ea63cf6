package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.homecoming.events.PeriodKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The endpoints the dashboard added to the query API: the year day by day, the rejections by reason, and every table
 * as CSV, over MockMvc against the real view store.
 */
class DashboardApiTest {

    private static final Instant T1 = Instant.parse("2021-03-15T02:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path stateDir;

    ViewFixture view;
    RejectionCounts rejections;
    MockMvc mvc;

    @BeforeEach
    void setUp() {
        view = new ViewFixture(stateDir);
        rejections = new RejectionCounts();
        TotalsQueryService queries = new TotalsQueryService(view.regions, view.lookup(), Clock.fixed(T1, ZoneOffset.UTC));
        mvc = MockMvcBuilders.standaloneSetup(new TotalsController(queries), new DashboardController(rejections, null))
                .setControllerAdvice(new ProblemHandler())
                .build();
    }

    @AfterEach
    void tearDown() {
        view.close();
    }

    @Test
    void the_year_day_by_day_has_a_point_for_every_day_with_zeros_where_nothing_is_stored() throws Exception {
        view.put("140100", PeriodKind.YEAR, LocalDate.of(2020, 1, 1), 30, 4, 2, 5_000_000, 3, 1, T1);
        view.put("140100", PeriodKind.DAY, LocalDate.of(2020, 1, 18), 25, 0, 0, 0, 0, 0, T1);
        view.put("140100", PeriodKind.DAY, LocalDate.of(2020, 12, 31), 5, 4, 2, 5_000_000, 3, 1, T1);

        mvc.perform(get("/api/v1/totals/140100/daily").param("year", "2020"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.year").value(2020))
                .andExpect(jsonPath("$.region.nameZh").value("太原市"))
                .andExpect(jsonPath("$.region.periodKind").value("YEAR"))
                .andExpect(jsonPath("$.region.returnees").value(30))
                .andExpect(jsonPath("$.days.length()").value(366))
                .andExpect(jsonPath("$.days[0].date").value("2020-01-01"))
                .andExpect(jsonPath("$.days[0].returnees").value(0))
                .andExpect(jsonPath("$.days[17].date").value("2020-01-18"))
                .andExpect(jsonPath("$.days[17].returnees").value(25))
                .andExpect(jsonPath("$.days[365].date").value("2020-12-31"))
                .andExpect(jsonPath("$.days[365].guaranteedLoansFen").value(5_000_000))
                .andExpect(jsonPath("$.days[365].trained").value(1));
        mvc.perform(get("/api/v1/totals/140100/daily").param("year", "2021"))
                .andExpect(jsonPath("$.days.length()").value(365));
    }

    @Test
    void without_a_year_the_days_are_of_the_latest_year_with_data_or_else_of_this_year() throws Exception {
        mvc.perform(get("/api/v1/totals/140000/daily")).andExpect(jsonPath("$.year").value(2021));
        view.put("140000", PeriodKind.YEAR, LocalDate.of(2019, 1, 1), 1, 0, 0, 0, 0, 0, T1);
        view.put("140000", PeriodKind.YEAR, LocalDate.of(2020, 1, 1), 1, 0, 0, 0, 0, 0, T1);

        mvc.perform(get("/api/v1/totals/140000/daily")).andExpect(jsonPath("$.year").value(2020));
    }

    @ParameterizedTest
    @CsvSource({"20x0,'''20x0'' is not a year (2020)'", "2014,'''2014'' is before 2015, the first year a registration may "
            + "be dated in'", "99999,'''99999'' is not a year (2020)'"})
    void a_year_that_is_not_four_digits_or_before_2015_is_400_problem_details_naming_the_year(String year, String detail)
            throws Exception {
        for (String path : List.of("/api/v1/totals/140000/daily", "/api/v1/totals/140000/daily.csv")) {
            mvc.perform(get(path).param("year", year).accept("text/csv"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("urn:homecoming:problem:invalid-year"))
                    .andExpect(jsonPath("$.parameter").value("year"))
                    .andExpect(jsonPath("$.detail").value(detail));
        }
    }

    @Test
    void children_as_csv_start_with_a_byte_order_mark_and_say_row_for_row_what_the_json_says() throws Exception {
        view.put("140100", PeriodKind.YEAR, LocalDate.of(2020, 1, 1), 30, 4, 2, 61_991_300_000L, 3, 1, T1);
        view.put("140800", PeriodKind.YEAR, LocalDate.of(2020, 1, 1), 40, 0, 0, 1_234_567, 0, 0, T1);
        JsonNode json = JSON.readTree(mvc.perform(get("/api/v1/totals/140000/children").param("period", "2020"))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));

        for (var request : List.of(get("/api/v1/totals/140000/children").param("period", "2020").accept("text/csv"),
                get("/api/v1/totals/140000/children.csv").param("period", "2020"))) {
            MockHttpServletResponse response = mvc.perform(request)
                    .andExpect(status().isOk())
                    .andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"))
                    .andExpect(header().string("Content-Disposition",
                            "attachment; filename=\"140000-children-2020.csv\""))
                    .andReturn().getResponse();
            byte[] body = response.getContentAsByteArray();
            assertThat(Arrays.copyOf(body, 3)).isEqualTo(BOM);
            List<List<String>> rows = csv(new String(body, 3, body.length - 3, StandardCharsets.UTF_8));
            assertThat(rows.get(0)).containsExactly("regionCode", "level", "parentCode", "nameZh", "nameEn", "period",
                    "returnees", "employedNearHome", "businessesStarted", "guaranteedLoansFen", "guaranteedLoansWanYuan",
                    "jobsCreated", "trained", "updatedAt");
            assertThat(rows).hasSize(1 + 11);
            for (int i = 0; i < 11; i++) {
                JsonNode child = json.get("children").get(i);
                List<String> row = rows.get(1 + i);
                assertThat(row.get(0)).isEqualTo(child.get("regionCode").asString());
                assertThat(row.get(3)).isEqualTo(child.get("nameZh").asString());
                assertThat(row.get(4)).isEqualTo(child.get("nameEn").asString());
                assertThat(row.get(6)).isEqualTo(child.get("returnees").asString());
                assertThat(row.get(9)).isEqualTo(child.get("guaranteedLoansFen").asString());
            }
        }
        List<List<String>> rows = csv(new String(mvc.perform(get("/api/v1/totals/140000/children.csv")
                .param("period", "2020")).andReturn().getResponse().getContentAsByteArray(), StandardCharsets.UTF_8)
                .substring(1));
        assertThat(rows.get(1)).startsWith("140800", "CITY", "140000", "运城市", "Yuncheng City", "2020", "40");
        assertThat(rows.get(1).get(10)).isEqualTo("1.234567");
        assertThat(rows.get(2)).startsWith("140100", "CITY", "140000", "太原市", "Taiyuan City", "2020", "30");
        assertThat(rows.get(2).get(10)).as("万元").isEqualTo("61991.3");
        assertThat(rows.get(2).get(13)).isEqualTo("2021-03-15T02:00:00Z");
    }

    @Test
    void a_csv_download_with_a_bad_period_or_region_is_answered_with_problem_details() throws Exception {
        mvc.perform(get("/api/v1/totals/140000/children.csv").param("period", "2020-13"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.parameter").value("period"))
                .andExpect(jsonPath("$.detail").value("'2020-13' is not a real date"));
        mvc.perform(get("/api/v1/totals/140000/children").param("sort", "population").accept("text/csv"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("sort"));
        mvc.perform(get("/api/v1/rejections.csv").param("period", "March"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("period"));
        mvc.perform(get("/api/v1/totals/999999/daily.csv"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:homecoming:problem:unknown-region"));
    }

    @Test
    void the_days_are_csv_too_one_row_a_day() throws Exception {
        view.put("140000", PeriodKind.DAY, LocalDate.of(2020, 1, 18), 25, 1, 1, 30_000_000, 2, 0, T1);

        byte[] body = mvc.perform(get("/api/v1/totals/140000/daily.csv").param("year", "2020"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"140000-daily-2020.csv\""))
                .andReturn().getResponse().getContentAsByteArray();
        assertThat(Arrays.copyOf(body, 3)).isEqualTo(BOM);
        List<List<String>> rows = csv(new String(body, 3, body.length - 3, StandardCharsets.UTF_8));
        assertThat(rows).hasSize(1 + 366);
        assertThat(rows.get(0)).containsExactly("date", "returnees", "employedNearHome", "businessesStarted",
                "guaranteedLoansFen", "guaranteedLoansWanYuan", "jobsCreated", "trained");
        assertThat(rows.get(18)).containsExactly("2020-01-18", "25", "1", "1", "30000000", "30", "2", "0");
        assertThat(rows.get(1)).containsExactly("2020-01-01", "0", "0", "0", "0", "0", "0", "0");
    }

    @Test
    void rejections_of_a_period_are_counted_by_reason_most_frequent_first_and_are_csv_too() throws Exception {
        Instant at = Instant.parse("2026-01-05T03:00:00Z");
        rejections.add("UNKNOWN_TOWNSHIP", LocalDate.of(2020, 3, 1), at);
        rejections.add("UNKNOWN_RETRACTION_TARGET", LocalDate.of(2020, 3, 2), at);
        rejections.add("UNKNOWN_RETRACTION_TARGET", LocalDate.of(2020, 4, 2), at.plusSeconds(5));
        rejections.add("DATE_TOO_EARLY", LocalDate.of(2014, 12, 3), at);

        mvc.perform(get("/api/v1/rejections"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.period").value("ALL"))
                .andExpect(jsonPath("$.total").value(4))
                .andExpect(jsonPath("$.reasons[0].reason").value("UNKNOWN_RETRACTION_TARGET"))
                .andExpect(jsonPath("$.reasons[0].count").value(2))
                .andExpect(jsonPath("$.reasons[1].reason").value("DATE_TOO_EARLY"))
                .andExpect(jsonPath("$.reasons[2].reason").value("UNKNOWN_TOWNSHIP"))
                .andExpect(jsonPath("$.newestRejectedAt").value("2026-01-05T03:00:05Z"));
        mvc.perform(get("/api/v1/rejections").param("period", "2020-03"))
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.reasons.length()").value(2));
        mvc.perform(get("/api/v1/rejections").param("period", "2020-03-02"))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.reasons[0].reason").value("UNKNOWN_RETRACTION_TARGET"));
        mvc.perform(get("/api/v1/rejections").param("period", "2021"))
                .andExpect(jsonPath("$.total").value(0))
                .andExpect(jsonPath("$.reasons.length()").value(0));

        byte[] body = mvc.perform(get("/api/v1/rejections").param("period", "2020").accept("text/csv"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"rejections-2020.csv\""))
                .andReturn().getResponse().getContentAsByteArray();
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("\uFEFFperiod,reason,count\r\n"
                + "2020,UNKNOWN_RETRACTION_TARGET,2\r\n2020,UNKNOWN_TOWNSHIP,1\r\n");
    }

    @Test
    void a_cell_with_a_comma_or_quote_is_quoted_and_a_null_cell_is_empty() {
        CsvTable table = new CsvTable() {
            @Override
            public List<String> csvHeader() {
                return List.of("a", "b", "c");
            }

            @Override
            public List<List<Object>> csvRows() {
                return List.of(Arrays.asList("x,y", "say \"hi\"", null));
            }

            @Override
            public String csvName() {
                return "t";
            }
        };
        assertThat(new String(table.toCsv(), StandardCharsets.UTF_8))
                .isEqualTo("\uFEFFa,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\r\n");
    }

    /** A small RFC 4180 reader: quoted cells, doubled quotes, CRLF rows. */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        return rows;
    }
}
