package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.streams.topology.TestEvents.event;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.streams.test.TestRecord;
import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.EmploymentType;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.RetractionReason;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.Totals;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.events.TrainingProgramme;
import org.homecoming.events.WorkDistance;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.Policy;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.SentRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per counting rule (docs/counting-rules.md) on the production topology. Each also checks that
 * the reference model reaches the same totals.
 */
class CountingRulesTest {

    private static final Regions REGIONS = Regions.shanxi();
    private static final List<Region> TOWNSHIPS = REGIONS.atLevel(RegionLevel.TOWNSHIP);
    /** Two townships of one county. */
    private static final String HOME = TOWNSHIPS.get(0).code();
    private static final String NEIGHBOUR = TOWNSHIPS.get(1).code();
    /** A township of another city. */
    private static final String FAR = TOWNSHIPS.get(TOWNSHIPS.size() - 1).code();
    private static final String PERSON = "ab".repeat(32);
    private static final String OTHER_PERSON = "cd".repeat(32);
    private static final LocalDate MARCH_1 = LocalDate.of(2020, 3, 1);

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(stateDir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static RegistrationEvent returnee(String township, LocalDate day) {
        return event(PERSON, township, day, new ReturneeRegistered(null, ReturnReason.FAMILY));
    }

    private static RegistrationEvent employment(String township, LocalDate day) {
        return event(PERSON, township, day, new EmploymentNearHomeRecorded(EmploymentType.AGRICULTURE,
                WorkDistance.IN_TOWNSHIP));
    }

    private static RegistrationEvent business(String township, LocalDate day, long loanFen, int jobs) {
        return event(PERSON, township, day, new BusinessStarted(BusinessType.RURAL_INN, 0L, loanFen, jobs));
    }

    private static RegistrationEvent training(String township, LocalDate day) {
        return event(PERSON, township, day, new TrainingCompleted(TrainingProgramme.SKILLED_FARMER, 40));
    }

    private static RegistrationEvent retraction(RegistrationEvent target) {
        return retraction(target.getPersonRef(), target.getEventId());
    }

    private static RegistrationEvent retraction(String person, UUID target) {
        return event(person, HOME, MARCH_1.plusDays(20), new RegistrationRetracted(target, RetractionReason.OTHER));
    }

    private static Bucket all(String region) {
        return new Bucket(region, PeriodKind.ALL, Bucket.ALL_TIME_START);
    }

    private static Bucket day(String region, LocalDate day) {
        return new Bucket(region, PeriodKind.DAY, day);
    }

    private static String county(String township) {
        return REGIONS.countyOf(township).code();
    }

    private static String city(String township) {
        return REGIONS.cityOf(township).code();
    }

    private static Metrics returnees(long n) {
        return new Metrics(n, 0, 0, 0, 0, 0);
    }

    private void assertModelAgrees() {
        assertThat(fixture.nonZeroTotals()).isEqualTo(fixture.model().totals());
        assertThat(fixture.rejectedReasons()).isEqualTo(fixture.model().rejections());
        assertThat(fixture.accepted()).isEqualTo(fixture.model().accepted());
    }

    @Test
    void a_registration_counts_one_returnee_in_sixteen_buckets_with_all_time_starting_in_1970() {
        fixture.send(returnee(HOME, MARCH_1));

        assertThat(fixture.totals()).hasSize(16).allSatisfy((bucket, metrics) -> assertThat(metrics).isEqualTo(returnees(1)));
        assertThat(fixture.totals()).containsKeys(all(HOME), all(county(HOME)), all(city(HOME)), all(Regions.PROVINCE_CODE),
                new Bucket(Regions.PROVINCE_CODE, PeriodKind.YEAR, LocalDate.of(2020, 1, 1)),
                new Bucket(HOME, PeriodKind.MONTH, MARCH_1), day(city(HOME), MARCH_1));
        assertThat(all(HOME).periodStart()).isEqualTo(LocalDate.of(1970, 1, 1));
        Totals province = fixture.totalsRecords().stream()
                .filter(t -> t.getRegionCode().equals(Regions.PROVINCE_CODE) && t.getPeriodKind() == PeriodKind.ALL)
                .findFirst().orElseThrow();
        assertThat(province.getRegionLevel()).isEqualTo(RegionLevel.PROVINCE);
        assertThat(province.getUpdatedAt()).isEqualTo(TopologyFixture.NOW);
        assertModelAgrees();
    }

    @Test
    void a_duplicate_changes_nothing() {
        RegistrationEvent registration = returnee(HOME, MARCH_1);
        fixture.send(registration);
        int written = fixture.totalsRecords().size();

        fixture.send(SentRecord.of(registration, TopologyFixture.NOW.plusSeconds(86_400 * 30)));

        assertThat(fixture.totalsRecords()).hasSize(written);
        assertThat(fixture.accepted()).containsExactly(registration);
        assertThat(fixture.rejected()).isEmpty();
        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(returnees(1));
        assertModelAgrees();
    }

    @Test
    void a_resend_that_differs_is_still_a_duplicate_and_the_first_version_wins() {
        RegistrationEvent registration = returnee(HOME, MARCH_1);
        fixture.send(registration);

        fixture.send(RegistrationEvent.newBuilder(registration).setTownshipCode(FAR).build());

        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(1));
        assertThat(fixture.bucket(all(FAR))).isEqualTo(Metrics.ZERO);
        assertThat(fixture.rejected()).isEmpty();
        assertModelAgrees();
    }

    @Test
    void a_resend_after_its_retraction_changes_nothing() {
        RegistrationEvent registration = returnee(HOME, MARCH_1);
        fixture.send(registration);
        fixture.send(retraction(registration));

        fixture.send(registration);

        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(Metrics.ZERO);
        assertThat(fixture.rejected()).isEmpty();
        assertModelAgrees();
    }

    @Test
    void a_move_decrements_the_old_township_county_and_city() {
        fixture.send(returnee(HOME, MARCH_1));

        fixture.send(returnee(FAR, MARCH_1.plusDays(3)));

        for (String old : List.of(HOME, county(HOME), city(HOME))) {
            assertThat(fixture.totals()).containsEntry(all(old), Metrics.ZERO).containsEntry(day(old, MARCH_1), Metrics.ZERO);
        }
        for (String now : List.of(FAR, county(FAR), city(FAR))) {
            assertThat(fixture.bucket(all(now))).isEqualTo(returnees(1));
            assertThat(fixture.bucket(day(now, MARCH_1.plusDays(3)))).isEqualTo(returnees(1));
        }
        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(returnees(1));
        assertThat(fixture.bucket(day(Regions.PROVINCE_CODE, MARCH_1))).isEqualTo(Metrics.ZERO);
        assertModelAgrees();
    }

    @Test
    void a_move_within_one_county_on_the_same_day_leaves_the_county_untouched() {
        fixture.send(returnee(HOME, MARCH_1));
        int countyWrites = writesOf(county(HOME));

        fixture.send(RegistrationEvent.newBuilder(returnee(NEIGHBOUR, MARCH_1))
                .setRecordedAt(MARCH_1.atTime(LocalTime.of(18, 0)).atZone(Policy.ZONE).toInstant()).build());

        assertThat(county(NEIGHBOUR)).isEqualTo(county(HOME));
        assertThat(writesOf(county(HOME))).isEqualTo(countyWrites);
        assertThat(fixture.bucket(all(HOME))).isEqualTo(Metrics.ZERO);
        assertThat(fixture.bucket(all(NEIGHBOUR))).isEqualTo(returnees(1));
        assertModelAgrees();
    }

    private int writesOf(String region) {
        return (int) fixture.totalsRecords().stream().filter(t -> t.getRegionCode().equals(region)).count();
    }

    @Test
    void a_late_older_registration_does_not_move_a_person() {
        fixture.send(returnee(FAR, MARCH_1.plusDays(9)));

        fixture.send(returnee(HOME, MARCH_1));

        assertThat(fixture.bucket(all(FAR))).isEqualTo(returnees(1));
        assertThat(fixture.bucket(all(HOME))).isEqualTo(Metrics.ZERO);
        assertThat(fixture.accepted()).hasSize(2);
        assertModelAgrees();
    }

    @Test
    void a_retraction_of_the_latest_registration_moves_the_person_back() {
        fixture.send(returnee(HOME, MARCH_1));
        RegistrationEvent moved = returnee(FAR, MARCH_1.plusDays(2));
        fixture.send(moved);

        fixture.send(retraction(moved));

        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(1));
        assertThat(fixture.bucket(all(FAR))).isEqualTo(Metrics.ZERO);
        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(returnees(1));
        assertModelAgrees();
    }

    @Test
    void events_tied_on_date_and_time_are_ordered_by_event_id() {
        RegistrationEvent first = returnee(HOME, MARCH_1);
        RegistrationEvent second = RegistrationEvent.newBuilder(returnee(FAR, MARCH_1)).setRecordedAt(first.getRecordedAt())
                .build();
        boolean secondIsLater = second.getEventId().toString().compareTo(first.getEventId().toString()) > 0;

        fixture.send(secondIsLater ? second : first);
        fixture.send(secondIsLater ? first : second);

        assertThat(fixture.bucket(all(FAR))).isEqualTo(returnees(secondIsLater ? 1 : 0));
        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(secondIsLater ? 0 : 1));
        assertModelAgrees();
    }

    @Test
    void a_retraction_of_the_qualifying_employment_hands_over_to_the_next_one() {
        RegistrationEvent qualifying = employment(HOME, MARCH_1);
        fixture.send(employment(FAR, MARCH_1.plusDays(5)));
        fixture.send(qualifying);
        assertThat(fixture.bucket(all(HOME)).employedNearHome()).isEqualTo(1);
        assertThat(fixture.bucket(all(FAR)).employedNearHome()).isZero();

        fixture.send(retraction(qualifying));

        assertThat(fixture.bucket(all(HOME)).employedNearHome()).isZero();
        assertThat(fixture.bucket(all(FAR)).employedNearHome()).isEqualTo(1);
        assertThat(fixture.bucket(day(FAR, MARCH_1.plusDays(5))).employedNearHome()).isEqualTo(1);
        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE)).employedNearHome()).isEqualTo(1);
        assertModelAgrees();
    }

    @Test
    void a_retraction_of_the_only_training_stops_the_person_counting_and_writes_zeros() {
        RegistrationEvent trained = training(HOME, MARCH_1);
        fixture.send(trained);

        fixture.send(retraction(trained));

        assertThat(fixture.totals()).hasSize(16).allSatisfy((bucket, metrics) -> assertThat(metrics).isEqualTo(Metrics.ZERO));
        assertThat(fixture.totalsRecords()).hasSize(32).allSatisfy(t -> assertThat(t).isNotNull());
        assertModelAgrees();
    }

    @Test
    void a_person_counts_once_per_metric_and_needs_no_returnee_registration() {
        fixture.send(training(HOME, MARCH_1));
        fixture.send(training(HOME, MARCH_1.plusDays(1)));
        fixture.send(business(FAR, MARCH_1, 1_000_00, 2));

        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(new Metrics(0, 0, 1, 1_000_00, 2, 1));
        assertThat(fixture.bucket(day(HOME, MARCH_1)).trained()).isEqualTo(1);
        assertThat(fixture.bucket(day(HOME, MARCH_1.plusDays(1))).trained()).isZero();
        assertModelAgrees();
    }

    @Test
    void loans_and_jobs_sum_over_every_active_business_start() {
        RegistrationEvent first = business(HOME, MARCH_1, 10_000_000, 3);
        fixture.send(first);
        fixture.send(business(FAR, MARCH_1.plusDays(1), 5_000_000, 2));
        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(new Metrics(0, 0, 1, 15_000_000, 5, 0));
        assertThat(fixture.bucket(all(FAR))).isEqualTo(new Metrics(0, 0, 0, 5_000_000, 2, 0));

        fixture.send(retraction(first));

        assertThat(fixture.bucket(all(Regions.PROVINCE_CODE))).isEqualTo(new Metrics(0, 0, 1, 5_000_000, 2, 0));
        assertThat(fixture.bucket(all(HOME))).isEqualTo(Metrics.ZERO);
        assertThat(fixture.bucket(all(FAR))).isEqualTo(new Metrics(0, 0, 1, 5_000_000, 2, 0));
        assertModelAgrees();
    }

    @Test
    void a_retraction_arriving_before_its_target_is_rejected() {
        RegistrationEvent registration = returnee(HOME, MARCH_1);
        fixture.send(retraction(registration));
        fixture.send(registration);

        assertThat(fixture.rejectedReasons()).containsExactly("UNKNOWN_RETRACTION_TARGET");
        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(1));
        assertThat(fixture.accepted()).containsExactly(registration);
        assertModelAgrees();
    }

    @Test
    void a_retraction_of_another_persons_event_is_rejected() {
        RegistrationEvent theirs = event(OTHER_PERSON, HOME, MARCH_1, new ReturneeRegistered(null, ReturnReason.OTHER));
        fixture.send(theirs);

        fixture.send(retraction(PERSON, theirs.getEventId()));

        assertThat(fixture.rejectedReasons()).containsExactly("UNKNOWN_RETRACTION_TARGET");
        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(1));
        assertModelAgrees();
    }

    @Test
    void a_second_retraction_of_one_event_is_rejected_and_a_retraction_cannot_be_retracted() {
        RegistrationEvent registration = returnee(HOME, MARCH_1);
        fixture.send(registration);
        RegistrationEvent retraction = retraction(registration);
        fixture.send(retraction);

        fixture.send(retraction(registration));
        fixture.send(retraction(retraction));

        assertThat(fixture.rejectedReasons()).containsExactly("TARGET_ALREADY_RETRACTED", "TARGET_IS_RETRACTION");
        assertThat(fixture.bucket(all(HOME))).isEqualTo(Metrics.ZERO);
        assertModelAgrees();
    }

    @Test
    void a_loan_over_the_ceiling_is_rejected() {
        fixture.send(business(HOME, LocalDate.of(2020, 1, 1), Policy.LOAN_CEILING_FEN, 0));
        fixture.send(business(HOME, LocalDate.of(2020, 1, 2), Policy.LOAN_CEILING_FEN + 1, 0));
        fixture.send(business(HOME, LocalDate.of(2019, 12, 31), Policy.LOAN_CEILING_BEFORE_2020_FEN + 1, 0));
        fixture.send(business(HOME, LocalDate.of(2019, 12, 30), Policy.LOAN_CEILING_BEFORE_2020_FEN, 0));
        fixture.send(business(HOME, MARCH_1, -1, 0));

        assertThat(fixture.rejectedReasons()).containsExactly("LOAN_OVER_CEILING", "LOAN_OVER_CEILING", "NEGATIVE_AMOUNT");
        assertThat(fixture.bucket(all(HOME)).guaranteedLoansFen())
                .isEqualTo(Policy.LOAN_CEILING_FEN + Policy.LOAN_CEILING_BEFORE_2020_FEN);
        assertModelAgrees();
    }

    @Test
    void poison_bytes_reach_the_rejected_topic_with_a_reason() {
        byte[] poison = "not avro at all".getBytes(StandardCharsets.UTF_8);
        fixture.send(SentRecord.poison(PERSON, poison, TopologyFixture.NOW));
        byte[] unknownSchema = {0, 0, 0, 0x7f, 0x7f, 2, 4};
        fixture.send(SentRecord.poison(PERSON, unknownSchema, TopologyFixture.NOW));
        byte[] valid = fixture.serialize(returnee(HOME, MARCH_1));
        fixture.send(SentRecord.poison(PERSON, Arrays.copyOf(valid, valid.length - 3), TopologyFixture.NOW));
        fixture.send(returnee(HOME, MARCH_1));

        assertThat(fixture.rejectedReasons()).containsExactly("UNDESERIALIZABLE", "UNDESERIALIZABLE", "UNDESERIALIZABLE");
        TestRecord<byte[], byte[]> first = fixture.rejected().get(0);
        assertThat(first.value()).isEqualTo(poison);
        assertThat(first.key()).isEqualTo(PERSON.getBytes(StandardCharsets.UTF_8));
        assertThat(TopologyFixture.header(first, Headers.SOURCE_TOPIC)).isEqualTo(Topics.REGISTRATIONS.name());
        assertThat(TopologyFixture.header(first, Headers.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(TopologyFixture.header(first, Headers.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(TopologyFixture.header(fixture.rejected().get(2), Headers.SOURCE_OFFSET)).isEqualTo("2");
        assertThat(TopologyFixture.header(first, Headers.REJECT_DETAIL)).isNotBlank();
        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(1));
        assertModelAgrees();
    }

    @Test
    void a_record_not_keyed_by_its_person_ref_is_rejected_as_bad_key() {
        RegistrationEvent registration = returnee(HOME, MARCH_1);
        fixture.send(SentRecord.keyed(OTHER_PERSON, registration, TopologyFixture.NOW));
        fixture.send(SentRecord.keyed(null, registration, TopologyFixture.NOW));

        assertThat(fixture.rejectedReasons()).containsExactly("BAD_KEY", "BAD_KEY");
        assertThat(fixture.totals()).isEmpty();
        assertModelAgrees();
    }

    @Test
    void the_future_is_judged_by_the_shanghai_date_of_the_kafka_timestamp() {
        LocalDate day = LocalDate.of(2021, 3, 15);
        Instant justAfterMidnightInShanghai = Instant.parse("2021-03-14T16:30:00Z");
        Instant justBeforeMidnightInShanghai = Instant.parse("2021-03-14T15:59:00Z");
        fixture.send(SentRecord.of(returnee(HOME, day), justBeforeMidnightInShanghai));
        fixture.send(SentRecord.of(returnee(FAR, day), justAfterMidnightInShanghai));

        assertThat(fixture.rejectedReasons()).containsExactly("DATE_IN_FUTURE");
        assertThat(fixture.bucket(all(FAR))).isEqualTo(returnees(1));
        assertModelAgrees();
    }

    @Test
    void events_breaking_a_shared_rule_are_rejected_with_the_first_rule_broken() {
        fixture.send(returnee("149999999", MARCH_1));
        fixture.send(returnee(county(HOME), MARCH_1));
        fixture.send(returnee(HOME, LocalDate.of(2014, 12, 31)));
        fixture.send(RegistrationEvent.newBuilder(returnee(HOME, MARCH_1)).setTerminalId("").build());
        fixture.send(event(PERSON, HOME, MARCH_1, new TrainingCompleted(TrainingProgramme.OTHER, -1)));
        fixture.send(RegistrationEvent.newBuilder(returnee("149999999", LocalDate.of(2014, 1, 1))).build());

        assertThat(fixture.rejectedReasons()).containsExactly("UNKNOWN_TOWNSHIP", "NOT_A_TOWNSHIP", "DATE_TOO_EARLY",
                "MISSING_FIELD", "NEGATIVE_AMOUNT", "UNKNOWN_TOWNSHIP");
        assertThat(fixture.totals()).isEmpty();
        assertThat(fixture.accepted()).isEmpty();
        assertModelAgrees();
    }

    @Test
    void a_rejected_event_may_be_resent_corrected_with_the_same_event_id() {
        RegistrationEvent wrong = returnee("149999999", MARCH_1);
        fixture.send(wrong);

        fixture.send(RegistrationEvent.newBuilder(wrong).setTownshipCode(HOME).build());

        assertThat(fixture.rejectedReasons()).containsExactly("UNKNOWN_TOWNSHIP");
        assertThat(fixture.bucket(all(HOME))).isEqualTo(returnees(1));
        assertModelAgrees();
    }

    @Test
    void the_accepted_topic_carries_each_accepted_event_once_retractions_included() {
        RegistrationEvent registration = returnee(HOME, MARCH_1);
        RegistrationEvent retraction = retraction(registration);
        fixture.send(registration);
        fixture.send(registration);
        fixture.send(retraction);
        fixture.send(retraction(PERSON, UUID.randomUUID()));

        assertThat(fixture.accepted()).containsExactly(registration, retraction);
        assertModelAgrees();
    }

    @Test
    void totals_never_go_negative_whatever_order_corrections_arrive_in() {
        RegistrationEvent registered = returnee(HOME, MARCH_1);
        RegistrationEvent employed = employment(HOME, MARCH_1);
        RegistrationEvent started = business(HOME, MARCH_1, 2_000_000, 1);
        fixture.send(retraction(started));
        fixture.send(registered);
        fixture.send(retraction(registered));
        fixture.send(employed);
        fixture.send(retraction(employed));
        fixture.send(started);
        fixture.send(retraction(started));
        fixture.send(retraction(registered));
        fixture.send(started);

        assertThat(fixture.totalsRecords()).isNotEmpty().allSatisfy(t -> assertThat(new Metrics(t.getReturnees(),
                t.getEmployedNearHome(), t.getBusinessesStarted(), t.getGuaranteedLoansFen(), t.getJobsCreated(),
                t.getTrained()).anyNegative()).isFalse());
        assertThat(fixture.nonZeroTotals()).isEmpty();
        assertThat(fixture.totals()).hasSize(16);
        assertThat(fixture.rejectedReasons()).containsExactly("UNKNOWN_RETRACTION_TARGET", "TARGET_ALREADY_RETRACTED");
        assertModelAgrees();
    }
}
