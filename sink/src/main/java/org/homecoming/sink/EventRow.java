package org.homecoming.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;

/**
 * One row of {@code registration_event}: an accepted event with its payload as typed columns (the columns of
 * the other event types are null) and the record it came from.
 */
record EventRow(UUID eventId, String personRef, int personRefKeyVersion, String eventType, String townshipCode,
                String terminalId, LocalDate occurredOn, Instant recordedAt, String previousWorkProvince,
                String returnReason, String employmentType, String workDistance, String businessType,
                Long registeredCapitalFen, Long guaranteedLoanFen, Integer jobsCreated, String trainingProgramme,
                Integer trainingHours, UUID targetEventId, String retractionReason, String sourceTopic,
                int sourcePartition, long sourceOffset) implements SinkRow {

    static final String RETRACTED = "RegistrationRetracted";

    static EventRow of(RegistrationEvent event, String topic, int partition, long offset) {
        Builder b = new Builder();
        Object payload = event.getPayload();
        if (payload instanceof ReturneeRegistered p) {
            b.previousWorkProvince = p.getPreviousWorkProvince();
            b.returnReason = p.getReturnReason().name();
        } else if (payload instanceof EmploymentNearHomeRecorded p) {
            b.employmentType = p.getEmploymentType().name();
            b.workDistance = p.getDistance().name();
        } else if (payload instanceof BusinessStarted p) {
            b.businessType = p.getBusinessType().name();
            b.capital = p.getRegisteredCapitalFen();
            b.loan = p.getGuaranteedLoanFen();
            b.jobs = p.getJobsCreated();
        } else if (payload instanceof TrainingCompleted p) {
            b.programme = p.getProgramme().name();
            b.hours = p.getHours();
        } else if (payload instanceof RegistrationRetracted p) {
            b.target = p.getTargetEventId();
            b.retractionReason = p.getReason().name();
        } else {
            throw new IllegalArgumentException("Unknown payload " + (payload == null ? null : payload.getClass()));
        }
        return new EventRow(event.getEventId(), event.getPersonRef(), event.getPersonRefKeyVersion(),
                payload.getClass().getSimpleName(), event.getTownshipCode(), event.getTerminalId(), event.getOccurredOn(),
                event.getRecordedAt(), b.previousWorkProvince, b.returnReason, b.employmentType, b.workDistance,
                b.businessType, b.capital, b.loan, b.jobs, b.programme, b.hours, b.target, b.retractionReason, topic,
                partition, offset);
    }

    @Override
    public Object[] values() {
        return new Object[] {eventId, personRef, personRefKeyVersion, eventType, townshipCode, terminalId, occurredOn,
            recordedAt, previousWorkProvince, returnReason, employmentType, workDistance, businessType,
            registeredCapitalFen, guaranteedLoanFen, jobsCreated, trainingProgramme, trainingHours, targetEventId,
            retractionReason, sourceTopic, sourcePartition, sourceOffset};
    }

    boolean isRetraction() {
        return RETRACTED.equals(eventType);
    }

    /** Mutable holder of the payload columns while one event is read. */
    private static final class Builder {
        private String previousWorkProvince;
        private String returnReason;
        private String employmentType;
        private String workDistance;
        private String businessType;
        private Long capital;
        private Long loan;
        private Integer jobs;
        private String programme;
        private Integer hours;
        private UUID target;
        private String retractionReason;
    }
}
