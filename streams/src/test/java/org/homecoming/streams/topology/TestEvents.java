package org.homecoming.streams.topology;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.UUID;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.rules.Policy;

/** Valid registration events for the topology tests, recorded at noon of their day. */
final class TestEvents {

    private TestEvents() {
    }

    static RegistrationEvent event(String person, String township, LocalDate day, Object payload) {
        return RegistrationEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setPersonRef(person)
                .setPersonRefKeyVersion(1)
                .setTownshipCode(township)
                .setTerminalId("T-1")
                .setOccurredOn(day)
                .setRecordedAt(day.atTime(LocalTime.NOON).atZone(Policy.ZONE).toInstant())
                .setPayload(payload)
                .build();
    }
}
