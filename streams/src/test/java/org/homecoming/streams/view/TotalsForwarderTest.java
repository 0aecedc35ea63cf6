package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.homecoming.events.PeriodKind;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.Test;

/** Forwarding to the owning instance over HTTP: the answer, the owner's refusal, and the timeout. */
class TotalsForwarderTest {

    private static final List<Bucket> BUCKETS = List.of(new Bucket("140000", PeriodKind.ALL, Bucket.ALL_TIME_START),
            new Bucket("140100", PeriodKind.MONTH, LocalDate.of(2020, 3, 1)));

    @Test
    void the_owner_answers_the_buckets_asked_for_in_one_request() throws IOException {
        AtomicReference<String> query = new AtomicReference<>();
        HttpServer owner = server(200, "[{\"regionCode\":\"140000\",\"periodKind\":\"ALL\",\"periodStart\":\"1970-01-01\","
                + "\"returnees\":7,\"employedNearHome\":1,\"businessesStarted\":2,\"guaranteedLoansFen\":3,"
                + "\"jobsCreated\":4,\"trained\":5,\"updatedAt\":\"2020-03-15T02:00:00Z\"}]", query);
        try {
            List<StoredTotals> answer = new TotalsForwarder(Duration.ofSeconds(2))
                    .fetch(new HostInfo("localhost", owner.getAddress().getPort()), BUCKETS);

            assertThat(answer).containsExactly(new StoredTotals("140000", PeriodKind.ALL, LocalDate.EPOCH, 7, 1, 2, 3, 4, 5,
                    Instant.parse("2020-03-15T02:00:00Z")));
            assertThat(query.get()).isEqualTo("bucket=140000|ALL|1970-01-01&bucket=140100|MONTH|2020-03-01");
        } finally {
            owner.stop(0);
        }
    }

    @Test
    void an_owner_refusing_makes_the_query_unavailable() throws IOException {
        HttpServer owner = server(503, "{\"detail\":\"not the owner\"}", new AtomicReference<>());
        try {
            assertThatThrownBy(() -> new TotalsForwarder(Duration.ofSeconds(2))
                    .fetch(new HostInfo("localhost", owner.getAddress().getPort()), BUCKETS))
                    .isInstanceOf(ViewUnavailableException.class)
                    .hasMessageContaining("localhost:" + owner.getAddress().getPort());
        } finally {
            owner.stop(0);
        }
    }

    @Test
    void an_owner_that_never_answers_is_given_up_after_the_timeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    ignored.getInputStream().readNBytes(1 << 20);
                } catch (IOException e) {
                    // the test closed the socket
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long begin = System.nanoTime();

            assertThatThrownBy(() -> new TotalsForwarder(Duration.ofMillis(300))
                    .fetch(new HostInfo("localhost", silent.getLocalPort()), BUCKETS))
                    .isInstanceOf(ViewUnavailableException.class)
                    .hasMessageContaining("did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static HttpServer server(int status, String body, AtomicReference<String> query) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext(TotalsForwarder.INTERNAL_PATH, exchange -> {
            query.set(exchange.getRequestURI().getQuery());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
