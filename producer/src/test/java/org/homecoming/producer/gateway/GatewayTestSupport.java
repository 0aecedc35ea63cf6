package org.homecoming.producer.gateway;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The gateway in a mock servlet environment with a {@link MockProducer} behind its template: every record
 * the gateway produced can be read back. Two terminals: one for Qinshui county, one for the province.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
    "spring.config.additional-location=optional:classpath:/org/homecoming/producer/",
    "homecoming.producer.person-key=" + GatewayTestSupport.KEY_BASE64,
    "homecoming.producer.person-key-version=3",
    "homecoming.producer.terminals[0].id=T-QINSHUI-01",
    "homecoming.producer.terminals[0].token-sha256=" + GatewayTestSupport.QINSHUI_TOKEN_SHA256,
    "homecoming.producer.terminals[0].townships[0]=140521",
    "homecoming.producer.terminals[1].id=T-LONGGANG-02",
    "homecoming.producer.terminals[1].token-sha256=" + GatewayTestSupport.LONGGANG_TOKEN_SHA256,
    "homecoming.producer.terminals[1].townships[0]=140521100",
    "logging.level.org.homecoming=DEBUG",
    "logging.level.org.springframework.web=TRACE"})
@AutoConfigureMockMvc
abstract class GatewayTestSupport {

    static final byte[] KEY = "test-key-of-exactly-thirty-two-bytes!!".getBytes(StandardCharsets.US_ASCII);
    static final String KEY_BASE64 = "dGVzdC1rZXktb2YtZXhhY3RseS10aGlydHktdHdvLWJ5dGVzISE=";
    static final String QINSHUI_TOKEN = "qinshui-terminal-token";
    /** SHA-256 of {@link #QINSHUI_TOKEN}. */
    static final String QINSHUI_TOKEN_SHA256 = "1b01118cacc1e6e2e568f769b8165dbc8859637ad5798dcc4a08a5bff74bc86e";
    static final String LONGGANG_TOKEN = "longgang-terminal-token";
    /** SHA-256 of {@link #LONGGANG_TOKEN}. */
    static final String LONGGANG_TOKEN_SHA256 = "e9c65d3c3660779ed5bda9589b1e74be07d2d577376794f2c44fe24db6518c3f";
    static final String LONGGANG = "140521100";
    static final String ZHONGCUN = "140521101";
    static final String WUCHENG_TAIYUAN = "140105001";

    /** Acknowledges every record at once. */
    static final MockProducer<String, RegistrationEvent> PRODUCER = new SharedMockProducer(true);
    /** The producer behind the template: {@link #PRODUCER} unless a test swaps in its own. */
    static volatile MockProducer<String, RegistrationEvent> producer = PRODUCER;

    @TestBean
    ProducerFactory<String, RegistrationEvent> registrationProducerFactory;

    final MockMvc mvc;

    GatewayTestSupport(MockMvc mvc) {
        this.mvc = mvc;
    }

    static ProducerFactory<String, RegistrationEvent> registrationProducerFactory() {
        return new MockProducerFactory<>(() -> producer);
    }

    /**
     * A mock producer that, like the one a {@code DefaultKafkaProducerFactory} shares, stays open when the
     * template closes it after a send.
     */
    static final class SharedMockProducer extends MockProducer<String, RegistrationEvent> {

        SharedMockProducer(boolean autoComplete) {
            super(autoComplete, null, new StringSerializer(), serializer());
        }

        @Override
        public void close() {
        }

        @Override
        public void close(Duration timeout) {
        }
    }

    static SpecificAvroSerializer<RegistrationEvent> serializer() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ContractSchemas.registerAll(registry);
        return new SpecificAvroSerializer<>(registry, false);
    }

    @BeforeEach
    void clearProducer() {
        producer = PRODUCER;
        PRODUCER.clear();
    }

    /**
     * The request once answered: an intake request still waiting for Kafka's acknowledgement is answered
     * asynchronously, when it arrives.
     */
    static MvcResult answer(MvcResult result) {
        await().atMost(Duration.ofSeconds(20)).until(() -> answered(result));
        return result;
    }

    static boolean answered(MvcResult result) {
        return !result.getRequest().isAsyncStarted();
    }

    static String id(int n) {
        return NationalId.of("140521", LocalDate.of(1980, 1, 1).plusDays(n), n % 999 + 1);
    }

    static String personRef(String nationalId) {
        return new Pseudonymizer(KEY, 3).personRef(nationalId);
    }

    static String returnee(UUID eventId, String nationalId, String township, String occurredOn) {
        return """
                {"eventId": "%s", "nationalId": "%s", "townshipCode": "%s", "occurredOn": "%s",
                 "recordedAt": "2020-01-20T09:15:00+08:00", "type": "RETURNEE_REGISTERED",
                 "payload": {"returnReason": "FAMILY", "previousWorkProvince": "44"}}
                """.formatted(eventId, nationalId, township, occurredOn);
    }

}
