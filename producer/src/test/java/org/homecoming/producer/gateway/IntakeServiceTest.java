package org.homecoming.producer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.ProducerProperties;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The intake's own deadline: a record whose acknowledgement does not come in time is a 503, and stays one. */
class IntakeServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GatewayTestSupport.SharedMockProducer producer = new GatewayTestSupport.SharedMockProducer(false);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Terminals terminals = new Terminals(List.of(new ProducerProperties.Terminal("T-QINSHUI-01",
            GatewayTestSupport.QINSHUI_TOKEN_SHA256, List.of("140521"))), Regions.shanxi());
    private final Terminals.Terminal terminal = terminals.authenticate("Bearer " + GatewayTestSupport.QINSHUI_TOKEN)
            .orElseThrow();

    private IntakeService intake(Duration ackTimeout) {
        KafkaTemplate<String, RegistrationEvent> template = new KafkaTemplate<>(new MockProducerFactory<>(() -> producer));
        template.setMicrometerEnabled(false);
        RecordParser parser = new RecordParser(new Pseudonymizer(GatewayTestSupport.KEY, 3),
                new EventRules(Regions.shanxi()), Clock.systemUTC());
        return new IntakeService(parser, terminals, template, new GatewayRecords(meters), ackTimeout, Duration.ofSeconds(7));
    }

    private static Object record(int person) {
        return JSON.readValue(GatewayTestSupport.returnee(UUID.randomUUID(), GatewayTestSupport.id(person),
                GatewayTestSupport.LONGGANG, "2020-01-20"), Object.class);
    }

    @Test
    void a_record_not_acknowledged_within_the_deadline_is_answered_503_and_a_late_acknowledgement_changes_nothing()
            throws Exception {
        CompletableFuture<List<IntakeService.Outcome>> answer = intake(Duration.ofMillis(200)).submit(List.of(record(1)),
                terminal);

        List<IntakeService.Outcome> outcomes = answer.get(5, TimeUnit.SECONDS);
        assertThat(outcomes).extracting(IntakeService.Outcome::status).containsExactly(503);
        assertThat(outcomes.get(0).problem()).containsEntry("type", "urn:homecoming:problem:not-acknowledged");

        assertThat(producer.completeNext()).isTrue();
        assertThat(answer.get()).extracting(IntakeService.Outcome::status).containsExactly(503);
        assertThat(meters.get(GatewayRecords.NAME).tag("status", "503").counter().count()).isEqualTo(1);
        assertThat(meters.get(GatewayRecords.NAME).tag("status", "202").counter().count()).isZero();
    }

    @Test
    void records_that_are_refused_need_no_acknowledgement_and_are_answered_at_once() {
        CompletableFuture<List<IntakeService.Outcome>> answer = intake(Duration.ofSeconds(10))
                .submit(List.of(java.util.Map.of("eventId", "not-a-uuid")), terminal);

        assertThat(answer).isDone();
        assertThat(answer.join()).extracting(IntakeService.Outcome::status).containsExactly(400);
        assertThat(producer.history()).isEmpty();
    }
}
