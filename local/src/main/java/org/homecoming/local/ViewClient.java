package org.homecoming.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the streams service's query API and push stream, for tests and the query benchmark. */
final class ViewClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    ViewClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Status and body of a GET. */
    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Answer get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Returnees of a region, all time, or -1 while the instance cannot answer. */
    long returnees(String region) {
        Answer answer = get("/api/v1/totals/" + region);
        return answer.status() == 200 ? answer.json().get("returnees").asLong() : -1;
    }

    boolean ready() {
        try {
            return get("/actuator/health/readiness").status() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Opens the push stream and returns the first {@code totals} event whose JSON matches, or fails after
     * the timeout.
     */
    JsonNode awaitPush(String period, Predicate<JsonNode> wanted, Duration timeout) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create(baseUrl + "/api/v1/stream?period=" + period)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Stream answered " + response.statusCode());
        }
        try (InputStream body = response.body()) {
            CompletableFuture<JsonNode> found = CompletableFuture.supplyAsync(() -> firstMatching(body, wanted));
            try {
                return found.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                found.cancel(true);
                throw e;
            }
        }
    }

    private static JsonNode firstMatching(InputStream body, Predicate<JsonNode> wanted) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && "totals".equals(event)) {
                    JsonNode data = JSON.readTree(line.substring(5));
                    if (wanted.test(data)) {
                        return data;
                    }
                }
            }
            throw new IllegalStateException("The stream ended before the wanted push");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
