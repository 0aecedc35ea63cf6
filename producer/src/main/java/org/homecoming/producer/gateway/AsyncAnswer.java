package org.homecoming.producer.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer to a request that waits for Kafka, written straight to the servlet response once it is known.
 * Returning a {@code CompletableFuture} to Spring MVC would do the same with no thread waiting, but MVC then
 * dispatches the request a second time, through the filters and the {@code DispatcherServlet}, only to write
 * the answer: at 8,000 single records a second that second pass was a third of the gateway's CPU
 * ({@code docs/tuning.md}, "Gateway at 10,000 requests/s"). The first pass still runs in full, so the
 * terminal check, the request metrics and the exception handlers are those of any other request.
 */
final class AsyncAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncAnswer.class);
    private static final JsonMapper JSON = GatewayJson.MAPPER;

    private final AsyncContext async;
    private final boolean small;

    private AsyncAnswer(AsyncContext async, boolean small) {
        this.async = async;
        this.small = small;
    }

    /**
     * Takes the request out of the servlet's hands until {@link #send}. The container's own timeout is a
     * backstop only: the intake's deadline answers 503 before it.
     *
     * @param small whether the answer is small (one record's): see {@link #send}
     */
    static AsyncAnswer start(HttpServletRequest request, HttpServletResponse response, Duration timeout, boolean small) {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeout.toMillis());
        return new AsyncAnswer(async, small);
    }

    /**
     * Makes and writes the answer, and ends the request. A small answer is made on the calling thread,
     * Kafka's, into the response buffer, which it fits: that thread never writes to a socket, so a terminal
     * that does not read cannot block it; the container sends the answer on a thread of its own when the
     * request completes. That saves a hand-over per record. A batch's answer is made and written on a
     * container thread, so a thousand results never hold up the acknowledgements of other requests.
     */
    void send(Supplier<ResponseEntity<Object>> answer) {
        if (small) {
            writeAndComplete(answer);
            return;
        }
        try {
            async.start(() -> writeAndComplete(answer));
        } catch (IllegalStateException e) {
            // the container ended the request already (client gone, or its timeout)
            LOG.debug("The request ended before its answer: {}", e.toString());
        }
    }

    private void writeAndComplete(Supplier<ResponseEntity<Object>> answer) {
        try {
            write((HttpServletResponse) async.getResponse(), answer.get());
        } catch (IOException | RuntimeException e) {
            LOG.debug("The answer could not be written: {}", e.toString());
        } finally {
            async.complete();
        }
    }

    private static void write(HttpServletResponse response, ResponseEntity<Object> answer) throws IOException {
        response.setStatus(answer.getStatusCode().value());
        HttpHeaders headers = answer.getHeaders();
        for (Map.Entry<String, List<String>> header : headers.headerSet()) {
            for (String value : header.getValue()) {
                response.addHeader(header.getKey(), value);
            }
        }
        // No Content-Length: with one, the write that reaches it sends the response on this thread. Without,
        // a small body stays in the response buffer, and the container sends it (length set) when completing.
        response.getOutputStream().write(JSON.writeValueAsBytes(answer.getBody()));
    }
}
