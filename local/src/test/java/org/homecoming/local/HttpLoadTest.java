package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HttpLoadTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void a_response_with_a_content_length_is_complete_after_its_last_body_byte_even_when_split() {
        HttpLoad.ResponseReader reader = new HttpLoad.ResponseReader();
        assertThat(reader.feed(bytes("HTTP/1.1 202 \r\nContent-Type: application/json\r\nContent-Len"))).isFalse();
        assertThat(reader.feed(bytes("gth: 11\r\n\r\n{\"eventId\""))).isFalse();
        assertThat(reader.feed(bytes("}"))).isTrue();
        assertThat(reader.status()).isEqualTo(202);
        assertThat(reader.keepAlive()).isTrue();
    }

    @Test
    void a_chunked_response_is_complete_after_its_last_chunk_and_the_connection_close_header_is_seen() {
        HttpLoad.ResponseReader reader = new HttpLoad.ResponseReader();
        String response = "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\na;ext=1\r\n0123456789\r\n0\r\n\r\n";
        ByteBuffer all = bytes(response);
        for (int i = 0; i < response.length() - 1; i++) {
            assertThat(reader.feed(ByteBuffer.wrap(new byte[] {all.get(i)}))).as("after byte %d", i).isFalse();
        }
        assertThat(reader.feed(ByteBuffer.wrap(new byte[] {all.get(response.length() - 1)}))).isTrue();
        assertThat(reader.status()).isEqualTo(503);
        assertThat(reader.keepAlive()).isFalse();
    }

    @Test
    void a_reset_reader_reads_the_next_response_on_the_same_connection() {
        HttpLoad.ResponseReader reader = new HttpLoad.ResponseReader();
        assertThat(reader.feed(bytes("HTTP/1.1 400 \r\nContent-Length: 0\r\n\r\n"))).isTrue();
        reader.reset();
        assertThat(reader.feed(bytes("HTTP/1.1 202 \r\nContent-Length: 2\r\n\r\n{}"))).isTrue();
        assertThat(reader.status()).isEqualTo(202);
    }

    @Test
    void a_post_carries_the_token_the_content_type_and_the_body_length_in_bytes() {
        String message = new String(HttpLoad.post(URI.create("http://localhost:8080/api/v1/registrations"), "t0ken",
                "{\"a\":\"é\"}"), StandardCharsets.UTF_8);

        assertThat(message).startsWith("POST /api/v1/registrations HTTP/1.1\r\nHost: localhost:8080\r\n")
                .contains("Authorization: Bearer t0ken\r\n").contains("Content-Type: application/json\r\n")
                .contains("Content-Length: 10\r\n\r\n").endsWith("{\"a\":\"é\"}");
    }
}
