package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) on the
 * embedded stack: registrations flow in, the province counter rises to the exact total without a page
 * reload, a click drills into a city, and screenshots land in {@code target/}.
 */
class DashboardBrowserIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserIT.class);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int FIRST_BATCH = 500;
    private static final int EVENTS = 3_000;

    @TempDir
    static Path dataDir;

    static LocalStack stack;
    static ChromeDriver browser;

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
    void the_province_counter_rises_live_to_the_exact_total_and_a_click_drills_into_a_city() throws Exception {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> new ViewClient(stack.streamsUrl()).ready());
        browser.get(stack.dashboardUrl());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> liveBadgeOn() && rowCodes().size() == 11);
        ((JavascriptExecutor) browser).executeScript("window.loadedOnce = 'yes';");
        assertThat(counter("counter-returnees")).isZero();

        ReturneeSimulation simulation = ReturneeSimulation.generate(EVENTS, 11, Regions.shanxi(),
                new Pseudonymizer(Demo.DEMO_KEY, 1));
        List<RegistrationEvent> events = simulation.events();
        try (RegistrationPublisher publisher = RegistrationPublisher.create(stack.bootstrapServers(),
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(stack.registryUrl()), false), Map.of())) {
            long sent = publish(publisher, events.subList(0, FIRST_BATCH));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions().until(() -> counter("counter-returnees") == FIRST_BATCH);
            LOG.info("Page showed the first {} returnees {} ms after the last was acknowledged", FIRST_BATCH,
                    (System.nanoTime() - sent) / 1_000_000);

            for (int from = FIRST_BATCH; from < EVENTS; from += 500) {
                publish(publisher, events.subList(from, Math.min(from + 500, EVENTS)));
            }
            long allSent = System.nanoTime();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions().until(() -> counter("counter-returnees") == EVENTS);
            LOG.info("Page showed all {} returnees {} ms after the last was acknowledged", EVENTS,
                    (System.nanoTime() - allSent) / 1_000_000);
        }
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loadedOnce;")).isEqualTo("yes");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> rowReturnees() == EVENTS);
        screenshot("dashboard.png");

        List<?> top = (List<?>) ((JavascriptExecutor) browser).executeScript(
                "const r = document.querySelector('#children tbody tr'); return [r.dataset.code, r.dataset.returnees];");
        String cityCode = String.valueOf(top.get(0));
        long cityReturnees = Long.parseLong(String.valueOf(top.get(1)));
        click("region-" + cityCode);

        Region city = Regions.shanxi().find(cityCode).orElseThrow();
        Set<String> counties = Regions.shanxi().children(cityCode).stream().map(Region::code).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cityCode.equals(
                browser.findElement(By.id("crumb-current")).getDomAttribute("data-code"))
                && rowCodes().equals(counties));
        assertThat(browser.findElement(By.id("crumb-current")).getText()).isEqualTo(city.nameZh());
        assertThat(rowReturnees()).isEqualTo(cityReturnees);

        click("lang-toggle");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> browser.findElement(By.id("crumb-current")).getText().equals(city.nameEn()));
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Shanxi returnees: live totals");
        screenshot("dashboard-city.png");

        String countyCode = rowCodes().iterator().next();
        click("region-" + countyCode);
        Set<String> townships = Regions.shanxi().children(countyCode).stream().map(Region::code).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> rowCodes().equals(townships));
        assertThat(browser.findElements(By.cssSelector("#children tbody tr.drillable"))).isEmpty();
    }

    private static long publish(RegistrationPublisher publisher, List<RegistrationEvent> batch) {
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (RegistrationEvent event : batch) {
            acks.add(publisher.publish(event));
        }
        publisher.flush();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime();
    }

    private static boolean liveBadgeOn() {
        return browser.findElement(By.id("live")).getDomAttribute("class").contains("on");
    }

    private static long counter(String id) {
        return Long.parseLong(browser.findElement(By.id(id)).getDomAttribute("data-value"));
    }

    /** Clicks an element, again if a live re-render replaced it under the click. */
    private static void click(String id) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            browser.findElement(By.id(id)).click();
            return true;
        });
    }

    /** Codes of the table rows, read in one script: live updates re-render the table at any moment. */
    private static Set<String> rowCodes() {
        Object codes = ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#children tbody tr')).map(r => r.dataset.code);");
        return ((List<?>) codes).stream().map(String::valueOf).collect(Collectors.toSet());
    }

    /** Sum of the returnees of the table rows, read in one script. */
    private static long rowReturnees() {
        Object sum = ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
                + "'#children tbody tr')).reduce((s, r) => s + Number(r.dataset.returnees), 0);");
        return ((Number) sum).longValue();
    }

    private static void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("Screenshot saved to {}", target.toAbsolutePath());
    }
}
