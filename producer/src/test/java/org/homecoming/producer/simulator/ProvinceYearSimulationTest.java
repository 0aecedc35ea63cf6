package org.homecoming.producer.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.producer.identity.NationalId;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Expected;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Kind;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Options;
import org.homecoming.producer.simulator.ProvinceYearSimulation.SimulatedRecord;
import org.homecoming.producer.simulator.ProvinceYearSimulation.Totals;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.junit.jupiter.api.Test;

class ProvinceYearSimulationTest {

    private static final Regions REGIONS = Regions.shanxi();
    private static final Pseudonymizer KEY = new Pseudonymizer(
            "simulator-test-key-with-32-bytes-or-more".getBytes(StandardCharsets.US_ASCII), 1);
    private static final LocalDate TODAY = LocalDate.of(2026, 1, 1);

    @Test
    void at_scale_one_the_expected_province_totals_are_the_seed_figures_whatever_the_noise() {
        for (Options options : List.of(new Options(1.0, 42, 0, 0, 0), new Options(1.0, 7, 0.05, 0.02, 0.01))) {
            Totals province = ProvinceYearSimulation.plan(options, REGIONS).expected().province();
            assertThat(province.returnees()).isEqualTo(807_000);
            assertThat(province.employedNearHome()).isEqualTo(188_400);
            assertThat(province.businessesStarted()).isEqualTo(91_200);
            assertThat(province.trained()).isEqualTo(38_000);
            assertThat(province.guaranteedLoansFen()).isPositive()
                    .isLessThanOrEqualTo(91_200L * 30_000_000L);
        }
    }

    @Test
    void at_scale_one_hundredth_the_counts_are_the_seed_figures_rounded_half_up() {
        Expected expected = ProvinceYearSimulation.plan(Options.withDefaultNoise(0.01, 42), REGIONS).expected();
        assertThat(expected.province().returnees()).isEqualTo(8_070);
        assertThat(expected.province().employedNearHome()).isEqualTo(1_884);
        assertThat(expected.province().businessesStarted()).isEqualTo(912);
        assertThat(expected.province().trained()).isEqualTo(380);
        assertThat(ProvinceYearSimulation.plan(Options.withDefaultNoise(0.00001, 42), REGIONS).expected().province())
                .extracting(Totals::returnees, Totals::employedNearHome, Totals::businessesStarted, Totals::trained)
                .containsExactly(8L, 2L, 1L, 0L);
        assertThat(expected.byCity()).hasSize(11);
        assertThat(expected.byCity().values().stream().mapToLong(Totals::returnees).sum()).isEqualTo(8_070);
    }

    @Test
    void the_pipeline_counting_rules_applied_to_the_noisy_stream_give_exactly_the_expected_totals() {
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(new Options(0.02, 11, 0.02, 0.005, 0.001), REGIONS);
        List<SimulatedRecord> records = simulation.records(KEY);

        Model model = new Model();
        records.forEach(r -> model.apply(r.event()));

        assertThat(model.rejected).isEqualTo(simulation.expected().invalid()).isPositive();
        assertThat(model.duplicates).isEqualTo(simulation.expected().duplicates()).isPositive();
        assertThat(model.retracted).isEqualTo(simulation.expected().retractions()).isPositive();
        assertThat(model.totals()).isEqualTo(simulation.expected().province());
        assertThat(model.totalsByCity()).isEqualTo(simulation.expected().byCity());
    }

    @Test
    void noise_rates_are_honoured_exactly_after_rounding() {
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(new Options(0.01, 5, 0.02, 0.005, 0.001), REGIONS);
        Expected expected = simulation.expected();
        Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
        simulation.generate(KEY, r -> kinds.merge(r.kind(), 1L, Long::sum));

        long base = 8_070 + 1_884 + 912 + 380;
        assertThat(expected.baseEvents()).isEqualTo(base);
        assertThat(kinds.get(Kind.ORIGINAL)).isEqualTo(base);
        assertThat(kinds.get(Kind.DUPLICATE)).isEqualTo(Math.round(base * 0.02)).isEqualTo(expected.duplicates());
        assertThat(kinds.get(Kind.RETRACTION)).isEqualTo(Math.round(8_070 * 0.005)).isEqualTo(expected.retractions());
        assertThat(kinds.get(Kind.CORRECTION)).isEqualTo(expected.retractions());
        assertThat(kinds.get(Kind.INVALID)).isEqualTo(Math.round(base * 0.001)).isEqualTo(expected.invalid());
        assertThat(expected.invalidByReason().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(expected.invalid());
        assertThat(expected.invalidByReason()).hasSize(5);
        assertThat(expected.refusedByGateway() + expected.rejectedByCounting()).isEqualTo(expected.invalid());
        assertThat(expected.rejectedByCounting()).isPositive();
        assertThat(kinds.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(expected.events());

        Map<Kind, Long> quiet = new EnumMap<>(Kind.class);
        ProvinceYearSimulation.plan(new Options(0.01, 5, 0, 0, 0), REGIONS).generate(KEY,
                r -> quiet.merge(r.kind(), 1L, Long::sum));
        assertThat(quiet).containsOnlyKeys(Kind.ORIGINAL);
    }

    @Test
    void every_id_has_a_valid_check_digit_and_birth_date_and_each_person_has_exactly_one_distinct_id() {
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(Options.withDefaultNoise(0.02, 3), REGIONS);
        Map<String, String> idByPerson = new HashMap<>();
        Set<String> ids = new HashSet<>();
        simulation.generate(KEY, r -> {
            assertThat(NationalId.validate(r.nationalId(), TODAY)).as("ID problem").isNull();
            if (r.kind() != Kind.INVALID) {
                assertThat(r.nationalId()).startsWith(REGIONS.countyOf(r.event().getTownshipCode()).code());
            }
            assertThat(r.event().getPersonRef()).isEqualTo(KEY.personRef(r.nationalId()));
            String previous = idByPerson.putIfAbsent(r.event().getPersonRef(), r.nationalId());
            assertThat(previous == null || previous.equals(r.nationalId())).isTrue();
            ids.add(r.nationalId());
        });
        Expected expected = simulation.expected();
        assertThat(ids).hasSize((int) (expected.province().returnees() + expected.invalid()));
        assertThat(idByPerson).hasSameSizeAs(ids);
    }

    @Test
    void the_same_seed_gives_the_same_records_and_another_seed_others() {
        List<RegistrationEvent> first = events(ProvinceYearSimulation.plan(Options.withDefaultNoise(0.005, 99), REGIONS));
        List<RegistrationEvent> again = events(ProvinceYearSimulation.plan(Options.withDefaultNoise(0.005, 99), REGIONS));
        List<RegistrationEvent> other = events(ProvinceYearSimulation.plan(Options.withDefaultNoise(0.005, 100), REGIONS));
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(other.get(0).getEventId()).isNotEqualTo(first.get(0).getEventId());
    }

    private static List<RegistrationEvent> events(ProvinceYearSimulation simulation) {
        return simulation.records(KEY).stream().map(SimulatedRecord::event).toList();
    }

    @Test
    void only_the_invalid_records_break_the_shared_rules_and_nothing_is_dated_after_it_was_recorded() {
        EventRules rules = new EventRules(REGIONS);
        Set<String> reasons = new HashSet<>();
        for (SimulatedRecord record : ProvinceYearSimulation.plan(new Options(0.01, 8, 0.02, 0.005, 0.01), REGIONS)
                .records(KEY)) {
            var violations = rules.check(record.event(), LocalDate.of(2020, 12, 31));
            if (record.kind() == Kind.INVALID && record.event().getPayload() instanceof RegistrationRetracted) {
                assertThat(violations).as("a retraction of nothing breaks no rule of the record alone").isEmpty();
                reasons.add(ProvinceYearSimulation.COUNTING_ONLY_REASON);
            } else if (record.kind() == Kind.INVALID) {
                assertThat(violations).isNotEmpty();
                violations.forEach(v -> reasons.add(v.code().name()));
            } else {
                assertThat(violations).isEmpty();
                assertThat(record.event().getRecordedAt()).isAfter(record.event().getOccurredOn().atStartOfDay(
                        org.homecoming.schemas.rules.Policy.ZONE).toInstant());
            }
        }
        assertThat(reasons).containsExactlyInAnyOrder("UNKNOWN_TOWNSHIP", "NOT_A_TOWNSHIP", "LOAN_OVER_CEILING",
                "DATE_TOO_EARLY", "UNKNOWN_RETRACTION_TARGET");
    }

    @Test
    void businesses_have_loans_within_the_ceiling_with_a_spread_and_qinshui_has_inns_and_agricultural_parks() {
        List<Long> loans = new ArrayList<>();
        Map<BusinessType, Integer> qinshui = new EnumMap<>(BusinessType.class);
        for (SimulatedRecord record : ProvinceYearSimulation.plan(new Options(0.05, 42, 0, 0, 0), REGIONS).records(KEY)) {
            if (record.event().getPayload() instanceof BusinessStarted business) {
                loans.add(business.getGuaranteedLoanFen());
                assertThat(business.getRegisteredCapitalFen()).isGreaterThanOrEqualTo(business.getGuaranteedLoanFen());
                if (REGIONS.countyOf(record.event().getTownshipCode()).code().equals(ProvinceYearSimulation.QINSHUI)) {
                    qinshui.merge(business.getBusinessType(), 1, Integer::sum);
                }
            }
        }
        assertThat(loans).hasSize(4_560).allMatch(l -> l >= 0 && l <= 30_000_000L);
        loans.sort(Comparator.naturalOrder());
        long none = loans.stream().filter(l -> l == 0).count();
        long atCeiling = loans.stream().filter(l -> l == 30_000_000L).count();
        assertThat(none).isBetween(1_200L, 1_550L);
        assertThat(atCeiling).isBetween(20L, 400L);
        long median = loans.get(none > 0 ? (int) (none + (loans.size() - none) / 2) : loans.size() / 2);
        assertThat(median).isBetween(6_000_000L, 10_000_000L);
        assertThat(qinshui.getOrDefault(BusinessType.RURAL_INN, 0)).isPositive();
        assertThat(qinshui.getOrDefault(BusinessType.AGRICULTURAL_PARK, 0)).isPositive();
    }

    @Test
    void returns_peak_around_the_spring_festival_and_cities_follow_the_census() {
        Map<Month, Integer> byMonth = new EnumMap<>(Month.class);
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(new Options(0.05, 42, 0, 0, 0), REGIONS);
        simulation.generate(KEY, r -> {
            if (r.event().getPayload() instanceof ReturneeRegistered) {
                byMonth.merge(r.event().getOccurredOn().getMonth(), 1, Integer::sum);
            }
        });
        assertThat(byMonth.get(Month.JANUARY)).isGreaterThan(3 * byMonth.get(Month.JUNE));
        assertThat(byMonth.get(Month.JANUARY)).isGreaterThan(byMonth.get(Month.FEBRUARY));
        long taiyuan = simulation.expected().byCity().get("140100").returnees();
        long yangquan = simulation.expected().byCity().get("140300").returnees();
        assertThat(taiyuan).isEqualTo(Math.round(40_350 * 5_304_061.0 / 34_915_616)).isGreaterThan(3 * yangquan);
    }

    @Test
    void scales_and_rates_out_of_range_are_refused() {
        assertThatThrownBy(() -> new Options(0, 1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(11, 1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(1, 1, -0.1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The counting rules of docs/counting-rules.md in the simplest form: validation by EventRules, duplicates
     * by eventId per person, retractions of accepted events, people counted once per metric at their
     * latest (returnee) or earliest (others) active event.
     */
    static final class Model {
        private final EventRules rules = new EventRules(REGIONS);
        private final Map<String, Map<UUID, RegistrationEvent>> accepted = new HashMap<>();
        private final Set<UUID> retractedIds = new HashSet<>();
        long rejected;
        long duplicates;
        long retracted;

        void apply(RegistrationEvent event) {
            if (!rules.check(event, TODAY).isEmpty()) {
                rejected++;
                return;
            }
            Map<UUID, RegistrationEvent> person = accepted.computeIfAbsent(event.getPersonRef(), k -> new LinkedHashMap<>());
            if (person.containsKey(event.getEventId())) {
                duplicates++;
                return;
            }
            if (event.getPayload() instanceof RegistrationRetracted retraction) {
                RegistrationEvent target = person.get(retraction.getTargetEventId());
                if (target == null || retractedIds.contains(target.getEventId())
                        || target.getPayload() instanceof RegistrationRetracted) {
                    rejected++;
                    return;
                }
                retractedIds.add(target.getEventId());
                retracted++;
            }
            person.put(event.getEventId(), event);
        }

        private static final Comparator<RegistrationEvent> ORDER = Comparator.comparing(RegistrationEvent::getOccurredOn)
                .thenComparing(RegistrationEvent::getRecordedAt).thenComparing(e -> e.getEventId().toString());

        Map<String, Totals> totalsByCity() {
            Map<String, Totals> byCity = new LinkedHashMap<>();
            for (String city : ProvinceYearSimulation.CENSUS_2020.keySet()) {
                byCity.put(city, new Totals(0, 0, 0, 0, 0, 0));
            }
            for (Map<UUID, RegistrationEvent> person : accepted.values()) {
                List<RegistrationEvent> active = person.values().stream()
                        .filter(e -> !retractedIds.contains(e.getEventId()))
                        .filter(e -> !(e.getPayload() instanceof RegistrationRetracted)).sorted(ORDER).toList();
                active.stream().filter(e -> e.getPayload() instanceof ReturneeRegistered).reduce((a, b) -> b)
                        .ifPresent(e -> add(byCity, e, new Totals(1, 0, 0, 0, 0, 0)));
                active.stream().filter(e -> e.getPayload() instanceof EmploymentNearHomeRecorded).findFirst()
                        .ifPresent(e -> add(byCity, e, new Totals(0, 1, 0, 0, 0, 0)));
                active.stream().filter(e -> e.getPayload() instanceof BusinessStarted).findFirst()
                        .ifPresent(e -> add(byCity, e, new Totals(0, 0, 1, 0, 0, 0)));
                active.stream().filter(e -> e.getPayload() instanceof TrainingCompleted).findFirst()
                        .ifPresent(e -> add(byCity, e, new Totals(0, 0, 0, 0, 0, 1)));
                active.stream().filter(e -> e.getPayload() instanceof BusinessStarted).forEach(e -> {
                    BusinessStarted b = (BusinessStarted) e.getPayload();
                    add(byCity, e, new Totals(0, 0, 0, b.getGuaranteedLoanFen(), b.getJobsCreated(), 0));
                });
            }
            return byCity;
        }

        private static void add(Map<String, Totals> byCity, RegistrationEvent event, Totals delta) {
            byCity.merge(REGIONS.cityOf(event.getTownshipCode()).code(), delta, Totals::plus);
        }

        Totals totals() {
            return totalsByCity().values().stream().reduce(new Totals(0, 0, 0, 0, 0, 0), Totals::plus);
        }
    }
}
