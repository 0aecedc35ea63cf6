package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.apache.kafka.streams.state.HostInfo;
import org.homecoming.events.PeriodKind;
import org.homecoming.streams.lifecycle.RunningStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * Every endpoint and error of the query API and the push stream, over MockMvc, answered from the real
 * {@code totals-view-store} of the view topology running in a {@link org.apache.kafka.streams.TopologyTestDriver}.
 */
class TotalsApiTest {

    private static final Instant T1 = Instant.parse("2020-03-15T02:00:00Z");
    private static final Instant T2 = Instant.parse("2020-03-15T02:00:05Z");

    @TempDir
    Path stateDir;

    ViewFixture view;
    TotalsPushService push;
    MockMvc mvc;

    @BeforeEach
    void setUp() {
        view = new ViewFixture(stateDir);
        TotalsQueryService queries = new TotalsQueryService(view.regions, view.lookup());
        TotalsViewProperties properties = properties(2);
        push = new TotalsPushService(queries, properties, Clock.fixed(T1, ZoneOffset.UTC));
        RunningStreams notStarted = new RunningStreams();
        mvc = MockMvcBuilders.standaloneSetup(new TotalsController(queries),
                        new InternalTotalsController(new StreamsTotalsLookup(notStarted, new HostInfo("localhost", 8082),
                                view.codec, new TotalsForwarder(Duration.ofSeconds(1)))),
                        new StreamController(push, properties))
                .setControllerAdvice(new ProblemHandler())
                .build();
    }

    @AfterEach
    void tearDown() {
        push.stop();
        view.close();
    }

    static TotalsViewProperties properties(int maxStreams) {
        return new TotalsViewProperties("homecoming-totals-view", Path.of("unused"), "localhost", 8082,
                Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(15), maxStreams, Duration.ofMinutes(1), null);
    }

    @Test
    void a_region_answers_every_metric_and_the_time_of_its_last_update() throws Exception {
        view.put("140000", PeriodKind.ALL, LocalDate.EPOCH, 807_000, 188_400, 91_200, 1_500_000_00L, 120, 38_000, T1);

        mvc.perform(get("/api/v1/totals/140000"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.regionCode").value("140000"))
                .andExpect(jsonPath("$.level").value("PROVINCE"))
                .andExpect(jsonPath("$.nameZh").value("山西省"))
                .andExpect(jsonPath("$.nameEn").value("Shanxi Province"))
                .andExpect(jsonPath("$.period").value("ALL"))
                .andExpect(jsonPath("$.periodKind").value("ALL"))
                .andExpect(jsonPath("$.returnees").value(807_000))
                .andExpect(jsonPath("$.employedNearHome").value(188_400))
                .andExpect(jsonPath("$.businessesStarted").value(91_200))
                .andExpect(jsonPath("$.guaranteedLoansFen").value(150_000_000L))
                .andExpect(jsonPath("$.jobsCreated").value(120))
                .andExpect(jsonPath("$.trained").value(38_000))
                .andExpect(jsonPath("$.updatedAt").value("2020-03-15T02:00:00Z"));
    }

    @Test
    void year_month_and_day_periods_read_their_own_buckets() throws Exception {
        view.put("140100", PeriodKind.YEAR, LocalDate.of(2020, 1, 1), 30, 0, 0, 0, 0, 0, T1);
        view.put("140100", PeriodKind.MONTH, LocalDate.of(2020, 3, 1), 20, 0, 0, 0, 0, 0, T1);
        view.put("140100", PeriodKind.DAY, LocalDate.of(2020, 3, 15), 10, 0, 0, 0, 0, 0, T1);

        mvc.perform(get("/api/v1/totals/140100").param("period", "2020"))
                .andExpect(jsonPath("$.returnees").value(30))
                .andExpect(jsonPath("$.periodKind").value("YEAR"))
                .andExpect(jsonPath("$.periodStart").value("2020-01-01"));
        mvc.perform(get("/api/v1/totals/140100").param("period", "2020-03"))
                .andExpect(jsonPath("$.returnees").value(20))
                .andExpect(jsonPath("$.period").value("2020-03"))
                .andExpect(jsonPath("$.periodStart").value("2020-03-01"));
        mvc.perform(get("/api/v1/totals/140100").param("period", "2020-03-15"))
                .andExpect(jsonPath("$.returnees").value(10))
                .andExpect(jsonPath("$.periodKind").value("DAY"));
        mvc.perform(get("/api/v1/totals/140100").param("period", "2020-04"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.returnees").value(0));
    }

    @Test
    void the_newest_committed_value_of_a_bucket_wins_and_a_tombstone_empties_it() throws Exception {
        view.putReturnees("140105", 5, T1);
        view.putReturnees("140105", 7, T2);
        mvc.perform(get("/api/v1/totals/140105"))
                .andExpect(jsonPath("$.returnees").value(7))
                .andExpect(jsonPath("$.updatedAt").value("2020-03-15T02:00:05Z"));

        view.delete("140105", PeriodKind.ALL, LocalDate.EPOCH);
        mvc.perform(get("/api/v1/totals/140105"))
                .andExpect(jsonPath("$.returnees").value(0));
    }

    @Test
    void a_known_region_without_data_yet_answers_zeros_and_no_update_time() throws Exception {
        mvc.perform(get("/api/v1/totals/140105001").param("period", "ALL"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.level").value("TOWNSHIP"))
                .andExpect(jsonPath("$.parentCode").value("140105"))
                .andExpect(jsonPath("$.nameZh").value("坞城街道"))
                .andExpect(jsonPath("$.returnees").value(0))
                .andExpect(jsonPath("$.trained").value(0))
                .andExpect(jsonPath("$.updatedAt").doesNotExist());
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999", "14", "140105999", "abc"})
    void an_unknown_region_is_404_problem_details(String code) throws Exception {
        mvc.perform(get("/api/v1/totals/" + code))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.title").value("Unknown region"))
                .andExpect(jsonPath("$.type").value("urn:homecoming:problem:unknown-region"))
                .andExpect(jsonPath("$.detail").value("No region with code '" + code + "' in the Shanxi reference data"));
        mvc.perform(get("/api/v1/totals/" + code + "/children"))
                .andExpect(status().isNotFound());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2020-13", "2020-02-30", "20", "2020/03", "last-week", "2020-3", "2020-03-15T00:00"})
    void a_malformed_period_is_400_problem_details(String period) throws Exception {
        mvc.perform(get("/api/v1/totals/140000").param("period", period))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid period"))
                .andExpect(jsonPath("$.parameter").value("period"));
        mvc.perform(get("/api/v1/totals/140000/children").param("period", period))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/stream").param("period", period))
                .andExpect(status().isBadRequest());
    }

    @Test
    void children_of_the_province_are_its_11_cities_sorted_by_the_chosen_metric() throws Exception {
        view.put("140000", PeriodKind.ALL, LocalDate.EPOCH, 60, 0, 0, 0, 0, 9, T1);
        view.put("140100", PeriodKind.ALL, LocalDate.EPOCH, 10, 0, 0, 0, 0, 1, T1);
        view.put("140200", PeriodKind.ALL, LocalDate.EPOCH, 30, 0, 0, 0, 0, 5, T1);
        view.put("141100", PeriodKind.ALL, LocalDate.EPOCH, 20, 0, 0, 0, 0, 3, T1);

        mvc.perform(get("/api/v1/totals/140000/children"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.parent.returnees").value(60))
                .andExpect(jsonPath("$.sort").value("returnees"))
                .andExpect(jsonPath("$.children.length()").value(11))
                .andExpect(jsonPath("$.children[0].regionCode").value("140200"))
                .andExpect(jsonPath("$.children[1].regionCode").value("141100"))
                .andExpect(jsonPath("$.children[1].nameEn").value("Lüliang City"))
                .andExpect(jsonPath("$.children[2].regionCode").value("140100"))
                .andExpect(jsonPath("$.children[3].regionCode").value("140300"))
                .andExpect(jsonPath("$.children[3].returnees").value(0));

        mvc.perform(get("/api/v1/totals/140000/children").param("sort", "trained"))
                .andExpect(jsonPath("$.sort").value("trained"))
                .andExpect(jsonPath("$.children[0].trained").value(5))
                .andExpect(jsonPath("$.children[1].trained").value(3));
    }

    @Test
    void drill_down_goes_city_to_counties_and_functional_zones_then_county_to_townships() throws Exception {
        view.putReturnees("140171", 4, T1);
        view.putReturnees("140105", 2, T1);

        MvcResult city = mvc.perform(get("/api/v1/totals/140100/children"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.children[0].regionCode").value("140171"))
                .andExpect(jsonPath("$.children[0].level").value("COUNTY"))
                .andExpect(jsonPath("$.children[1].regionCode").value("140105"))
                .andReturn();
        assertThat(city.getResponse().getContentAsString())
                .contains("\"140106\"", "\"140121\"").doesNotContain("\"140105001\"");

        mvc.perform(get("/api/v1/totals/140105/children").param("period", "2020-03"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.parent.period").value("2020-03"))
                .andExpect(jsonPath("$.children[0].level").value("TOWNSHIP"))
                .andExpect(jsonPath("$.children[0].parentCode").value("140105"));

        mvc.perform(get("/api/v1/totals/140105001/children"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.parent.regionCode").value("140105001"))
                .andExpect(jsonPath("$.children.length()").value(0));
    }

    @Test
    void an_unknown_sort_metric_is_400() throws Exception {
        MvcResult result = mvc.perform(get("/api/v1/totals/140000/children").param("sort", "population"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("sort"))
                .andReturn();
        assertThat(result.getResponse().getContentAsString())
                .contains("'population' is not a metric", "returnees", "guaranteedLoansFen", "trained");
    }

    @Test
    void when_the_view_cannot_answer_the_api_says_503_with_retry_after() throws Exception {
        TotalsQueryService failing = new TotalsQueryService(view.regions, buckets -> {
            throw new ViewUnavailableException("The totals view is not running (REBALANCING)");
        });
        MockMvc unavailable = MockMvcBuilders.standaloneSetup(new TotalsController(failing))
                .setControllerAdvice(new ProblemHandler()).build();

        unavailable.perform(get("/api/v1/totals/140000"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The totals view is not running (REBALANCING)"));
        unavailable.perform(get("/api/v1/totals/140000/children"))
                .andExpect(status().isServiceUnavailable());
    }

    @Test
    void the_internal_endpoint_refuses_while_the_view_is_not_running_and_rejects_malformed_buckets() throws Exception {
        mvc.perform(get("/internal/v1/totals").param("bucket", "140000|ALL|1970-01-01"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail").value("The totals view is not running (not started)"));
        mvc.perform(get("/internal/v1/totals").param("bucket", "140000|WEEK|2020-01-01"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("bucket"));
        mvc.perform(get("/internal/v1/totals").param("bucket", "140000|ALL|1970-13-01"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/internal/v1/totals"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Missing parameter"));
    }

    @Test
    void the_stream_sends_the_province_and_city_totals_then_only_changes() throws Exception {
        view.putReturnees("140000", 3, T1);
        view.putReturnees("140200", 3, T1);
        MvcResult stream = mvc.perform(get("/api/v1/stream"))
                .andExpect(request().asyncStarted())
                .andReturn();
        assertThat(push.openStreams()).isEqualTo(1);

        push.pushOnce();
        String first = stream.getResponse().getContentAsString();
        assertThat(first).startsWith("event:totals\ndata:").contains("\"period\":\"ALL\"")
                .contains("\"regionCode\":\"140000\"", "\"returnees\":3", "\"regionCode\":\"141100\"");
        assertThat(first.split("event:totals", -1)).hasSize(2);

        push.pushOnce();
        assertThat(stream.getResponse().getContentAsString()).isEqualTo(first);

        view.putReturnees("140000", 4, T2);
        view.putReturnees("140000", 5, T2);
        push.pushOnce();
        String second = stream.getResponse().getContentAsString().substring(first.length());
        assertThat(second.split("event:totals", -1)).hasSize(2);
        assertThat(second).contains("\"returnees\":5").doesNotContain("\"returnees\":4");

        push.stop();
        mvc.perform(asyncDispatch(stream)).andExpect(status().isOk());
        assertThat(push.openStreams()).isZero();
    }

    @Test
    void the_stream_of_a_period_pushes_that_period() throws Exception {
        view.put("140000", PeriodKind.MONTH, LocalDate.of(2020, 3, 1), 42, 0, 0, 0, 0, 0, T1);
        MvcResult stream = mvc.perform(get("/api/v1/stream").param("period", "2020-03"))
                .andExpect(request().asyncStarted()).andReturn();

        push.pushOnce();

        assertThat(stream.getResponse().getContentAsString())
                .contains("\"period\":\"2020-03\"", "\"returnees\":42");
    }

    @Test
    void streams_beyond_the_limit_are_refused_with_503() throws Exception {
        mvc.perform(get("/api/v1/stream")).andExpect(request().asyncStarted());
        mvc.perform(get("/api/v1/stream")).andExpect(request().asyncStarted());

        mvc.perform(get("/api/v1/stream"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail").value("This instance already serves 2 push streams; try another "
                        + "instance or later"));
        assertThat(push.openStreams()).isEqualTo(2);
    }
}
