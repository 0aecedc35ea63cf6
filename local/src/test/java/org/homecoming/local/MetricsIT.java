package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.producer.identity.NationalId;
import org.homecoming.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every series docs/operations.md names, scraped from each service's {@code /actuator/prometheus} before and
 * after a small replay with a duplicate, a record the gateway refuses and poison bytes on the topic: each one
 * is there and each one moved.
 */
class MetricsIT {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsIT.class);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);
    private static final int RETURNEES = 20;
    private static final String TOKEN = "demo-terminal-token";

    @TempDir
    static Path dataDir;

    static LocalStack stack;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(StackPorts.free(), dataDir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void every_homecoming_series_is_scraped_from_its_service_and_moves_during_a_replay() throws Exception {
        Map<String, Double> gatewayBefore = scrape(stack.ports().producer());
        Map<String, Double> streamsBefore = scrape(stack.ports().streams());

        String first = null;
        for (int i = 0; i < RETURNEES; i++) {
            String body = returnee(UUID.randomUUID(), NationalId.of("140105", LocalDate.of(1980, 1, 1).plusDays(i), 101));
            first = first == null ? body : first;
            assertThat(post(body).statusCode()).isEqualTo(202);
        }
        assertThat(post(first).statusCode()).as("a resend: the gateway takes it, the counting application absorbs it")
                .isEqualTo(202);
        String valid = NationalId.of("140105", LocalDate.of(1979, 5, 4), 101);
        String badCheckDigit = valid.substring(0, 17) + (valid.charAt(17) == '1' ? '2' : '1');
        assertThat(post(returnee(UUID.randomUUID(), badCheckDigit)).statusCode()).as("a bad check digit").isEqualTo(400);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // refused by the counting application, and by the sink when it finds such bytes among accepted events
            producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), "x".getBytes(StandardCharsets.UTF_8),
                    new byte[] {1, 2, 3})).get();
            producer.send(new ProducerRecord<>(Topics.ACCEPTED.name(), "x".getBytes(StandardCharsets.UTF_8),
                    new byte[] {1, 2, 3})).get();
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(MetricsIT::provinceReturnees, total -> total == RETURNEES);

        // the counters and the lag move with the commits and the scrapes; the replay is small, so wait for them
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> streams = scrape(stack.ports().streams());
            assertMoved(streamsBefore, streams, "homecoming_counting_accepted_total", RETURNEES);
            assertMoved(streamsBefore, streams, "homecoming_counting_duplicates_total", 1);
            assertMoved(streamsBefore, streams, "homecoming_counting_rejected_total{reason=\"UNDESERIALIZABLE\"}", 1);
            assertThat(streams.get("homecoming_totals_freshness_seconds")).isNotNull().isNotNaN().isBetween(0.0, 600.0);
            assertThat(sum(streams, "kafka_consumer_fetch_manager_records_lag{", "topic=\"homecoming.totals\""))
                    .isNotNaN();
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> sink = scrape(stack.ports().sink());
            assertThat(sink.get("homecoming_sink_rows_total{table=\"registration_event\"}")).isEqualTo(RETURNEES);
            assertThat(sink.get("homecoming_sink_rows_total{table=\"region_totals\"}")).isPositive();
            assertThat(sink.get("homecoming_sink_dead_letters_total{reason=\"UNDESERIALIZABLE\",topic=\""
                    + Topics.ACCEPTED.name() + "\"}")).isEqualTo(1.0);
        });
        assertThat(sum(scrape(stack.ports().registry()), "kafka_producer_record_send_total")).isPositive();
        Map<String, Double> gateway = scrape(stack.ports().producer());
        assertMoved(gatewayBefore, gateway, "homecoming_gateway_records_total{status=\"202\"}", RETURNEES + 1);
        assertMoved(gatewayBefore, gateway, "homecoming_gateway_records_total{status=\"400\"}", 1);
        assertThat(sum(gateway, "kafka_producer_record_send_total")).isGreaterThanOrEqualTo(RETURNEES + 1);

        for (int port : new int[] {stack.ports().producer(), stack.ports().streams(), stack.ports().sink(),
            stack.ports().registry()}) {
            LOG.info("Homecoming series at :{}/actuator/prometheus:\n{}", port, scrape(port).entrySet().stream()
                    .filter(e -> e.getKey().startsWith("homecoming_") || e.getKey().contains("records_lag{"))
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("\n")));
        }
    }

    private static void assertMoved(Map<String, Double> before, Map<String, Double> after, String series, double by) {
        assertThat(after).as(series).containsKey(series);
        assertThat(after.get(series) - before.getOrDefault(series, 0.0)).as(series).isGreaterThanOrEqualTo(by);
    }

    private static double sum(Map<String, Double> scrape, String... parts) {
        return scrape.entrySet().stream().filter(e -> {
            for (String part : parts) {
                if (!e.getKey().contains(part)) {
                    return false;
                }
            }
            return true;
        }).mapToDouble(Map.Entry::getValue).sum();
    }

    /** Every sample of a scrape, keyed by its name and labels as printed. */
    static Map<String, Double> scrape(int port) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> samples = new LinkedHashMap<>();
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            String labels = sample.group(2) == null ? "" : sample.group(2);
            samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
        }
        return samples;
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.ports().producer()
                        + "/api/v1/registrations"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String returnee(UUID eventId, String nationalId) {
        return """
                {"eventId":"%s","nationalId":"%s","townshipCode":"140105001","occurredOn":"2021-02-01",
                 "type":"RETURNEE_REGISTERED","payload":{"returnReason":"FAMILY"}}""".formatted(eventId, nationalId);
    }

    private static long provinceReturnees() throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT returnees FROM region_totals WHERE region_code = '140000'"
                     + " AND period_kind = 'ALL'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }
}
