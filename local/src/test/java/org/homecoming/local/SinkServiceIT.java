package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.listener.BatchInterceptor;

/**
 * The sink service as operators see it: its readiness follows the listener container, and its Prometheus
 * scrape carries its own series and Kafka's consumer lag.
 */
class SinkServiceIT {

    @TempDir
    static Path dir;

    static SinkTestStack stack;
    static final AtomicBoolean KILL_LISTENER = new AtomicBoolean();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        stack = SinkTestStack.start(dir);
        // a hook that lets the test kill the consumer thread: an Error in the listener stops the container
        stack.startSinkService(application -> application.addInitializers(context ->
                ((GenericApplicationContext) context).registerBean(BatchInterceptor.class, () ->
                        (BatchInterceptor<byte[], byte[]>) (records, consumer) -> {
                            if (KILL_LISTENER.get()) {
                                throw new OutOfMemoryError("killed by SinkServiceIT");
                            }
                            return records;
                        })));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void the_scrape_shows_rows_per_table_and_consumer_lag_and_readiness_goes_down_when_the_listener_thread_dies()
            throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
        produce(5);
        await().atMost(Duration.ofSeconds(60)).until(() -> scrape().contains(
                "homecoming_sink_rows_total{table=\"registration_event\"} 5.0"));
        String caughtUp = "kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\"\\d+\"[^}]*topic=\""
                + Topics.ACCEPTED.name().replace(".", "\\.") + "\"[^}]*} 0\\.0";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape()).containsPattern(caughtUp));

        KILL_LISTENER.set(true);
        produce(1);

        await().atMost(Duration.ofSeconds(60)).until(() -> get("/actuator/health/readiness").statusCode() == 503);
        assertThat(get("/actuator/health/readiness").body()).contains("\"status\":\"DOWN\"")
                .contains("\"stoppedAbnormally\":true");
    }

    private static void produce(int events) throws Exception {
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl());
        SpecificAvroSerializer<RegistrationEvent> values = new SpecificAvroSerializer<>(registry, false);
        values.configure(Map.of(), false);
        try (KafkaProducer<String, RegistrationEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(), values)) {
            for (int i = 0; i < events; i++) {
                RegistrationEvent event = RegistrationEvent.newBuilder()
                        .setEventId(UUID.randomUUID())
                        .setPersonRef("%064x".formatted(i))
                        .setPersonRefKeyVersion(1)
                        .setTownshipCode("140105001")
                        .setTerminalId("sink-service-it")
                        .setOccurredOn(LocalDate.of(2021, 2, 1))
                        .setRecordedAt(Instant.parse("2021-02-01T00:00:00Z"))
                        .setPayload(new ReturneeRegistered(null, ReturnReason.FAMILY))
                        .build();
                producer.send(new ProducerRecord<>(Topics.ACCEPTED.name(), event.getPersonRef(), event)).get();
            }
        }
    }

    private static String scrape() throws Exception {
        return get("/actuator/prometheus").body();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.sinkUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
