package org.homecoming.schemas.rules;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.schemas.region.Regions;

/**
 * The rules an event must meet on its own, whatever else is known about the person: the gateway answers
 * a terminal with them, the streams application rejects with them. Rules that need the person's history
 * (a retraction's target must exist) live with that history.
 */
public final class EventRules {

    private final Regions regions;

    public EventRules(Regions regions) {
        this.regions = regions;
    }

    /**
     * Every rule the event breaks, in a stable order; empty when it is valid.
     *
     * @param takenInOn the local day the event was taken in (the gateway's day, or the day of the record's
     *                  Kafka timestamp when replayed), against which "in the future" is judged
     */
    public List<Violation> check(RegistrationEvent event, LocalDate takenInOn) {
        List<Violation> violations = new ArrayList<>(2);
        checkTownship(event.getTownshipCode(), violations);
        checkDate(event.getOccurredOn(), takenInOn, violations);
        if (event.getPersonRef() == null || event.getPersonRef().isBlank()) {
            violations.add(new Violation(ViolationCode.MISSING_FIELD, "personRef", "personRef is required"));
        }
        if (event.getTerminalId() == null || event.getTerminalId().isBlank()) {
            violations.add(new Violation(ViolationCode.MISSING_FIELD, "terminalId", "terminalId is required"));
        }
        Object payload = event.getPayload();
        if (payload instanceof BusinessStarted business) {
            checkBusiness(business, event.getOccurredOn(), violations);
        } else if (payload instanceof TrainingCompleted training && training.getHours() < 0) {
            violations.add(new Violation(ViolationCode.NEGATIVE_AMOUNT, "payload.hours", "hours must not be negative"));
        }
        return violations;
    }

    private void checkTownship(String code, List<Violation> violations) {
        if (code == null || code.isBlank()) {
            violations.add(new Violation(ViolationCode.MISSING_FIELD, "townshipCode", "townshipCode is required"));
        } else if (regions.find(code).isEmpty()) {
            violations.add(new Violation(ViolationCode.UNKNOWN_TOWNSHIP, "townshipCode",
                    "townshipCode " + code + " is not in the Shanxi reference data"));
        } else if (!regions.isTownship(code)) {
            violations.add(new Violation(ViolationCode.NOT_A_TOWNSHIP, "townshipCode",
                    "townshipCode " + code + " is a " + regions.find(code).orElseThrow().level().name().toLowerCase(
                            java.util.Locale.ROOT) + ", not a township"));
        }
    }

    private static void checkDate(LocalDate occurredOn, LocalDate takenInOn, List<Violation> violations) {
        if (occurredOn == null) {
            violations.add(new Violation(ViolationCode.MISSING_FIELD, "occurredOn", "occurredOn is required"));
        } else if (occurredOn.isBefore(Policy.EARLIEST_DATE)) {
            violations.add(new Violation(ViolationCode.DATE_TOO_EARLY, "occurredOn",
                    "occurredOn " + occurredOn + " is before " + Policy.EARLIEST_DATE));
        } else if (occurredOn.isAfter(takenInOn)) {
            violations.add(new Violation(ViolationCode.DATE_IN_FUTURE, "occurredOn",
                    "occurredOn " + occurredOn + " is after " + takenInOn + ", the day it was taken in"));
        }
    }

    private static void checkBusiness(BusinessStarted business, LocalDate startedOn, List<Violation> violations) {
        if (business.getRegisteredCapitalFen() < 0) {
            violations.add(new Violation(ViolationCode.NEGATIVE_AMOUNT, "payload.registeredCapitalFen",
                    "registeredCapitalFen must not be negative"));
        }
        if (business.getJobsCreated() < 0) {
            violations.add(new Violation(ViolationCode.NEGATIVE_AMOUNT, "payload.jobsCreated",
                    "jobsCreated must not be negative"));
        }
        long loan = business.getGuaranteedLoanFen();
        if (loan < 0) {
            violations.add(new Violation(ViolationCode.NEGATIVE_AMOUNT, "payload.guaranteedLoanFen",
                    "guaranteedLoanFen must not be negative"));
        } else if (startedOn != null && loan > Policy.loanCeilingFen(startedOn)) {
            violations.add(new Violation(ViolationCode.LOAN_OVER_CEILING, "payload.guaranteedLoanFen",
                    "guaranteedLoanFen " + loan + " is above the ceiling of " + Policy.loanCeilingFen(startedOn)
                            + " fen in force on " + startedOn));
        }
    }
}
