package org.homecoming.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.events.TrainingProgramme;
import org.homecoming.schemas.region.Regions;
import org.junit.jupiter.api.Test;

class EventRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2020, 6, 30);

    private final EventRules rules = new EventRules(Regions.shanxi());

    private static RegistrationEvent.Builder event(Object payload) {
        return RegistrationEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setPersonRef("aa".repeat(32))
                .setPersonRefKeyVersion(1)
                .setTownshipCode("140521100")
                .setTerminalId("T-1")
                .setOccurredOn(LocalDate.of(2020, 3, 1))
                .setRecordedAt(Instant.parse("2020-03-01T01:00:00Z"))
                .setPayload(payload);
    }

    private static BusinessStarted loan(long fen) {
        return new BusinessStarted(BusinessType.RURAL_INN, 0L, fen, 0);
    }

    private List<ViolationCode> codes(RegistrationEvent event) {
        return rules.check(event, TODAY).stream().map(Violation::code).toList();
    }

    @Test
    void a_valid_registration_breaks_no_rule() {
        assertThat(rules.check(event(new ReturneeRegistered(null, ReturnReason.FAMILY)).build(), TODAY)).isEmpty();
    }

    @Test
    void township_codes_must_be_known_townships() {
        assertThat(codes(event(loan(0)).setTownshipCode("149999999").build())).containsExactly(ViolationCode.UNKNOWN_TOWNSHIP);
        assertThat(codes(event(loan(0)).setTownshipCode("140521").build())).containsExactly(ViolationCode.NOT_A_TOWNSHIP);
        assertThat(codes(event(loan(0)).setTownshipCode("").build())).containsExactly(ViolationCode.MISSING_FIELD);
    }

    @Test
    void dates_must_lie_between_2015_and_the_day_the_event_was_taken_in() {
        assertThat(codes(event(loan(0)).setOccurredOn(LocalDate.of(2014, 12, 31)).build()))
                .containsExactly(ViolationCode.DATE_TOO_EARLY);
        assertThat(codes(event(loan(0)).setOccurredOn(TODAY.plusDays(1)).build()))
                .containsExactly(ViolationCode.DATE_IN_FUTURE);
        assertThat(codes(event(loan(0)).setOccurredOn(TODAY).build())).isEmpty();
        assertThat(codes(event(loan(0)).setOccurredOn(Policy.EARLIEST_DATE).build())).isEmpty();
    }

    @Test
    void the_loan_ceiling_is_300000_yuan_from_2020_and_150000_yuan_before() {
        LocalDate in2019 = LocalDate.of(2019, 12, 31);
        LocalDate in2020 = LocalDate.of(2020, 1, 1);

        assertThat(codes(event(loan(30_000_000)).setOccurredOn(in2020).build())).isEmpty();
        assertThat(codes(event(loan(30_000_001)).setOccurredOn(in2020).build()))
                .containsExactly(ViolationCode.LOAN_OVER_CEILING);
        assertThat(codes(event(loan(15_000_000)).setOccurredOn(in2019).build())).isEmpty();
        assertThat(codes(event(loan(15_000_001)).setOccurredOn(in2019).build()))
                .containsExactly(ViolationCode.LOAN_OVER_CEILING);
    }

    @Test
    void negative_amounts_are_refused_and_each_bad_field_is_named() {
        RegistrationEvent negative = event(new BusinessStarted(BusinessType.OTHER, -1L, -1L, -1)).build();

        assertThat(rules.check(negative, TODAY)).extracting(Violation::field)
                .containsExactly("payload.registeredCapitalFen", "payload.jobsCreated", "payload.guaranteedLoanFen");
        assertThat(codes(event(new TrainingCompleted(TrainingProgramme.SKILLED_FARMER, -3)).build()))
                .containsExactly(ViolationCode.NEGATIVE_AMOUNT);
    }
}
