package org.homecoming.producer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The gateway's real Kafka producer pointed at a port where no broker listens, with short bounds: the
 * terminal gets 503 with Retry-After within the bound, never a 202.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
    "spring.config.additional-location=optional:classpath:/org/homecoming/producer/",
    "homecoming.producer.person-key=" + GatewayTestSupport.KEY_BASE64,
    "homecoming.producer.max-block=1s",
    "homecoming.producer.delivery-timeout=2s",
    "homecoming.producer.retry-after=7s",
    "homecoming.producer.terminals[0].id=T-QINSHUI-01",
    "homecoming.producer.terminals[0].token-sha256=" + GatewayTestSupport.QINSHUI_TOKEN_SHA256,
    "homecoming.producer.terminals[0].townships[0]=140521"})
@AutoConfigureMockMvc
@DirtiesContext // its producer keeps reconnecting to the dead port until closed
class BrokerUnavailableTest {

    private final MockMvc mvc;

    @Autowired
    BrokerUnavailableTest(MockMvc mvc) {
        this.mvc = mvc;
    }

    @DynamicPropertySource
    static void deadBroker(DynamicPropertyRegistry registry) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry.add("homecoming.producer.bootstrap-servers", () -> "localhost:" + port);
        registry.add("homecoming.producer.schema-registry-url", () -> "http://localhost:" + port);
    }

    private MockHttpServletResponse post(String path, String body) throws Exception {
        MvcResult result = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                .header("Authorization", "Bearer " + GatewayTestSupport.QINSHUI_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
        return GatewayTestSupport.answer(result).getResponse();
    }

    @Test
    void a_record_is_answered_503_with_retry_after_when_no_broker_acknowledges_it() throws Exception {
        UUID eventId = UUID.randomUUID();
        long begin = System.nanoTime();
        MockHttpServletResponse response = post("/api/v1/registrations",
                GatewayTestSupport.returnee(eventId, GatewayTestSupport.id(1), GatewayTestSupport.LONGGANG, "2020-01-20"));
        long millis = (System.nanoTime() - begin) / 1_000_000;

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString(StandardCharsets.UTF_8))
                .contains("urn:homecoming:problem:not-acknowledged").contains(eventId.toString())
                .doesNotContain(GatewayTestSupport.id(1));
        assertThat(millis).as("bounded by max-block and delivery-timeout").isLessThan(10_000);
    }

    @Test
    void a_batch_is_503_with_retry_after_and_still_reports_its_invalid_records() throws Exception {
        String body = "{\"records\": [" + GatewayTestSupport.returnee(UUID.randomUUID(), GatewayTestSupport.id(2),
                GatewayTestSupport.LONGGANG, "2020-01-20") + "," + GatewayTestSupport.returnee(UUID.randomUUID(),
                GatewayTestSupport.id(3), GatewayTestSupport.LONGGANG, "2020-01-21") + "]}";
        MockHttpServletResponse all = post("/api/v1/registrations:batch", body);
        assertThat(all.getStatus()).isEqualTo(503);
        assertThat(all.getHeader("Retry-After")).isEqualTo("7");
        assertThat(all.getContentAsString()).contains("\"notAcknowledged\":2").contains("\"accepted\":0");

        String mixed = "{\"records\": [" + GatewayTestSupport.returnee(UUID.randomUUID(), GatewayTestSupport.id(4),
                GatewayTestSupport.LONGGANG, "2020-01-20") + "," + GatewayTestSupport.returnee(UUID.randomUUID(),
                GatewayTestSupport.id(5), "140521999", "2020-01-21") + "]}";
        MockHttpServletResponse partly = post("/api/v1/registrations:batch", mixed);
        assertThat(partly.getStatus()).isEqualTo(207);
        assertThat(partly.getHeader("Retry-After")).isEqualTo("7");
        assertThat(partly.getContentAsString()).contains("\"notAcknowledged\":1").contains("\"refused\":1");
    }
}
