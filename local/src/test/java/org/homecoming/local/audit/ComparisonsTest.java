package org.homecoming.local.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.local.audit.AuditReport.ReasonCount;
import org.homecoming.local.audit.Differences.Source;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.Test;

class ComparisonsTest {

    private static final Bucket PROVINCE = new Bucket("140000", PeriodKind.ALL, Bucket.ALL_TIME_START);
    private static final Bucket DAY = new Bucket("140000", PeriodKind.DAY, LocalDate.of(2020, 3, 1));
    private static final Metrics ONE = new Metrics(1, 0, 0, 0, 0, 0);

    private static int next;

    private final Differences differences = new Differences(20);

    @Test
    void equal_buckets_are_compared_and_agree_and_a_bucket_kept_as_zeros_equals_one_that_is_absent() {
        Map<Bucket, Metrics> actual = new HashMap<>(Map.of(PROVINCE, ONE, DAY, Metrics.ZERO));

        int compared = Comparisons.buckets(Source.TOTALS_TOPIC, Map.of(PROVINCE, ONE), actual, differences);

        assertThat(compared).isEqualTo(1);
        assertThat(differences.isEmpty()).isTrue();
    }

    @Test
    void a_bucket_that_differs_names_the_bucket_and_each_metric_with_the_oracles_value() {
        Metrics found = new Metrics(2, 0, 0, 0, 0, 7);

        Comparisons.buckets(Source.REGION_TOTALS, Map.of(PROVINCE, ONE), Map.of(PROVINCE, found, DAY, ONE), differences);

        assertThat(differences.listed()).extracting(Object::toString).containsExactly(
                "region_totals 140000|ALL|1970-01-01: returnees 2 (oracle 1), trained 7 (oracle 0)",
                "region_totals 140000|DAY|2020-03-01: returnees 1 (oracle 0)");
    }

    @Test
    void only_the_first_differences_are_listed_but_all_are_counted_by_where_they_were_found() {
        Differences few = new Differences(3);
        Map<Bucket, Metrics> expected = new HashMap<>();
        for (int day = 1; day <= 25; day++) {
            expected.put(new Bucket("140000", PeriodKind.DAY, LocalDate.of(2020, 1, day)), ONE);
        }

        Comparisons.buckets(Source.TOTALS_TOPIC, expected, Map.of(), few);
        few.add(Source.LEDGER, "event x is missing");

        assertThat(few.count()).isEqualTo(26);
        assertThat(few.listed()).hasSize(3).allMatch(d -> d.source() == Source.TOTALS_TOPIC);
        assertThat(few.bySource()).containsEntry(Source.TOTALS_TOPIC, 25).containsEntry(Source.LEDGER, 1);
    }

    @Test
    void an_accepted_event_missing_doubled_altered_or_never_accepted_is_a_difference() {
        Recount.Accepted a = accepted();
        Recount.Accepted b = accepted();
        Recount.Accepted c = accepted();
        Recount.Accepted fine = accepted();
        b.copied(2, b.valueHash);
        c.copied(1, c.valueHash + 1);
        fine.copied(1, fine.valueHash);
        UUID stranger = new UUID(0, 99);
        Map<UUID, Recount.Accepted> expected = Map.of(id(a), a, id(b), b, id(c), c, id(fine), fine);

        Comparisons.acceptedTopic(expected, Map.of(stranger, new Outputs.Copies(1, 0)), differences);

        assertThat(differences.listed()).extracting(Differences.Difference::detail).containsExactlyInAnyOrder(
                "event " + id(a) + " is missing", "event " + id(b) + " is there 2 times",
                "event " + id(c) + " differs from the bytes it arrived in",
                "event " + stranger + " is there, but the oracle did not accept it");
    }

    @Test
    void a_ledger_row_is_checked_for_the_event_and_its_retraction_and_a_missing_row_is_a_difference() {
        Recount.Accepted kept = accepted();
        Recount.Accepted deleted = accepted();
        RegistrationEvent e = kept.event;
        Comparisons.LedgerRow row = new Comparisons.LedgerRow(e.getEventId(), e.getPersonRef(), "ReturneeRegistered",
                e.getTownshipCode(), e.getOccurredOn(), false);

        Comparisons.ledgerRow(row, kept, false, differences);
        assertThat(differences.isEmpty()).isTrue();
        Comparisons.ledgerRow(row, kept, true, differences);
        Comparisons.ledgerRow(row, null, false, differences);
        Comparisons.ledgerMissing(Map.of(id(kept), kept, id(deleted), deleted), differences);

        assertThat(differences.listed()).extracting(Differences.Difference::detail).containsExactly(
                "event " + id(kept) + " is not marked retracted",
                "event " + id(kept) + " is there, but the oracle did not accept it",
                "event " + id(deleted) + " is missing");
    }

    @Test
    void rejections_are_matched_by_source_position_and_counted_by_reason_within_the_audited_offsets() {
        Map<Long, String> oracle = Map.of(Recount.position(0, 3), "BAD_KEY", Recount.position(1, 5), "DATE_IN_FUTURE",
                Recount.position(2, 1), "UNDESERIALIZABLE");
        Map<Long, String> topic = Map.of(Recount.position(0, 3), "BAD_KEY", Recount.position(1, 5), "DATE_TOO_EARLY",
                Recount.position(1, 6), "BAD_KEY", Recount.position(1, 90), "BAD_KEY");

        SortedMap<String, ReasonCount> counts = Comparisons.rejected(oracle, topic, Map.of(0, 10L, 1, 10L, 2, 10L),
                true, differences);

        assertThat(counts).containsExactly(Map.entry("BAD_KEY", new ReasonCount(1, 2)),
                Map.entry("DATE_IN_FUTURE", new ReasonCount(1, 0)), Map.entry("DATE_TOO_EARLY", new ReasonCount(0, 1)),
                Map.entry("UNDESERIALIZABLE", new ReasonCount(1, 0)));
        assertThat(differences.listed()).extracting(Differences.Difference::detail).containsExactly(
                "homecoming.registrations-1@5 rejected as DATE_TOO_EARLY (oracle: DATE_IN_FUTURE)",
                "homecoming.registrations-2@1 is missing (oracle: UNDESERIALIZABLE)",
                "homecoming.registrations-1@6 rejected as BAD_KEY, but the oracle did not reject it");
    }

    @Test
    void a_rejection_that_retention_may_have_deleted_is_not_a_difference_but_a_wrong_reason_still_is() {
        Map<Long, String> oracle = Map.of(Recount.position(0, 3), "BAD_KEY", Recount.position(0, 5), "DATE_IN_FUTURE");
        Map<Long, String> topic = Map.of(Recount.position(0, 5), "DATE_TOO_EARLY");

        Comparisons.rejected(oracle, topic, Map.of(0, 10L), false, differences);

        assertThat(differences.listed()).extracting(Differences.Difference::detail).containsExactly(
                "homecoming.registrations-0@5 rejected as DATE_TOO_EARLY (oracle: DATE_IN_FUTURE)");
    }

    @Test
    void an_output_partition_with_its_committed_end_behind_the_uncommitted_end_has_an_open_transaction() {
        Comparisons.openTransaction("homecoming.totals-0", 10, 10, differences);
        Comparisons.openTransaction("homecoming.totals-1", 12, 11, differences);
        Comparisons.openTransaction("homecoming.totals-2", 10, 14, differences);

        assertThat(differences.listed()).extracting(Object::toString).containsExactly(
                "open transaction homecoming.totals-2: read_committed ends at 10, read_uncommitted at 14");
    }

    @Test
    void the_report_names_the_buckets_compared_the_rejections_by_reason_and_the_exit_code() {
        SortedMap<String, ReasonCount> reasons = new TreeMap<>(Map.of("BAD_KEY", new ReasonCount(3, 3)));
        AuditReport clean = report(new Differences(20), reasons);
        Differences found = new Differences(20);
        found.add(Source.TOTALS_TOPIC, "140000|ALL|1970-01-01: returnees 2 (oracle 1)");
        AuditReport differing = report(found, reasons);

        assertThat(clean.exitCode()).isZero();
        assertThat(print(clean)).contains("12,345 compared with homecoming.totals", "BAD_KEY", "OK: all 12,345 buckets");
        assertThat(differing.exitCode()).isEqualTo(1);
        assertThat(print(differing)).contains("DIFF homecoming.totals 140000|ALL|1970-01-01: returnees 2 (oracle 1)",
                "DIFFERENCES: 1 (1 homecoming.totals)");
    }

    private static AuditReport report(Differences differences, SortedMap<String, ReasonCount> reasons) {
        return new AuditReport("homecoming-totals", 1000, 0, 900, 97, 3, 12_345, 20_000, 12_345, 900, 900, reasons, true, 48,
                differences, 1, true, Duration.ofMillis(20), Duration.ofSeconds(1));
    }

    private static String print(AuditReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Recount.Accepted accepted() {
        next++;
        RegistrationEvent event = RegistrationEvent.newBuilder().setEventId(new UUID(1, next))
                .setPersonRef(String.format("%064x", next)).setPersonRefKeyVersion(1).setTownshipCode("140105001")
                .setTerminalId("t").setOccurredOn(LocalDate.of(2020, 3, 1))
                .setRecordedAt(LocalDate.of(2020, 3, 1).atStartOfDay().toInstant(ZoneOffset.UTC))
                .setPayload(new ReturneeRegistered(null, ReturnReason.FAMILY)).build();
        return new Recount.Accepted(event, next * 31);
    }

    private static UUID id(Recount.Accepted accepted) {
        return accepted.event.getEventId();
    }
}
