package org.homecoming.local.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The probe township's all-time returnees through the streams service's query API
 * ({@code GET /api/v1/totals/{code}?period=ALL}), polled. When the endpoint does not answer 200 at the
 * start (not deployed in this build), the target is reported as not available instead of measured.
 */
public final class QueryApiTarget implements VisibilityTarget {

    private static final Pattern RETURNEES = Pattern.compile("\"returnees\"\\s*:\\s*(\\d+)");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final ToLongFunction<String> returnees;
    private final Duration interval;
    private Optional<String> unavailable;
    private boolean first = true;

    /**
     * @param uri       the GET that answers the probe township's all-time totals
     * @param returnees reads the returnee count from the response body
     * @param interval  pause between two requests
     */
    public QueryApiTarget(URI uri, ToLongFunction<String> returnees, Duration interval) {
        this.uri = uri;
        this.returnees = returnees;
        this.interval = interval;
    }

    /** The query API of issue 6 on a streams service at {@code baseUrl}. */
    public static QueryApiTarget totalsApi(String baseUrl, String township, Duration interval) {
        return new QueryApiTarget(URI.create(baseUrl + "/api/v1/totals/" + township + "?period=ALL"),
                QueryApiTarget::firstReturnees, interval);
    }

    /** The first {@code "returnees": n} of a JSON body. */
    static long firstReturnees(String body) {
        Matcher matcher = RETURNEES.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("No \"returnees\" in the query API's answer");
        }
        return Long.parseLong(matcher.group(1));
    }

    @Override
    public String name() {
        return "query API";
    }

    @Override
    public Optional<String> unavailableReason() {
        if (unavailable == null) {
            try {
                HttpResponse<String> response = get();
                if (response.statusCode() != 200) {
                    unavailable = Optional.of("GET " + uri.getPath() + " answered HTTP " + response.statusCode());
                } else {
                    returnees.applyAsLong(response.body());
                    unavailable = Optional.empty();
                }
            } catch (IOException | RuntimeException e) {
                unavailable = Optional.of("GET " + uri.getPath() + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = Optional.of("interrupted");
            }
        }
        return unavailable;
    }

    @Override
    public long read() throws Exception {
        if (!first) {
            TimeUnit.NANOSECONDS.sleep(interval.toNanos());
        }
        first = false;
        HttpResponse<String> response = get();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        return returnees.applyAsLong(response.body());
    }

    private HttpResponse<String> get() throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
