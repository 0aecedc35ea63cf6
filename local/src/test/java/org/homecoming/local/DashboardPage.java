package org.homecoming.local;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard as DashboardBrowserIT reads it: the DOM, and the charts through ECharts' own API (what each
 * chart was given and where it drew it). Every read is one script: live updates re-render at any moment.
 */
final class DashboardPage {

    private final ChromeDriver browser;

    DashboardPage(ChromeDriver browser) {
        this.browser = browser;
    }

    Object script(String script, Object... args) {
        return browser.executeScript(script, args);
    }

    boolean live() {
        return browser.findElement(By.id("live")).getDomAttribute("class").contains("on");
    }

    long data(String id, String attribute) {
        return Long.parseLong(browser.findElement(By.id(id)).getDomAttribute(attribute));
    }

    long counter(String id) {
        return data(id, "data-value");
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    String currentCrumb() {
        return browser.findElement(By.id("crumb-current")).getDomAttribute("data-code");
    }

    /** Clicks an element, again if a live re-render replaced it under the click. */
    void click(String id) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            browser.findElement(By.id(id)).click();
            return true;
        });
    }

    /** Chooses a metric in the select box, as a user would. */
    void chooseMetric(String metric) {
        script("const s = document.getElementById('metric'); s.value = arguments[0];"
                + "s.dispatchEvent(new Event('change'));", metric);
    }

    Set<String> rowCodes() {
        Object codes = script("return Array.from(document.querySelectorAll('#children tbody tr')).map(r => r.dataset.code);");
        return ((List<?>) codes).stream().map(String::valueOf).collect(Collectors.toSet());
    }

    long rowReturnees() {
        Object sum = script("return Array.from(document.querySelectorAll('#children tbody tr'))"
                + ".reduce((s, r) => s + Number(r.dataset.returnees), 0);");
        return ((Number) sum).longValue();
    }

    /** The rejection panel: reason code to count. */
    Map<String, Long> rejections() {
        List<?> rows = (List<?>) script("return Array.from(document.querySelectorAll('#rejections tbody tr'))"
                + ".map(r => [r.dataset.reason, r.dataset.count]);");
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (Object row : rows) {
            List<?> cells = (List<?>) row;
            reasons.put(String.valueOf(cells.get(0)), Long.parseLong(String.valueOf(cells.get(1))));
        }
        return reasons;
    }

    /** The map series: city code to the value it is coloured by. */
    Map<String, Double> mapValues() {
        List<?> data = (List<?>) script("const c = echarts.getInstanceByDom(document.getElementById('map'));"
                + "return c ? c.getOption().series[0].data.map(d => [d.code, d.value]) : [];");
        Map<String, Double> values = new LinkedHashMap<>();
        for (Object item : data) {
            List<?> pair = (List<?>) item;
            values.put(String.valueOf(pair.get(0)), ((Number) pair.get(1)).doubleValue());
        }
        return values;
    }

    /**
     * Each city of the registered map whose seat (the feature's {@code cp}) lies on what the map drew, with its
     * pixel position in the map element.
     */
    Map<String, List<Long>> drawnCities() {
        List<?> cities = (List<?>) script("const c = echarts.getInstanceByDom(document.getElementById('map'));"
                + "return echarts.getMap('shanxi').geoJSON.features.map(f => {"
                + " const p = c.convertToPixel({seriesIndex: 0}, f.properties.cp);"
                + " return [f.id, Math.round(p[0]), Math.round(p[1]), c.containPixel({seriesIndex: 0}, p)]; })"
                + ".filter(x => x[3]);");
        Map<String, List<Long>> drawn = new LinkedHashMap<>();
        for (Object city : cities) {
            List<?> c = (List<?>) city;
            drawn.put(String.valueOf(c.get(0)), List.of(((Number) c.get(1)).longValue(), ((Number) c.get(2)).longValue()));
        }
        return drawn;
    }

    /** Clicks the map at a pixel of the map element. */
    void clickMap(List<Long> pixel) {
        WebElement map = browser.findElement(By.id("map"));
        Dimension size = map.getSize();
        new Actions(browser).moveToElement(map, (int) (pixel.get(0) - size.getWidth() / 2),
                (int) (pixel.get(1) - size.getHeight() / 2)).click().perform();
    }

    /** The daily chart's first series (returnees): one [date, value] per point. */
    List<?> dailyReturnees() {
        return (List<?>) script("const c = echarts.getInstanceByDom(document.getElementById('daily'));"
                + "if (!c || !c.getOption().series) { return []; }"
                + "const o = c.getOption(); return o.xAxis[0].data.map((d, i) => [d, o.series[0].data[i]]);");
    }

    String href(String id) {
        return browser.findElement(By.id(id)).getDomProperty("href");
    }

    /** A screenshot of the whole page, below the window's height too (Chrome DevTools' full-page capture). */
    void screenshot(Path target) throws Exception {
        Map<String, Object> layout = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<?, ?> content = (Map<?, ?>) layout.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) content.get("width")).doubleValue(),
                "height", ((Number) content.get("height")).doubleValue(), "scale", 1);
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
    }
}
