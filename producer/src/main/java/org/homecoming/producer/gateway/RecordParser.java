package org.homecoming.producer.gateway;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.EmploymentType;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.RetractionReason;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.events.TrainingProgramme;
import org.homecoming.events.WorkDistance;
import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.schemas.rules.EventRules;
import org.homecoming.schemas.rules.Policy;
import org.homecoming.schemas.rules.Violation;

/**
 * Turns one JSON record from a terminal into a pseudonymised {@link RegistrationEvent}, or into every
 * field-level error it has. The shape checks (required, formats, enums) are the gateway's; the rules an
 * event must meet are {@link EventRules}, shared with the streams application, so the gateway refuses
 * exactly what the pipeline would reject. The raw national ID is read here and goes no further.
 */
public final class RecordParser {

    /** The record types a terminal may send, as the {@code type} field names them. */
    public enum RecordType {
        RETURNEE_REGISTERED, EMPLOYMENT_NEAR_HOME_RECORDED, BUSINESS_STARTED, TRAINING_COMPLETED,
        REGISTRATION_RETRACTED
    }

    /**
     * The outcome for one record: an event, or errors.
     *
     * @param eventId the record's eventId when it could be read (to answer per record), else {@code null}
     * @param event   the event ready to publish, {@code null} when there are errors
     * @param errors  every bad field, empty when valid
     */
    public record Parsed(String eventId, RegistrationEvent event, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private final Pseudonymizer pseudonymizer;
    private final EventRules rules;
    private final Clock clock;

    public RecordParser(Pseudonymizer pseudonymizer, EventRules rules, Clock clock) {
        this.pseudonymizer = pseudonymizer;
        this.rules = rules;
        this.clock = clock;
    }

    /** Parses and validates one record posted by a terminal. */
    public Parsed parse(Object body, String terminalId) {
        Map<String, FieldError> errors = new LinkedHashMap<>();
        if (!(body instanceof Map<?, ?> json)) {
            errors.put("", new FieldError("", "INVALID_FORMAT", "a record must be a JSON object"));
            return new Parsed(null, null, List.copyOf(errors.values()));
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, Policy.ZONE);
        UUID eventId = uuid(json, "eventId", errors);
        String eventIdText = eventId == null ? null : eventId.toString();
        String personRef = null;
        String nationalId = string(json, "nationalId", errors);
        if (nationalId != null) {
            NationalId.Problem problem = NationalId.validate(nationalId, today);
            if (problem != null) {
                errors.put("nationalId", new FieldError("nationalId", "NATIONAL_ID_" + problem.name(),
                        "nationalId " + problem.message()));
            } else {
                personRef = pseudonymizer.personRef(NationalId.canonical(nationalId));
            }
        }
        String townshipCode = string(json, "townshipCode", errors);
        LocalDate occurredOn = date(json, "occurredOn", errors);
        Object recordedAtValue = json.get("recordedAt");
        Instant recordedAt = recordedAtValue == null ? now : instant(recordedAtValue, now, errors);
        Object payload = payload(json, errors);

        // When the ID was bad that is already reported: a placeholder keeps the rules from repeating it as personRef.
        RegistrationEvent checked = new RegistrationEvent(eventId, personRef == null ? "-" : personRef,
                pseudonymizer.keyVersion(), townshipCode, terminalId, occurredOn, recordedAt, payload);
        for (Violation violation : rules.check(checked, today)) {
            errors.putIfAbsent(violation.field(), new FieldError(violation.field(), violation.code().name(),
                    violation.message()));
        }
        if (!errors.isEmpty()) {
            return new Parsed(eventIdText, null, List.copyOf(errors.values()));
        }
        return new Parsed(eventIdText, checked, List.of());
    }

    private Object payload(Map<?, ?> json, Map<String, FieldError> errors) {
        RecordType type = enumValue(json.get("type"), "type", RecordType.class, errors, true);
        Object rawPayload = json.get("payload");
        Map<?, ?> p;
        if (rawPayload == null) {
            p = Map.of();
        } else if (rawPayload instanceof Map<?, ?> map) {
            p = map;
        } else {
            errors.put("payload", new FieldError("payload", "INVALID_FORMAT", "payload must be a JSON object"));
            return null;
        }
        if (type == null) {
            return null;
        }
        return switch (type) {
            case RETURNEE_REGISTERED -> {
                String province = optionalString(p, "payload.previousWorkProvince", errors);
                if (province != null && !province.matches("\\d{2}")) {
                    errors.put("payload.previousWorkProvince", new FieldError("payload.previousWorkProvince",
                            "INVALID_FORMAT", "payload.previousWorkProvince must be a two-digit GB/T 2260 province code"));
                }
                ReturnReason reason = enumValue(p.get("returnReason"), "payload.returnReason", ReturnReason.class, errors,
                        false);
                yield new ReturneeRegistered(province, reason == null ? ReturnReason.OTHER : reason);
            }
            case EMPLOYMENT_NEAR_HOME_RECORDED -> new EmploymentNearHomeRecorded(
                    enumValue(p.get("employmentType"), "payload.employmentType", EmploymentType.class, errors, true),
                    enumValue(p.get("distance"), "payload.distance", WorkDistance.class, errors, true));
            case BUSINESS_STARTED -> {
                BusinessType businessType = enumValue(p.get("businessType"), "payload.businessType", BusinessType.class,
                        errors, true);
                Long capital = whole(p, "payload.registeredCapitalFen", errors, Long.MAX_VALUE);
                Long loan = whole(p, "payload.guaranteedLoanFen", errors, Long.MAX_VALUE);
                Long jobs = whole(p, "payload.jobsCreated", errors, Integer.MAX_VALUE);
                yield new BusinessStarted(businessType, capital == null ? 0L : capital, loan == null ? 0L : loan,
                        jobs == null ? 0 : jobs.intValue());
            }
            case TRAINING_COMPLETED -> {
                TrainingProgramme programme = enumValue(p.get("programme"), "payload.programme", TrainingProgramme.class,
                        errors, true);
                Long hours = whole(p, "payload.hours", errors, Integer.MAX_VALUE);
                yield new TrainingCompleted(programme, hours == null ? 0 : hours.intValue());
            }
            case REGISTRATION_RETRACTED -> {
                UUID target = uuid(p, "payload.targetEventId", errors);
                RetractionReason reason = enumValue(p.get("reason"), "payload.reason", RetractionReason.class, errors,
                        true);
                yield new RegistrationRetracted(target, reason);
            }
        };
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String string(Map<?, ?> json, String field, Map<String, FieldError> errors) {
        Object value = json.get(leaf(field));
        if (value == null || (value instanceof String s && s.isBlank())) {
            errors.put(field, new FieldError(field, "MISSING_FIELD", field + " is required"));
            return null;
        }
        if (!(value instanceof String s)) {
            errors.put(field, new FieldError(field, "INVALID_FORMAT", field + " must be a string"));
            return null;
        }
        return s.trim();
    }

    private static String optionalString(Map<?, ?> json, String field, Map<String, FieldError> errors) {
        return json.get(leaf(field)) == null ? null : string(json, field, errors);
    }

    private static UUID uuid(Map<?, ?> json, String field, Map<String, FieldError> errors) {
        String text = string(json, field, errors);
        if (text == null) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(text);
            if (text.length() == 36) {
                return uuid;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.put(field, new FieldError(field, "INVALID_FORMAT", field + " must be a UUID (8-4-4-4-12 hex digits)"));
        return null;
    }

    private static LocalDate date(Map<?, ?> json, String field, Map<String, FieldError> errors) {
        String text = string(json, field, errors);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            errors.put(field, new FieldError(field, "INVALID_FORMAT", field + " must be a date as yyyy-MM-dd"));
            return null;
        }
    }

    private static Instant instant(Object value, Instant placeholder, Map<String, FieldError> errors) {
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.put("recordedAt", new FieldError("recordedAt", "INVALID_FORMAT",
                "recordedAt must be a date-time with an offset, as 2020-01-20T09:15:00+08:00"));
        return placeholder;
    }

    private static Long whole(Map<?, ?> json, String field, Map<String, FieldError> errors, long max) {
        Object value = json.get(leaf(field));
        if (value == null) {
            errors.put(field, new FieldError(field, "MISSING_FIELD", field + " is required"));
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short
                || (value instanceof BigInteger big && big.bitLength() < 64)) {
            long number = ((Number) value).longValue();
            if (number <= max) {
                return number;
            }
        } else if (!(value instanceof BigInteger)) {
            errors.put(field, new FieldError(field, "INVALID_FORMAT", field + " must be a whole number"));
            return null;
        }
        errors.put(field, new FieldError(field, "OUT_OF_RANGE", field + " must be at most " + max));
        return null;
    }

    private static <E extends Enum<E>> E enumValue(Object value, String field, Class<E> type,
                                                   Map<String, FieldError> errors, boolean required) {
        if (value == null) {
            if (required) {
                errors.put(field, new FieldError(field, "MISSING_FIELD", field + " is required"));
            }
            return null;
        }
        if (value instanceof String text) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                    return constant;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        errors.put(field, new FieldError(field, "INVALID_VALUE", field + " must be one of " + String.join(", ", names)));
        return null;
    }
}
