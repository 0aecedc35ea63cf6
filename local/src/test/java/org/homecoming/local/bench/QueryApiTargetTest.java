package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryApiTargetTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int status, AtomicLong returnees) throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/api/v1/totals/", exchange -> {
            byte[] body = ("{\"regionCode\":\"140105001\",\"period\":\"ALL\",\"returnees\": " + returnees.get()
                    + ",\"trained\":0}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://localhost:" + server.getAddress().getPort();
    }

    @Test
    void a_served_endpoint_is_available_and_read_as_it_changes() throws Exception {
        AtomicLong returnees = new AtomicLong(7);
        QueryApiTarget target = QueryApiTarget.totalsApi(serve(200, returnees), "140105001", Duration.ofMillis(1));

        assertThat(target.unavailableReason()).isEmpty();
        assertThat(target.read()).isEqualTo(7);
        returnees.set(9);
        assertThat(target.read()).isEqualTo(9);
    }

    @Test
    void an_endpoint_answering_404_is_not_available_with_the_reason() throws Exception {
        QueryApiTarget target = QueryApiTarget.totalsApi(serve(404, new AtomicLong()), "140105001", Duration.ofMillis(1));

        assertThat(target.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason).contains("HTTP 404"));
    }

    @Test
    void nothing_listening_is_not_available() {
        QueryApiTarget target = QueryApiTarget.totalsApi("http://localhost:" + org.homecoming.local.StackPorts.free().kafka(),
                "140105001", Duration.ofMillis(1));

        assertThat(target.unavailableReason()).isPresent();
    }

    @Test
    void a_body_without_returnees_is_an_error() {
        assertThatThrownBy(() -> QueryApiTarget.firstReturnees("{\"trained\":1}")).isInstanceOf(IllegalStateException.class);
        assertThat(QueryApiTarget.firstReturnees("{\"returnees\" :  12}")).isEqualTo(12);
    }
}
