package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.homecoming.events.RegionLevel;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Expected;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Totals;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) on the embedded
 * stack, while the demo replays Shanxi's 2020 at scale 0.01 through the intake gateway: the counters rise to the
 * replay's exact figures without a reload, the map draws the 11 cities with them, the year runs day by day with its
 * peak in the Spring Festival weeks, the rejection panel shows the reasons injected, every CSV download says what the
 * API says, and a click on the map drills down. It writes the README's screenshots, docs/dashboard.png and
 * docs/dashboard-city.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserIT.class);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final double SCALE = 0.01;
    private static final Path DOCS = Path.of("..", "docs");
    /** The Spring Festival travel season (春运) of 2020, around the festival on 25 January. */
    private static final LocalDate FESTIVAL_SEASON_START = LocalDate.of(2020, 1, 10);
    private static final LocalDate FESTIVAL_SEASON_END = LocalDate.of(2020, 2, 18);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    static LocalStack stack;
    static ChromeDriver browser;
    static DashboardPage page;
    static Expected expected;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipping the dashboard browser test: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing. Install them "
                        + "with: apt-get install -y chromium chromium-driver fonts-wqy-microhei");
        stack = LocalStack.start(StackPorts.free(), dataDir);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1050", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        page = new DashboardPage(browser);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void the_counters_rise_live_to_a_replays_exact_figures_and_the_map_draws_the_11_cities_with_them() throws Exception {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> new ViewClient(stack.streamsUrl()).ready());
        browser.get(stack.dashboardUrl());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> page.live() && page.rowCodes().size() == 11 && page.drawnCities().size() == 11);
        page.script("window.loadedOnce = 'yes';");
        assertThat(page.counter("counter-returnees")).isZero();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SeedComparison comparison = new ProvinceYearDemo(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(SCALE, 42, Duration.ofMinutes(5));
        comparison.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        LOG.info("The demo's replay:\n{}", printed.toString(StandardCharsets.UTF_8));
        assertThat(comparison.exact()).isTrue();
        expected = comparison.expected();

        Totals province = expected.province();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> page.counter("counter-returnees") == province.returnees());
        assertThat(page.script("return window.loadedOnce;")).as("no reload").isEqualTo("yes");
        assertThat(page.counter("counter-employedNearHome")).isEqualTo(province.employedNearHome()).isPositive();
        assertThat(page.counter("counter-businessesStarted")).isEqualTo(province.businessesStarted()).isPositive();
        assertThat(page.counter("counter-loans")).isEqualTo(province.guaranteedLoansFen()).isPositive();
        assertThat(page.counter("counter-trained")).isEqualTo(province.trained()).isPositive();
        assertThat(page.text("counter-loans")).as("万元").isEqualTo(String.format("%,.2f",
                province.guaranteedLoansFen() / 1e6));

        assertThat(page.drawnCities().keySet()).isEqualTo(expected.byCity().keySet());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> page.mapValues().equals(cityValues(t -> (double) t.returnees())));
        page.chooseMetric("guaranteedLoansFen");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> page.mapValues().equals(cityValues(t -> t.guaranteedLoansFen() / 1e6)));
        page.chooseMetric("returnees");

        List<?> days = awaitDaily(366);
        assertThat(((List<?>) days.get(0)).get(0)).isEqualTo("2020-01-01");
        long sum = days.stream().mapToLong(d -> ((Number) ((List<?>) d).get(1)).longValue()).sum();
        assertThat(sum).as("every returnee registered in 2020").isEqualTo(province.returnees());
        LocalDate peak = LocalDate.parse(String.valueOf(((List<?>) days.stream().max((a, b) -> Long.compare(
                ((Number) ((List<?>) a).get(1)).longValue(), ((Number) ((List<?>) b).get(1)).longValue())).orElseThrow())
                .get(0)));
        assertThat(peak).as("the peak day").isBetween(FESTIVAL_SEASON_START, FESTIVAL_SEASON_END);

        RejectionInjector.injectUndeserializableBadKeyAndFutureDate(stack);
        Map<String, Long> reasons = Map.of(ProvinceYearSimulation.COUNTING_ONLY_REASON, expected.rejectedByCounting(),
                "UNDESERIALIZABLE", 1L, "BAD_KEY", 1L, "DATE_IN_FUTURE", 1L);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> page.rejections().equals(reasons));
        assertThat(page.counter("rejections-total")).isEqualTo(expected.rejectedByCounting() + 3);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> page.counter("pending") == 0 && !page.text("counted-at").equals("—"));
        page.screenshot(DOCS.resolve("dashboard.png"));
        LOG.info("Screenshot saved to {}", DOCS.resolve("dashboard.png").toAbsolutePath().normalize());
    }

    @Test
    @Order(2)
    void every_table_downloads_as_csv_with_a_byte_order_mark_saying_what_the_api_says() throws Exception {
        ViewClient api = new ViewClient(stack.streamsUrl());
        List<List<String>> children = csv(page.href("children-csv"));
        JsonNode json = api.get("/api/v1/totals/140000/children?period=ALL&sort=returnees").json();
        assertThat(children.get(0)).startsWith("regionCode", "level", "parentCode", "nameZh", "nameEn");
        assertThat(children).hasSize(12);
        for (int i = 0; i < 11; i++) {
            JsonNode city = json.get("children").get(i);
            assertThat(children.get(1 + i)).startsWith(city.get("regionCode").asString(), "CITY", "140000",
                    city.get("nameZh").asString(), city.get("nameEn").asString(), "ALL",
                    city.get("returnees").asString(), city.get("employedNearHome").asString(),
                    city.get("businessesStarted").asString(), city.get("guaranteedLoansFen").asString());
        }
        List<List<String>> daily = csv(page.href("daily-csv"));
        JsonNode days = api.get("/api/v1/totals/140000/daily?year=2020").json().get("days");
        assertThat(daily).hasSize(1 + 366);
        for (int i = 0; i < 366; i++) {
            assertThat(daily.get(1 + i)).startsWith(days.get(i).get("date").asString(),
                    days.get(i).get("returnees").asString(), days.get(i).get("employedNearHome").asString());
        }
        List<List<String>> rejections = csv(page.href("rejections-csv"));
        JsonNode reasons = api.get("/api/v1/rejections?period=ALL").json().get("reasons");
        assertThat(rejections).hasSize(1 + reasons.size());
        for (int i = 0; i < reasons.size(); i++) {
            assertThat(rejections.get(1 + i)).containsExactly("ALL", reasons.get(i).get("reason").asString(),
                    reasons.get(i).get("count").asString());
        }
    }

    @Test
    @Order(3)
    void a_click_on_a_city_of_the_map_drills_into_its_counties_and_a_row_into_a_countys_townships() throws Exception {
        String cityCode = expected.byCity().entrySet().stream()
                .max((a, b) -> Long.compare(a.getValue().returnees(), b.getValue().returnees())).orElseThrow().getKey();
        Region city = Regions.shanxi().find(cityCode).orElseThrow();
        Set<String> counties = Regions.shanxi().children(cityCode).stream().map(Region::code).collect(Collectors.toSet());
        page.clickMap(page.drawnCities().get(cityCode));

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> cityCode.equals(page.currentCrumb()) && page.rowCodes().equals(counties));
        assertThat(page.text("crumb-current")).isEqualTo(city.nameZh());
        assertThat(page.rowReturnees()).isEqualTo(expected.byCity().get(cityCode).returnees());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> page.dailyReturnees().stream()
                .mapToLong(d -> ((Number) ((List<?>) d).get(1)).longValue()).sum()
                == expected.byCity().get(cityCode).returnees());

        page.click("lang-toggle");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> page.text("crumb-current").equals(city.nameEn()));
        assertThat(page.text("title")).isEqualTo("Shanxi returnees: live totals");
        page.screenshot(DOCS.resolve("dashboard-city.png"));

        String countyCode = Regions.shanxi().children(cityCode).stream().filter(r -> r.level() == RegionLevel.COUNTY)
                .map(Region::code).filter(page.rowCodes()::contains).findFirst().orElseThrow();
        page.click("region-" + countyCode);
        Set<String> townships = Regions.shanxi().children(countyCode).stream().map(Region::code).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> page.rowCodes().equals(townships));
        assertThat(browser.findElements(By.cssSelector("#children tbody tr.drillable"))).isEmpty();
    }

    private static Map<String, Double> cityValues(java.util.function.ToDoubleFunction<Totals> metric) {
        Map<String, Double> values = new LinkedHashMap<>();
        expected.byCity().forEach((code, totals) -> values.put(code, metric.applyAsDouble(totals)));
        return values;
    }

    private static List<?> awaitDaily(int points) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> page.dailyReturnees().size() == points
                && page.dailyReturnees().stream().mapToLong(d -> ((Number) ((List<?>) d).get(1)).longValue()).sum()
                == expected.province().returnees());
        return page.dailyReturnees();
    }

    /** Downloads a CSV link as the browser would and reads it: UTF-8 with a byte order mark, no quoted cells. */
    private static List<List<String>> csv(String href) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(href)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        byte[] body = response.body();
        assertThat(Arrays.copyOf(body, 3)).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        String text = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\"").endsWith("\r\n");
        return Arrays.stream(text.split("\r\n")).map(line -> List.of(line.split(",", -1))).toList();
    }
}
