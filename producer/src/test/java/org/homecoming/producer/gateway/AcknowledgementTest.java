package org.homecoming.producer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The answer waits for the broker: with a producer that acknowledges only when told to, a record is not
 * answered until its acknowledgement arrives, and a refused write is a 503 with Retry-After. Each answer
 * is counted in {@code homecoming.gateway.records}.
 */
class AcknowledgementTest extends GatewayTestSupport {

    private final MeterRegistry meters;

    @Autowired
    AcknowledgementTest(MockMvc mvc, MeterRegistry meters) {
        super(mvc);
        this.meters = meters;
    }

    private MvcResult postRecord(String body) throws Exception {
        return mvc.perform(post("/api/v1/registrations").header("Authorization", "Bearer " + QINSHUI_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
    }

    private double counted(int status) {
        return meters.get(GatewayRecords.NAME).tag("status", String.valueOf(status)).counter().count();
    }

    @Test
    void a_record_is_answered_202_only_after_the_broker_acknowledged_it() throws Exception {
        SharedMockProducer manual = new SharedMockProducer(false);
        producer = manual;
        double before = counted(202);
        UUID eventId = UUID.randomUUID();

        MvcResult pending = postRecord(returnee(eventId, id(41), LONGGANG, "2020-01-20"));

        assertThat(manual.history()).hasSize(1);
        assertThat(pending.getRequest().isAsyncStarted()).isTrue();
        assertThat(answered(pending)).as("answered before the acknowledgement").isFalse();
        assertThat(counted(202)).isEqualTo(before);

        assertThat(manual.completeNext()).isTrue();
        MockHttpServletResponse response = answer(pending).getResponse();

        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains(eventId.toString()).contains("ACCEPTED");
        assertThat(counted(202)).isEqualTo(before + 1);
    }

    @Test
    void a_record_the_broker_refuses_is_answered_503_with_retry_after_and_counted() throws Exception {
        SharedMockProducer manual = new SharedMockProducer(false);
        producer = manual;
        double before = counted(503);
        UUID eventId = UUID.randomUUID();

        MvcResult pending = postRecord(returnee(eventId, id(42), LONGGANG, "2020-01-20"));
        assertThat(answered(pending)).isFalse();
        assertThat(manual.errorNext(new NotEnoughReplicasException("fewer in-sync replicas than min.insync.replicas")))
                .isTrue();
        MockHttpServletResponse response = answer(pending).getResponse();

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString(StandardCharsets.UTF_8))
                .contains("urn:homecoming:problem:not-acknowledged").contains(eventId.toString()).doesNotContain(id(42));
        assertThat(counted(503)).isEqualTo(before + 1);
    }

    @Test
    void a_record_the_template_cannot_hand_to_the_producer_is_answered_503_with_retry_after() throws Exception {
        SharedMockProducer failing = new SharedMockProducer(true);
        failing.sendException = new org.apache.kafka.common.errors.TimeoutException("no metadata within max.block.ms");
        producer = failing;
        UUID eventId = UUID.randomUUID();

        MockHttpServletResponse response = answer(postRecord(returnee(eventId, id(43), LONGGANG, "2020-01-20")))
                .getResponse();

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains(eventId.toString());
        assertThat(failing.history()).isEmpty();
    }

    @Test
    void a_batch_is_answered_once_every_record_is_acknowledged_or_refused_each_on_its_own() throws Exception {
        SharedMockProducer manual = new SharedMockProducer(false);
        producer = manual;
        String body = "{\"records\": [" + returnee(UUID.randomUUID(), id(44), LONGGANG, "2020-01-20") + ","
                + returnee(UUID.randomUUID(), id(45), LONGGANG, "2020-01-21") + "]}";

        MvcResult pending = mvc.perform(post("/api/v1/registrations:batch")
                .header("Authorization", "Bearer " + QINSHUI_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
        assertThat(manual.completeNext()).isTrue();
        assertThat(answered(pending)).as("answered with one record still unacknowledged").isFalse();
        assertThat(manual.errorNext(new NotEnoughReplicasException("not enough replicas"))).isTrue();
        MockHttpServletResponse response = answer(pending).getResponse();

        assertThat(response.getStatus()).isEqualTo(207);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString()).contains("\"accepted\":1").contains("\"notAcknowledged\":1");
    }

    @Test
    void every_answer_is_counted_by_status_including_requests_refused_as_a_whole() throws Exception {
        double unauthenticated = counted(401);
        double unreadable = counted(400);

        mvc.perform(post("/api/v1/registrations").contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn();
        mvc.perform(post("/api/v1/registrations").header("Authorization", "Bearer " + QINSHUI_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content("{not json")).andReturn();

        assertThat(counted(401)).isEqualTo(unauthenticated + 1);
        assertThat(counted(400)).isEqualTo(unreadable + 1);
        assertThat(meters.find(GatewayRecords.NAME).tag("status", "503").counter()).as("a series before its first record")
                .isNotNull();
    }
}
