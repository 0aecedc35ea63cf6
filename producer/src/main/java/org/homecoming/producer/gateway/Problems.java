package org.homecoming.producer.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;

/**
 * RFC 9457 problem details as the gateway writes them ({@code application/problem+json}). Built as plain
 * maps so a batch can nest one per record in the same shape.
 */
public final class Problems {

    /** Media type of every error body. */
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    /** Prefix of every problem type URI. */
    public static final String TYPE_PREFIX = "urn:homecoming:problem:";

    private Problems() {
    }

    /** A problem with the standard members and any extension members. */
    public static Map<String, Object> problem(String type, String title, int status, String detail,
                                              Map<String, Object> extensions) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_PREFIX + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", FieldError.redact(detail));
        problem.putAll(extensions);
        return problem;
    }

    /** 400 for one record: one entry per bad field. */
    public static Map<String, Object> invalidRecord(String eventId, List<FieldError> errors) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (eventId != null) {
            extensions.put("eventId", eventId);
        }
        List<Map<String, String>> entries = errors.stream().map(e -> {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("field", e.field());
            entry.put("code", e.code());
            entry.put("message", e.message());
            return entry;
        }).toList();
        extensions.put("errors", entries);
        return problem("invalid-record", "The record has invalid fields", 400,
                errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid", extensions);
    }

    /** 403: the record's township is not one the terminal serves. */
    public static Map<String, Object> townshipNotServed(String eventId, String terminalId, String townshipCode) {
        return problem("township-not-served", "The terminal does not serve this township", 403,
                "Terminal " + terminalId + " does not serve township " + townshipCode, Map.of("eventId", eventId));
    }

    /** 503: the broker did not acknowledge the record in time; resend it with the same eventId. */
    public static Map<String, Object> notAcknowledged(String eventId, long retryAfterSeconds) {
        return problem("not-acknowledged", "The record was not stored", 503,
                "Kafka did not acknowledge the record in time; resend it with the same eventId after "
                        + retryAfterSeconds + " s (a resend is never counted twice)", Map.of("eventId", eventId));
    }
}
