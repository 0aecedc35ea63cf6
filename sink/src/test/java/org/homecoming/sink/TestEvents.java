package org.homecoming.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
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

/**
 * Accepted events for tests, with readable ids: {@code id(7)} is {@code 00000000-0000-0000-0000-000000000007}.
 */
final class TestEvents {

    static final String TAIYUAN_WUCHENG = "140105001";
    static final String DATONG_XINRONG = "140212100";
    /** A township of the Wutaishan Scenic Area, a statistical functional zone counted at COUNTY level. */
    static final String WUTAISHAN_TAIHUAI = "140971100";

    private TestEvents() {
    }

    static UUID id(int n) {
        return UUID.fromString(String.format("00000000-0000-0000-0000-%012d", n));
    }

    /** A pseudonymous person reference (64 lower-case hex digits) for a short name. */
    static String person(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static RegistrationEvent event(int id, String person, String township, String date, String recordedAt, Object payload) {
        return RegistrationEvent.newBuilder()
                .setEventId(id(id))
                .setPersonRef(person(person))
                .setPersonRefKeyVersion(1)
                .setTownshipCode(township)
                .setTerminalId("T-" + township)
                .setOccurredOn(LocalDate.parse(date))
                .setRecordedAt(Instant.parse(recordedAt))
                .setPayload(payload)
                .build();
    }

    static ReturneeRegistered returned() {
        return new ReturneeRegistered(null, ReturnReason.FAMILY);
    }

    static EmploymentNearHomeRecorded employed() {
        return new EmploymentNearHomeRecorded(EmploymentType.WAGE_EMPLOYMENT, WorkDistance.IN_COUNTY);
    }

    static BusinessStarted business(long loanFen, int jobs) {
        return new BusinessStarted(BusinessType.RURAL_INN, 2 * loanFen, loanFen, jobs);
    }

    static TrainingCompleted trained() {
        return new TrainingCompleted(TrainingProgramme.SKILLED_FARMER, 40);
    }

    static RegistrationRetracted retraction(int target) {
        return new RegistrationRetracted(id(target), RetractionReason.DATA_ENTRY_ERROR);
    }
}
