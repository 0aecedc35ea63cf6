package org.homecoming.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.sink.MigrationsIT.execute;
import static org.homecoming.sink.MigrationsIT.query;
import static org.homecoming.sink.TestEvents.DATONG_XINRONG;
import static org.homecoming.sink.TestEvents.TAIYUAN_WUCHENG;
import static org.homecoming.sink.TestEvents.WUTAISHAN_TAIHUAI;
import static org.homecoming.sink.TestEvents.business;
import static org.homecoming.sink.TestEvents.employed;
import static org.homecoming.sink.TestEvents.event;
import static org.homecoming.sink.TestEvents.retraction;
import static org.homecoming.sink.TestEvents.returned;
import static org.homecoming.sink.TestEvents.trained;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Regions;
import org.homecoming.sink.Reconciler.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile SQL against a small scenario computed by hand from docs/counting-rules.md (moves, a retraction
 * handing the count back, earliest and latest with ties on date and time, loans summed over active business
 * starts only, a functional zone at county level), then reconcile against consistent and tampered totals.
 */
class ReconcilerIT {

    /** Each person's events, in the order they arrive on the accepted topic. */
    private static final List<RegistrationEvent> SCENARIO = List.of(
            // p1 returns to Taiyuan, moves to Datong, the move is retracted: back in Taiyuan on 1 March
            event(1, "p1", TAIYUAN_WUCHENG, "2021-03-01", "2021-03-01T02:00:00Z", returned()),
            event(2, "p1", DATONG_XINRONG, "2021-05-10", "2021-05-10T02:00:00Z", returned()),
            event(3, "p1", DATONG_XINRONG, "2021-05-20", "2021-05-20T02:00:00Z", retraction(2)),
            // p2: a late-arriving, earlier employment is the one that counts
            event(4, "p2", TAIYUAN_WUCHENG, "2021-04-01", "2021-04-01T02:00:00Z", employed()),
            event(5, "p2", DATONG_XINRONG, "2021-02-01", "2021-02-01T02:00:00Z", employed()),
            // p3: the first business is retracted; the second counts, with only its own loan and jobs
            event(6, "p3", TAIYUAN_WUCHENG, "2021-06-01", "2021-06-01T02:00:00Z", business(10_000_000, 2)),
            event(7, "p3", DATONG_XINRONG, "2021-07-01", "2021-07-01T02:00:00Z", business(5_000_000, 3)),
            event(8, "p3", TAIYUAN_WUCHENG, "2021-07-02", "2021-07-02T02:00:00Z", retraction(6)),
            // p4: three trainings the same day; 11 and 12 recorded at the same instant, the smaller event id wins
            event(9, "p4", WUTAISHAN_TAIHUAI, "2021-06-15", "2021-06-15T10:00:00Z", trained()),
            event(12, "p4", TAIYUAN_WUCHENG, "2021-06-15", "2021-06-15T09:00:00Z", trained()),
            event(11, "p4", DATONG_XINRONG, "2021-06-15", "2021-06-15T09:00:00Z", trained()),
            // p5 returns to a township of the Wutaishan functional zone
            event(13, "p5", WUTAISHAN_TAIHUAI, "2021-08-08", "2021-08-08T02:00:00Z", returned()),
            // p6 returns, then the registration is retracted: counts nowhere
            event(14, "p6", TAIYUAN_WUCHENG, "2021-09-09", "2021-09-09T02:00:00Z", returned()),
            event(15, "p6", TAIYUAN_WUCHENG, "2021-09-10", "2021-09-10T02:00:00Z", retraction(14)),
            // p7: two registrations on one day, the later recorded one is the latest
            event(16, "p7", TAIYUAN_WUCHENG, "2021-10-01", "2021-10-01T12:00:00Z", returned()),
            event(17, "p7", DATONG_XINRONG, "2021-10-01", "2021-10-01T08:00:00Z", returned()));

    static TestDatabase postgres;
    static String database;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestDatabase.start();
        database = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", database), StatementForm.UNNEST);
        SinkBatch batch = new SinkBatch();
        long offset = 0;
        for (RegistrationEvent event : SCENARIO) {
            batch.add(EventRow.of(event, Topics.ACCEPTED.name(), 0, offset),
                    new ConsumerRecord<>(Topics.ACCEPTED.name(), 0, offset, new byte[0], new byte[0]));
            offset++;
        }
        store.write(batch, SinkSqlIT.noneStored(batch), SinkSqlIT.NO_LETTERS);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static DataSource owner() {
        return postgres.as("postgres", database);
    }

    @BeforeEach
    void storeTheExpectedTotalsAndOneZeroBucket() throws Exception {
        execute(owner(), "DELETE FROM region_totals");
        execute(owner(), "INSERT INTO region_totals SELECT e.*, 'test', 0, 0, now() FROM (" + SinkSql.EXPECTED_TOTALS + ") e");
        // the totals topic keeps a bucket a person moved out of, with zeros: not a drift
        execute(owner(), "INSERT INTO region_totals VALUES ('" + DATONG_XINRONG + "', 'DAY', DATE '2021-05-10',"
                + " 0, 0, 0, 0, 0, 0, 'test', 0, 1, now())");
    }

    /** The hand-computed contributions, each spread over its 16 buckets. */
    private static Map<String, Metrics> handComputed() {
        Map<String, Metrics> buckets = new TreeMap<>();
        contribute(buckets, TAIYUAN_WUCHENG, "2021-03-01", new Metrics(1, 0, 0, 0, 0, 0));   // p1
        contribute(buckets, DATONG_XINRONG, "2021-02-01", new Metrics(0, 1, 0, 0, 0, 0));    // p2
        contribute(buckets, DATONG_XINRONG, "2021-07-01", new Metrics(0, 0, 1, 5_000_000, 3, 0)); // p3
        contribute(buckets, DATONG_XINRONG, "2021-06-15", new Metrics(0, 0, 0, 0, 0, 1));    // p4
        contribute(buckets, WUTAISHAN_TAIHUAI, "2021-08-08", new Metrics(1, 0, 0, 0, 0, 0)); // p5
        contribute(buckets, TAIYUAN_WUCHENG, "2021-10-01", new Metrics(1, 0, 0, 0, 0, 0));   // p7
        return buckets;
    }

    private static void contribute(Map<String, Metrics> buckets, String township, String date, Metrics m) {
        LocalDate day = LocalDate.parse(date);
        for (String region : Regions.shanxi().lineage(township)) {
            for (String period : List.of("ALL 1970-01-01", "YEAR " + day.withDayOfYear(1), "MONTH " + day.withDayOfMonth(1),
                    "DAY " + day)) {
                buckets.merge(region + " " + period, m, (a, b) -> new Metrics(a.returnees() + b.returnees(),
                        a.employedNearHome() + b.employedNearHome(), a.businessesStarted() + b.businessesStarted(),
                        a.guaranteedLoansFen() + b.guaranteedLoansFen(), a.jobsCreated() + b.jobsCreated(),
                        a.trained() + b.trained()));
            }
        }
    }

    @Test
    void the_reconcile_sql_computes_exactly_the_hand_computed_buckets() throws Exception {
        Map<String, Metrics> computed = new TreeMap<>();
        query(owner(), SinkSql.EXPECTED_TOTALS, rs -> computed.put(rs.getString(1) + " " + rs.getString(2) + " "
                + rs.getString(3), new Metrics(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                rs.getLong(9))));
        assertThat(computed).isEqualTo(handComputed());
        // spot checks, spelled out
        assertThat(computed.get("140000 ALL 1970-01-01")).isEqualTo(new Metrics(3, 1, 1, 5_000_000, 3, 1));
        assertThat(computed.get("140971 ALL 1970-01-01")).isEqualTo(new Metrics(1, 0, 0, 0, 0, 0));
        assertThat(computed.get("140100 ALL 1970-01-01")).isEqualTo(new Metrics(2, 0, 0, 0, 0, 0));
        assertThat(computed).doesNotContainKeys("140212100 DAY 2021-05-10", "140105001 DAY 2021-09-09",
                "140105001 DAY 2021-06-01", "140105001 DAY 2021-06-15", "140971100 DAY 2021-06-15",
                "140105001 DAY 2021-04-01", "140212100 DAY 2021-10-01");
    }

    @Test
    void consistent_totals_reconcile_with_zero_drift() throws Exception {
        Reconciler.Report report = new Reconciler(owner()).reconcile();
        assertThat(report.drifts()).isEmpty();
        assertThat(report.isClean()).isTrue();
        assertThat(report.ledgerEvents()).isEqualTo(SCENARIO.size());
        assertThat(report.expectedBuckets()).isEqualTo(handComputed().size());
        assertThat(report.storedBuckets()).isEqualTo(handComputed().size() + 1);
    }

    @Test
    void the_bi_views_show_the_totals_by_province_city_and_township() throws Exception {
        DataSource bi = postgres.as("homecoming_bi", database);
        List<String> league = new java.util.ArrayList<>();
        query(bi, "SELECT rank_in_province, rank_in_city, township_code, city_code, returnees FROM v_township_league"
                + " ORDER BY rank_in_province, township_code", rs -> league.add(rs.getInt(1) + " " + rs.getInt(2) + " "
                        + rs.getString(3) + " " + rs.getString(4) + " " + rs.getLong(5)));
        assertThat(league).containsExactly("1 1 140105001 140100 2", "2 1 140971100 140900 1", "3 1 140212100 140200 0");
        List<String> months = new java.util.ArrayList<>();
        query(bi, "SELECT month, returnees, employed_near_home, businesses_started, guaranteed_loans_yuan, trained"
                + " FROM v_province_monthly ORDER BY month", rs -> months.add(rs.getString(1) + " " + rs.getLong(2) + " "
                        + rs.getLong(3) + " " + rs.getLong(4) + " " + rs.getBigDecimal(5) + " " + rs.getLong(6)));
        assertThat(months).containsExactly("2021-02 0 1 0 0.00 0", "2021-03 1 0 0 0.00 0", "2021-06 0 0 0 0.00 1",
                "2021-07 0 0 1 50000.00 0", "2021-08 1 0 0 0.00 0", "2021-10 1 0 0 0.00 0");
        assertThat(MigrationsIT.queryLong(bi, "SELECT returnees FROM v_city_yearly WHERE city_code = '140100'"
                + " AND year = 2021")).isEqualTo(2);
        assertThat(MigrationsIT.queryLong(bi, "SELECT count(*) FROM v_province_daily")).isEqualTo(6);
        assertThat(MigrationsIT.queryLong(bi, "SELECT jobs_created FROM v_province_all_time")).isEqualTo(3);
        assertThat(MigrationsIT.queryLong(bi, "SELECT count(*) FROM v_county_yearly WHERE is_functional_zone")).isEqualTo(1);
    }

    @Test
    void tampered_totals_show_every_drifting_bucket() throws Exception {
        execute(owner(), "UPDATE region_totals SET returnees = returnees + 1 WHERE region_code = '140105001'"
                + " AND period_kind = 'ALL'");
        execute(owner(), "DELETE FROM region_totals WHERE region_code = '140200' AND period_kind = 'YEAR'");
        execute(owner(), "INSERT INTO region_totals VALUES ('140300', 'ALL', DATE '1970-01-01', 0, 0, 0, 0, 0, 1,"
                + " 'test', 0, 2, now())");

        Reconciler.Report report = new Reconciler(owner()).reconcile(2, 10);

        assertThat(report.isClean()).isFalse();
        assertThat(report.drifts()).extracting(Reconciler.Drift::describe).containsExactly(
                "140105001 ALL   1970-01-01  returnees expected 2 stored 3",
                "140200    YEAR  2021-01-01  employed_near_home expected 1 stored 0  businesses_started expected 1 stored 0"
                        + "  guaranteed_loans_fen expected 5000000 stored 0  jobs_created expected 3 stored 0"
                        + "  trained expected 1 stored 0",
                "140300    ALL   1970-01-01  trained expected 0 stored 1");
    }

    @Test
    void a_ledger_change_the_totals_do_not_reflect_is_drift() throws Exception {
        try {
            execute(owner(), "UPDATE registration_event SET retracted = true, retracted_by = '"
                    + TestEvents.id(99) + "' WHERE event_id = '" + TestEvents.id(16) + "'");
            Reconciler.Report report = new Reconciler(owner()).reconcile();
            // p7's latest registration is taken back: the count moves to Datong on the same day
            assertThat(report.drifts()).extracting(d -> d.regionCode() + " " + d.periodKind())
                    .contains("140105001 ALL", "140212100 ALL", "140100 ALL", "140200 ALL")
                    .doesNotContain("140000 ALL");
        } finally {
            execute(owner(), "UPDATE registration_event SET retracted = false, retracted_by = NULL WHERE event_id = '"
                    + TestEvents.id(16) + "'");
        }
    }
}
