package org.homecoming.producer.gateway;

/**
 * One bad field of a record, as a terminal sees it in a problem detail.
 *
 * @param field   path of the field in the request ({@code nationalId}, {@code payload.guaranteedLoanFen})
 * @param code    machine-readable code ({@code MISSING_FIELD}, {@code BAD_CHECK_DIGIT}, {@code LOAN_OVER_CEILING}, ...)
 * @param message what is wrong; never the national ID
 */
public record FieldError(String field, String code, String message) {

    /** Matches anything shaped like an 18-character national ID, so no message can echo one. */
    private static final java.util.regex.Pattern ID_LIKE = java.util.regex.Pattern.compile("\\d{17}[\\dXx]");

    public FieldError {
        message = redact(message);
    }

    /** The text with every ID-shaped run of characters replaced. */
    static String redact(String text) {
        return text == null ? null : ID_LIKE.matcher(text).replaceAll("[redacted]");
    }
}
