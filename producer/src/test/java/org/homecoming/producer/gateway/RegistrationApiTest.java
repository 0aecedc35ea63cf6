package org.homecoming.producer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class RegistrationApiTest extends GatewayTestSupport {

    @Autowired
    RegistrationApiTest(MockMvc mvc) {
        super(mvc);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SINGLE = "/api/v1/registrations";
    private static final String BATCH = "/api/v1/registrations:batch";

    private MockHttpServletResponse postAs(String token, String path, String body) throws Exception {
        var request = post(path).contentType(MediaType.APPLICATION_JSON).content(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return answer(mvc.perform(request).andReturn()).getResponse();
    }

    private static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsString(StandardCharsets.UTF_8));
    }

    /** Field to code of every error of a 400 problem. */
    private static Map<String, String> errors(JsonNode problem) {
        Map<String, String> byField = new java.util.LinkedHashMap<>();
        for (JsonNode error : problem.get("errors")) {
            byField.put(error.get("field").asString(), error.get("code").asString());
        }
        return byField;
    }

    private Map<String, String> errorsOf(String body) throws Exception {
        MockHttpServletResponse response = postAs(QINSHUI_TOKEN, SINGLE, body);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asString()).isEqualTo("urn:homecoming:problem:invalid-record");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(PRODUCER.history()).isEmpty();
        return errors(problem);
    }

    @Test
    void a_valid_record_is_acknowledged_with_its_event_id_and_produced_pseudonymised_and_keyed_by_person() throws Exception {
        UUID eventId = UUID.randomUUID();
        String nationalId = id(1);
        MockHttpServletResponse response = postAs(QINSHUI_TOKEN, SINGLE, returnee(eventId, nationalId, LONGGANG, "2020-01-20"));

        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(json(response).get("eventId").asString()).isEqualTo(eventId.toString());
        assertThat(PRODUCER.history()).hasSize(1);
        ProducerRecord<String, RegistrationEvent> record = PRODUCER.history().get(0);
        assertThat(record.topic()).isEqualTo(Topics.REGISTRATIONS.name());
        RegistrationEvent event = record.value();
        assertThat(record.key()).isEqualTo(personRef(nationalId)).isEqualTo(event.getPersonRef());
        assertThat(event.getPersonRefKeyVersion()).isEqualTo(3);
        assertThat(event.getEventId()).isEqualTo(eventId);
        assertThat(event.getTownshipCode()).isEqualTo(LONGGANG);
        assertThat(event.getTerminalId()).isEqualTo("T-QINSHUI-01");
        assertThat(event.getOccurredOn()).isEqualTo(LocalDate.of(2020, 1, 20));
        assertThat(event.getPayload()).isEqualTo(new ReturneeRegistered("44", ReturnReason.FAMILY));
    }

    @Test
    void an_id_with_a_lower_case_x_check_character_is_the_same_person_as_with_upper_case() throws Exception {
        String upper = null;
        for (int n = 0; upper == null; n++) {
            if (id(n).endsWith("X")) {
                upper = id(n);
            }
        }
        String lower = upper.substring(0, 17) + "x";
        assertThat(postAs(QINSHUI_TOKEN, SINGLE, returnee(UUID.randomUUID(), lower, LONGGANG, "2020-01-20")).getStatus())
                .isEqualTo(202);
        assertThat(PRODUCER.history().get(0).key()).isEqualTo(personRef(upper));
    }

    @Test
    void a_national_id_with_a_wrong_check_digit_is_refused_on_that_field() throws Exception {
        String good = id(2);
        char wrong = good.charAt(17) == '0' ? '1' : '0';
        assertThat(errorsOf(returnee(UUID.randomUUID(), good.substring(0, 17) + wrong, LONGGANG, "2020-01-20")))
                .containsExactly(Map.entry("nationalId", "NATIONAL_ID_BAD_CHECK_DIGIT"));
    }

    @Test
    void a_national_id_with_an_impossible_birth_date_length_or_characters_is_refused() throws Exception {
        String feb30 = "14052119850230123";
        String badBirth = feb30 + org.homecoming.producer.identity.NationalId.checkCharacter(feb30);
        assertThat(errorsOf(returnee(UUID.randomUUID(), badBirth, LONGGANG, "2020-01-20")))
                .containsExactly(Map.entry("nationalId", "NATIONAL_ID_BAD_BIRTH_DATE"));
        String future = "14052121000101123";
        assertThat(errorsOf(returnee(UUID.randomUUID(), future + org.homecoming.producer.identity.NationalId
                .checkCharacter(future), LONGGANG, "2020-01-20"))).containsExactly(
                        Map.entry("nationalId", "NATIONAL_ID_BAD_BIRTH_DATE"));
        assertThat(errorsOf(returnee(UUID.randomUUID(), "14052119850101123", LONGGANG, "2020-01-20")))
                .containsExactly(Map.entry("nationalId", "NATIONAL_ID_WRONG_LENGTH"));
        assertThat(errorsOf(returnee(UUID.randomUUID(), "1405211985010112AB", LONGGANG, "2020-01-20")))
                .containsExactly(Map.entry("nationalId", "NATIONAL_ID_NOT_DIGITS"));
    }

    @Test
    void a_township_code_that_does_not_exist_or_is_not_a_township_is_refused() throws Exception {
        assertThat(errorsOf(returnee(UUID.randomUUID(), id(3), "140521999", "2020-01-20")))
                .containsExactly(Map.entry("townshipCode", "UNKNOWN_TOWNSHIP"));
        assertThat(errorsOf(returnee(UUID.randomUUID(), id(3), "140521", "2020-01-20")))
                .containsExactly(Map.entry("townshipCode", "NOT_A_TOWNSHIP"));
    }

    @Test
    void dates_must_be_well_formed_not_too_early_and_not_in_the_future() throws Exception {
        assertThat(errorsOf(returnee(UUID.randomUUID(), id(4), LONGGANG, "2020-02-30")))
                .containsExactly(Map.entry("occurredOn", "INVALID_FORMAT"));
        assertThat(errorsOf(returnee(UUID.randomUUID(), id(4), LONGGANG, "2014-12-31")))
                .containsExactly(Map.entry("occurredOn", "DATE_TOO_EARLY"));
        assertThat(errorsOf(returnee(UUID.randomUUID(), id(4), LONGGANG, LocalDate.now().plusDays(2).toString())))
                .containsExactly(Map.entry("occurredOn", "DATE_IN_FUTURE"));
        assertThat(errorsOf(returnee(UUID.randomUUID(), id(4), LONGGANG, "2020-01-20")
                .replace("2020-01-20T09:15:00+08:00", "yesterday")))
                .containsExactly(Map.entry("recordedAt", "INVALID_FORMAT"));
    }

    private static String business(String occurredOn, String loan, String capital, String jobs, String type) {
        return """
                {"eventId": "%s", "nationalId": "%s", "townshipCode": "%s", "occurredOn": "%s",
                 "type": "BUSINESS_STARTED", "payload": {"businessType": %s, "registeredCapitalFen": %s,
                 "guaranteedLoanFen": %s, "jobsCreated": %s}}
                """.formatted(UUID.randomUUID(), id(5), LONGGANG, occurredOn, type, capital, loan, jobs);
    }

    @Test
    void a_loan_above_the_ceiling_in_force_on_its_date_is_refused_and_one_at_the_ceiling_is_not() throws Exception {
        assertThat(errorsOf(business("2020-05-01", "30000001", "0", "2", "\"RURAL_INN\"")))
                .containsExactly(Map.entry("payload.guaranteedLoanFen", "LOAN_OVER_CEILING"));
        assertThat(errorsOf(business("2019-05-01", "15000001", "0", "2", "\"RURAL_INN\"")))
                .containsExactly(Map.entry("payload.guaranteedLoanFen", "LOAN_OVER_CEILING"));

        assertThat(postAs(QINSHUI_TOKEN, SINGLE, business("2020-05-01", "30000000", "50000000", "4", "\"RURAL_INN\""))
                .getStatus()).isEqualTo(202);
        assertThat(PRODUCER.history().get(0).value().getPayload())
                .isEqualTo(new BusinessStarted(BusinessType.RURAL_INN, 50_000_000L, 30_000_000L, 4));
    }

    @Test
    void amounts_must_be_whole_non_negative_numbers_and_enums_known_values_with_one_entry_per_bad_field() throws Exception {
        assertThat(errorsOf(business("2020-05-01", "-1", "12.5", "\"three\"", "\"SPACESHIPS\"")))
                .containsExactlyInAnyOrderEntriesOf(
                Map.of("payload.businessType", "INVALID_VALUE",
                        "payload.registeredCapitalFen", "INVALID_FORMAT",
                        "payload.jobsCreated", "INVALID_FORMAT",
                        "payload.guaranteedLoanFen", "NEGATIVE_AMOUNT"));
        assertThat(errorsOf(business("2020-05-01", "99999999999999999999", "0", "-3", "\"RURAL_INN\"")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "payload.guaranteedLoanFen", "OUT_OF_RANGE",
                        "payload.jobsCreated", "NEGATIVE_AMOUNT"));
    }

    @Test
    void required_fields_are_each_reported_when_missing() throws Exception {
        assertThat(errorsOf("{\"payload\": {}}")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "eventId", "MISSING_FIELD",
                "nationalId", "MISSING_FIELD",
                "townshipCode", "MISSING_FIELD",
                "occurredOn", "MISSING_FIELD",
                "type", "MISSING_FIELD"));
        assertThat(errorsOf("""
                {"eventId": "not-a-uuid", "nationalId": "%s", "townshipCode": "%s", "occurredOn": "2020-03-01",
                 "type": "TRAINING_COMPLETED", "payload": {"hours": -4}}""".formatted(id(6), LONGGANG)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "eventId", "INVALID_FORMAT",
                        "payload.programme", "MISSING_FIELD",
                        "payload.hours", "NEGATIVE_AMOUNT"));
        assertThat(errorsOf("""
                {"eventId": "%s", "nationalId": "%s", "townshipCode": "%s", "occurredOn": "2020-03-01",
                 "type": "EMPLOYED", "payload": {}}""".formatted(UUID.randomUUID(), id(6), LONGGANG)))
                .containsExactly(Map.entry("type", "INVALID_VALUE"));
    }

    @Test
    void training_and_retraction_records_are_taken_in() throws Exception {
        UUID target = UUID.randomUUID();
        String training = """
                {"eventId": "%s", "nationalId": "%s", "townshipCode": "%s", "occurredOn": "2020-03-01",
                 "type": "TRAINING_COMPLETED", "payload": {"programme": "skilled_farmer", "hours": 40}}"""
                .formatted(target, id(7), ZHONGCUN);
        String retraction = """
                {"eventId": "%s", "nationalId": "%s", "townshipCode": "%s", "occurredOn": "2020-03-02",
                 "type": "REGISTRATION_RETRACTED", "payload": {"targetEventId": "%s", "reason": "WRONG_PERSON"}}"""
                .formatted(UUID.randomUUID(), id(7), ZHONGCUN, target);
        assertThat(postAs(QINSHUI_TOKEN, SINGLE, training).getStatus()).isEqualTo(202);
        assertThat(postAs(QINSHUI_TOKEN, SINGLE, retraction).getStatus()).isEqualTo(202);
        assertThat(PRODUCER.history().get(0).value().getPayload()).isInstanceOf(TrainingCompleted.class);
        assertThat(((RegistrationRetracted) PRODUCER.history().get(1).value().getPayload()).getTargetEventId())
                .isEqualTo(target);
    }

    @Test
    void a_missing_or_unknown_token_is_401_and_nothing_is_produced() throws Exception {
        String body = returnee(UUID.randomUUID(), id(8), LONGGANG, "2020-01-20");
        for (String token : new String[] {null, "not-a-terminal", QINSHUI_TOKEN + "x"}) {
            MockHttpServletResponse response = postAs(token, SINGLE, body);
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
            assertThat(json(response).get("type").asString()).isEqualTo("urn:homecoming:problem:unauthenticated");
            assertThat(postAs(token, BATCH, "{\"records\": [" + body + "]}").getStatus()).isEqualTo(401);
        }
        assertThat(PRODUCER.history()).isEmpty();
    }

    @Test
    void a_record_for_a_township_the_terminal_does_not_serve_is_403() throws Exception {
        MockHttpServletResponse taiyuan = postAs(QINSHUI_TOKEN, SINGLE,
                returnee(UUID.randomUUID(), id(9), WUCHENG_TAIYUAN, "2020-01-20"));
        assertThat(taiyuan.getStatus()).isEqualTo(403);
        assertThat(json(taiyuan).get("type").asString()).isEqualTo("urn:homecoming:problem:township-not-served");
        MockHttpServletResponse neighbour = postAs(LONGGANG_TOKEN, SINGLE,
                returnee(UUID.randomUUID(), id(9), ZHONGCUN, "2020-01-20"));
        assertThat(neighbour.getStatus()).isEqualTo(403);
        assertThat(PRODUCER.history()).isEmpty();

        assertThat(postAs(LONGGANG_TOKEN, SINGLE, returnee(UUID.randomUUID(), id(9), LONGGANG, "2020-01-20"))
                .getStatus()).isEqualTo(202);
    }

    @Test
    void a_batch_answers_each_record_and_stores_the_good_ones_whatever_the_bad_ones() throws Exception {
        UUID good1 = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        UUID forbidden = UUID.randomUUID();
        UUID good2 = UUID.randomUUID();
        String body = "{\"records\": [" + String.join(",",
                returnee(good1, id(10), LONGGANG, "2020-01-20"),
                returnee(bad, id(11), "140521999", "2020-01-20"),
                returnee(forbidden, id(12), WUCHENG_TAIYUAN, "2020-01-20"),
                returnee(good2, id(13), ZHONGCUN, "2020-01-21")) + "]}";

        MockHttpServletResponse response = postAs(QINSHUI_TOKEN, BATCH, body);

        assertThat(response.getStatus()).isEqualTo(207);
        assertThat(response.getHeader("Retry-After")).isNull();
        JsonNode answer = json(response);
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("refused").asInt()).isEqualTo(2);
        List<Integer> statuses = new ArrayList<>();
        for (JsonNode result : answer.get("results")) {
            statuses.add(result.get("status").asInt());
        }
        assertThat(statuses).containsExactly(202, 400, 403, 202);
        JsonNode badResult = answer.get("results").get(1);
        assertThat(badResult.get("eventId").asString()).isEqualTo(bad.toString());
        assertThat(errors(badResult.get("problem"))).containsExactly(Map.entry("townshipCode", "UNKNOWN_TOWNSHIP"));
        assertThat(PRODUCER.history()).extracting(r -> r.value().getEventId()).containsExactly(good1, good2);
    }

    @Test
    void a_batch_of_good_records_is_202_and_a_batch_too_large_empty_or_malformed_is_400() throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < RegistrationController.MAX_BATCH; i++) {
            records.add(returnee(UUID.randomUUID(), id(100 + i), LONGGANG, "2020-02-01"));
        }
        MockHttpServletResponse full = postAs(QINSHUI_TOKEN, BATCH, "{\"records\": [" + String.join(",", records) + "]}");
        assertThat(full.getStatus()).isEqualTo(202);
        assertThat(json(full).get("accepted").asInt()).isEqualTo(RegistrationController.MAX_BATCH);
        assertThat(PRODUCER.history()).hasSize(RegistrationController.MAX_BATCH);

        records.add(returnee(UUID.randomUUID(), id(99), LONGGANG, "2020-02-01"));
        PRODUCER.clear();
        for (String body : List.of("{\"records\": [" + String.join(",", records) + "]}", "{\"records\": []}",
                "[]", "{\"records\": [", "{\"records\": {}}")) {
            MockHttpServletResponse response = postAs(QINSHUI_TOKEN, BATCH, body);
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getContentType()).isEqualTo("application/problem+json");
        }
        assertThat(PRODUCER.history()).isEmpty();
    }

    @Test
    void a_body_that_is_not_json_is_400_without_echoing_it() throws Exception {
        String body = "{\"nationalId\": \"" + id(20) + "\", oops";
        MockHttpServletResponse response = postAs(QINSHUI_TOKEN, SINGLE, body);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json(response).get("type").asString()).isEqualTo("urn:homecoming:problem:unreadable-body");
        assertThat(response.getContentAsString()).doesNotContain(id(20)).doesNotContain("oops");
    }

    @Test
    void the_raw_national_id_is_in_no_log_line_response_or_produced_record(CapturedOutput output) throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(id(300 + i));
        }
        responses.add(postAs(QINSHUI_TOKEN, SINGLE, returnee(UUID.randomUUID(), ids.get(0), LONGGANG, "2020-01-20"))
                .getContentAsString());
        responses.add(postAs(QINSHUI_TOKEN, SINGLE, returnee(UUID.randomUUID(), ids.get(1), "140521999", "2031-01-20"))
                .getContentAsString());
        responses.add(postAs(QINSHUI_TOKEN, SINGLE, returnee(UUID.randomUUID(), ids.get(2), WUCHENG_TAIYUAN, "2020-01-20"))
                .getContentAsString());
        // An ID typed into the wrong field must not come back in the message about that field either.
        responses.add(postAs(QINSHUI_TOKEN, SINGLE, returnee(UUID.randomUUID(), ids.get(3), ids.get(3), "2020-01-20"))
                .getContentAsString());
        responses.add(postAs(QINSHUI_TOKEN, BATCH, "{\"records\": [" + returnee(UUID.randomUUID(), ids.get(4), LONGGANG,
                "2020-01-20") + "," + returnee(UUID.randomUUID(), ids.get(4), ids.get(4), "2020-01-20") + "]}")
                .getContentAsString());

        assertThat(PRODUCER.history()).hasSize(2);
        StringBuilder produced = new StringBuilder();
        for (ProducerRecord<String, RegistrationEvent> record : PRODUCER.history()) {
            produced.append(record.key()).append(record.value());
        }
        assertThat(output.getAll()).contains("Terminal T-QINSHUI-01")
                .contains("Mapped to " + RegistrationController.class.getName());
        for (String id : ids) {
            String hex = java.util.HexFormat.of().formatHex(id.substring(0, 17).getBytes(StandardCharsets.US_ASCII));
            assertThat(output.getAll()).doesNotContain(id).doesNotContain(id.substring(0, 17)).doesNotContain(hex);
            assertThat(responses).noneMatch(r -> r.contains(id) || r.contains(id.substring(0, 17)));
            assertThat(produced.toString()).doesNotContain(id.substring(0, 17));
        }
        assertThat(responses.get(3)).contains("[redacted]");
    }

    @Test
    void the_openapi_description_is_served() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/api/v1/openapi.yaml")).andReturn().getResponse();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).startsWith("openapi: 3.1.0").contains("/api/v1/registrations:batch:");
    }
}
