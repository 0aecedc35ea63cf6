package org.homecoming.schemas.rules;

/**
 * One broken rule of an event.
 *
 * @param code    machine-readable code (the reason written to the rejected topic)
 * @param field   the event field at fault, as a path ({@code townshipCode}, {@code payload.guaranteedLoanFen})
 * @param message what is wrong, without echoing personal data
 */
public record Violation(ViolationCode code, String field, String message) {
}
