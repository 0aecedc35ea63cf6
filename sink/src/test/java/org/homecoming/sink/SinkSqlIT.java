package org.homecoming.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.homecoming.sink.MigrationsIT.execute;
import static org.homecoming.sink.MigrationsIT.query;
import static org.homecoming.sink.MigrationsIT.queryLong;
import static org.homecoming.sink.TestEvents.DATONG_XINRONG;
import static org.homecoming.sink.TestEvents.TAIYUAN_WUCHENG;
import static org.homecoming.sink.TestEvents.business;
import static org.homecoming.sink.TestEvents.event;
import static org.homecoming.sink.TestEvents.retraction;
import static org.homecoming.sink.TestEvents.returned;
import static org.homecoming.sink.TestEvents.trained;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The statements of {@link SinkSql} and the store's transactions, run against a real, migrated PostgreSQL as
 * the {@code homecoming_sink} role.
 */
class SinkSqlIT {

    private static final String TOTALS = Topics.TOTALS.name();
    private static final String ACCEPTED = Topics.ACCEPTED.name();

    static TestDatabase postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestDatabase.start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static TotalsRow totals(String region, String kind, String start, long returnees, int partition, long offset) {
        return new TotalsRow(region, kind, LocalDate.parse(start), returnees, 2, 3, 4_000_000L, 5, 6, TOTALS, partition,
                offset, Instant.parse("2021-03-15T08:00:00.123Z"));
    }

    private static EventRow row(RegistrationEvent event, long offset) {
        return EventRow.of(event, ACCEPTED, 0, offset);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, new byte[] {1}, new byte[] {2});
    }

    private static SinkBatch batch(List<TotalsRow> totals, List<EventRow> events) {
        SinkBatch batch = new SinkBatch();
        totals.forEach(t -> batch.add(t, record(t.sourceTopic(), t.sourcePartition(), t.sourceOffset())));
        events.forEach(e -> batch.add(e, record(e.sourceTopic(), e.sourcePartition(), e.sourceOffset())));
        return batch;
    }

    @ParameterizedTest
    @EnumSource(StatementForm.class)
    void every_statement_form_writes_the_same_rows_and_an_older_offset_never_overwrites_a_newer_one(StatementForm form)
            throws Exception {
        String db = postgres.createMigrated();
        DataSource sink = postgres.rewriting("homecoming_sink", db);
        List<TotalsRow> rows = new ArrayList<>();
        for (int day = 1; day <= 28; day++) {
            rows.add(totals(TAIYUAN_WUCHENG, "DAY", String.format("2021-02-%02d", day), day, 1, 100 + day));
        }
        rows.add(totals("140000", "ALL", "1970-01-01", 406, 2, 7));
        try (Connection connection = sink.getConnection()) {
            form.write(connection, StatementForm.Statements.TOTALS, rows);
            // a replayed older value of the same partition is ignored, a newer one wins
            form.write(connection, StatementForm.Statements.TOTALS, List.of(
                    totals(TAIYUAN_WUCHENG, "DAY", "2021-02-01", 999, 1, 50),
                    totals(TAIYUAN_WUCHENG, "DAY", "2021-02-02", 777, 1, 200)));
            form.write(connection, StatementForm.Statements.EVENTS, List.of(
                    row(event(1, "p1", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:02:03.456Z", returned()), 0),
                    row(event(2, "p1", DATONG_XINRONG, "2021-02-03", "2021-02-03T01:00:00Z", business(1_500_000, 4)), 1),
                    row(event(3, "p1", DATONG_XINRONG, "2021-02-04", "2021-02-04T01:00:00Z", retraction(2)), 2)));
        }
        assertThat(queryLong(sink, "SELECT count(*) FROM region_totals")).isEqualTo(29);
        assertThat(queryLong(sink, "SELECT returnees FROM region_totals WHERE period_start = DATE '2021-02-01'")).isEqualTo(1);
        assertThat(queryLong(sink, "SELECT returnees FROM region_totals WHERE period_start = DATE '2021-02-02'")).isEqualTo(777);
        List<String> province = new ArrayList<>();
        query(sink, "SELECT returnees, employed_near_home, businesses_started, guaranteed_loans_fen, jobs_created, trained,"
                + " source_topic, source_partition, source_offset, updated_at FROM region_totals WHERE region_code = '140000'",
                rs -> {
                    for (int c = 1; c <= 9; c++) {
                        province.add(rs.getString(c));
                    }
                    province.add(rs.getObject(10, java.time.OffsetDateTime.class).toInstant().toString());
                });
        assertThat(province).containsExactly("406", "2", "3", "4000000", "5", "6", TOTALS, "2", "7",
                "2021-03-15T08:00:00.123Z");
        List<String> ledger = new ArrayList<>();
        query(sink, "SELECT event_id, event_type, township_code, occurred_on, recorded_at, return_reason,"
                + " guaranteed_loan_fen, registered_capital_fen, jobs_created, target_event_id, retraction_reason,"
                + " source_offset FROM registration_event ORDER BY event_id", rs -> ledger.add(
                        rs.getString(1).substring(30) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " " + rs.getObject(5, java.time.OffsetDateTime.class).toInstant() + " "
                        + rs.getString(6) + " " + rs.getString(7) + " " + rs.getString(8) + " " + rs.getString(9) + " "
                        + (rs.getString(10) == null ? null : rs.getString(10).substring(30)) + " " + rs.getString(11)
                        + " " + rs.getString(12)));
        assertThat(ledger).containsExactly(
                "000001 ReturneeRegistered 140105001 2021-02-01 2021-02-01T01:02:03.456Z FAMILY null null null null null 0",
                "000002 BusinessStarted 140212100 2021-02-03 2021-02-03T01:00:00Z null 1500000 3000000 4 null null 1",
                "000003 RegistrationRetracted 140212100 2021-02-04 2021-02-04T01:00:00Z null null null null 000002"
                        + " DATA_ENTRY_ERROR 2");
    }

    @Test
    void a_batch_and_its_offsets_commit_together_and_a_retraction_marks_its_target() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        SinkBatch first = batch(List.of(totals(TAIYUAN_WUCHENG, "ALL", "1970-01-01", 1, 3, 10)), List.of(
                row(event(1, "p1", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z", returned()), 40),
                row(event(2, "p1", TAIYUAN_WUCHENG, "2021-02-05", "2021-02-05T01:00:00Z", trained()), 41)));
        store.write(first, noneStored(first), NO_LETTERS);
        assertThat(store.storedOffsets(TOTALS)).containsExactlyEntriesOf(Map.of(3, 11L));
        assertThat(store.storedOffsets(ACCEPTED)).containsExactlyEntriesOf(Map.of(0, 42L));

        // the retraction in the next batch, and a resend of event 1 that must change nothing
        SinkBatch second = batch(List.of(), List.of(
                row(event(1, "p1", DATONG_XINRONG, "2021-03-01", "2021-03-01T01:00:00Z", returned()), 42),
                row(event(3, "p1", TAIYUAN_WUCHENG, "2021-02-06", "2021-02-06T01:00:00Z", retraction(2)), 43)));
        Map<TopicPartition, Long> expected = new HashMap<>(first.nextOffsets());
        store.write(second, expected, NO_LETTERS);
        List<String> state = new ArrayList<>();
        query(postgres.as("postgres", db), "SELECT event_id, township_code, retracted, retracted_by FROM registration_event"
                + " ORDER BY event_id", rs -> state.add(rs.getString(1).substring(30) + " " + rs.getString(2) + " "
                        + rs.getBoolean(3) + " " + (rs.getString(4) == null ? "-" : rs.getString(4).substring(30))));
        assertThat(state).containsExactly("000001 140105001 false -", "000002 140105001 true 000003",
                "000003 140105001 false -");
        assertThat(store.storedOffsets(ACCEPTED)).containsExactlyEntriesOf(Map.of(0, 44L));
    }

    @Test
    void a_redelivered_batch_of_events_changes_nothing_and_a_retraction_still_marks_its_target() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        List<RegistrationEvent> events = List.of(
                event(1, "p1", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z", returned()),
                event(2, "p1", TAIYUAN_WUCHENG, "2021-02-02", "2021-02-02T01:00:00Z", business(1_000_000, 2)),
                // retracts event 2 of the same batch: the COPY path inserts the target before marking it
                event(3, "p1", TAIYUAN_WUCHENG, "2021-02-03", "2021-02-03T01:00:00Z", retraction(2)),
                event(4, "p2", DATONG_XINRONG, "2021-02-03", "2021-02-03T02:00:00Z", trained()));
        SinkBatch first = batch(List.of(), rows(events, 10));
        Map<TopicPartition, Long> expected = noneStored(first);
        store.write(first, expected, NO_LETTERS);
        expected.putAll(first.nextOffsets());
        List<String> written = ledger(db);
        assertThat(retractionState(db)).containsExactly("000001 false -", "000002 true 000003", "000003 false -",
                "000004 false -");

        // the same events again at later offsets, as a re-processed accepted topic would bring them (the counting
        // application reset and run again, say), the retraction this time before its target
        List<RegistrationEvent> redelivered = List.of(events.get(2), events.get(0), events.get(1), events.get(3));
        SinkBatch again = batch(List.of(), rows(redelivered, 14));
        store.write(again, expected, NO_LETTERS);

        assertThat(ledger(db)).isEqualTo(written);
        assertThat(retractionState(db)).containsExactly("000001 false -", "000002 true 000003", "000003 false -",
                "000004 false -");
        assertThat(store.storedOffsets(ACCEPTED)).containsExactlyEntriesOf(Map.of(0, 18L));
    }

    @Test
    void text_with_backslashes_tabs_line_breaks_and_characters_beyond_ascii_is_stored_exactly_as_sent() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        List<String> terminals = List.of("back\\slash", "tab\there", "new\nline", "carriage\rreturn", "crlf\r\n",
                "\\N", "\\.", "", " ", "end\\", "\\t is not a tab", "\"quoted\", 'single', comma",
                "山西省 太原市 坞城街道", "emoji 😀 𠀀", "\u0001\u001f\u007f\u00a0\u2028");
        List<EventRow> rows = new ArrayList<>();
        for (int i = 0; i < terminals.size(); i++) {
            rows.add(row(withTerminal(event(i + 1, "p" + i, TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z",
                    returned()), terminals.get(i)), i));
        }
        SinkBatch batch = batch(List.of(), rows);
        store.write(batch, noneStored(batch), NO_LETTERS);

        List<String> stored = new ArrayList<>();
        query(postgres.as("postgres", db), "SELECT terminal_id FROM registration_event ORDER BY event_id",
                rs -> stored.add(rs.getString(1)));
        assertThat(stored).containsExactlyElementsOf(terminals);
        assertThat(queryLong(postgres.as("postgres", db),
                "SELECT count(*) FROM registration_event WHERE previous_work_province IS NULL")).isEqualTo(terminals.size());
    }

    @Test
    void a_nul_character_is_a_data_error_of_its_own_record_only() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        RegistrationEvent nul = withTerminal(event(2, "p2", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z",
                returned()), "T\u0000");
        SinkBatch batch = batch(List.of(), List.of(
                row(event(1, "p1", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z", returned()), 0),
                row(nul, 1)));

        assertThatThrownBy(() -> store.write(batch, noneStored(batch), NO_LETTERS)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(SqlErrors.isPermanentDataError((SQLException) e)).isTrue());
        List<PostgresSinkStore.Refused> refused = store.writeIsolating(batch, noneStored(batch), letters -> { });

        assertThat(refused).extracting(r -> r.record().offset()).containsExactly(1L);
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM registration_event")).isEqualTo(1);
        assertThat(store.storedOffsets(ACCEPTED)).containsExactlyEntriesOf(Map.of(0, 2L));
    }

    @Test
    void a_session_keeps_one_staging_table_which_is_empty_after_every_commit_and_rollback() throws Exception {
        String db = postgres.createMigrated();
        List<EventRow> rows = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            rows.add(row(event(i, "p" + i, TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z", returned()), i));
        }
        try (Connection connection = postgres.as("homecoming_sink", db).getConnection()) {
            connection.setAutoCommit(false);
            StatementForm.COPY.write(connection, StatementForm.Statements.EVENTS, rows.subList(0, 1));
            // the rollback also takes back the staging table this transaction created
            connection.rollback();
            StatementForm.COPY.write(connection, StatementForm.Statements.EVENTS, rows.subList(0, 2));
            connection.commit();
            StatementForm.COPY.write(connection, StatementForm.Statements.EVENTS, rows.subList(2, 3));
            assertThat(count(connection, "SELECT count(*) FROM pg_temp.registration_event_staging")).isEqualTo(1);
            connection.commit();

            assertThat(count(connection, "SELECT count(*) FROM pg_temp.registration_event_staging")).isZero();
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'registration_event_staging'"
                    + " AND relnamespace = pg_my_temp_schema()")).isEqualTo(1);
            connection.commit();
        }
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM registration_event")).isEqualTo(3);
    }

    private static RegistrationEvent withTerminal(RegistrationEvent e, String terminalId) {
        return new RegistrationEvent(e.getEventId(), e.getPersonRef(), e.getPersonRefKeyVersion(), e.getTownshipCode(),
                terminalId, e.getOccurredOn(), e.getRecordedAt(), e.getPayload());
    }

    private static List<EventRow> rows(List<RegistrationEvent> events, long firstOffset) {
        List<EventRow> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            rows.add(row(events.get(i), firstOffset + i));
        }
        return rows;
    }

    /** Every column of every ledger row, as PostgreSQL prints the row. */
    private static List<String> ledger(String db) throws SQLException {
        List<String> rows = new ArrayList<>();
        query(postgres.as("postgres", db), "SELECT e::text FROM registration_event e ORDER BY event_id",
                rs -> rows.add(rs.getString(1)));
        return rows;
    }

    private static List<String> retractionState(String db) throws SQLException {
        List<String> state = new ArrayList<>();
        query(postgres.as("postgres", db), "SELECT event_id, retracted, retracted_by FROM registration_event ORDER BY event_id",
                rs -> state.add(rs.getString(1).substring(30) + " " + rs.getBoolean(2) + " "
                        + (rs.getString(3) == null ? "-" : rs.getString(3).substring(30))));
        return state;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void a_batch_whose_expected_position_is_stale_is_refused_and_writes_nothing() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        SinkBatch first = batch(List.of(totals(TAIYUAN_WUCHENG, "ALL", "1970-01-01", 1, 0, 0)), List.of());
        store.write(first, noneStored(first), NO_LETTERS);
        // another instance believes nothing is stored yet: it must not write its (replayed) batch
        SinkBatch replay = batch(List.of(totals(TAIYUAN_WUCHENG, "ALL", "1970-01-01", 5, 0, 0)), List.of());
        assertThatThrownBy(() -> store.write(replay, noneStored(replay), NO_LETTERS))
                .isInstanceOf(OffsetConflictException.class)
                .satisfies(e -> assertThat(((OffsetConflictException) e).stored()).isEqualTo(1L));
        assertThat(queryLong(postgres.as("postgres", db), "SELECT returnees FROM region_totals")).isEqualTo(1);
    }

    @Test
    void a_partition_whose_position_was_never_read_is_a_conflict_even_when_nothing_is_stored() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        // the sink could not read the positions when the partition was assigned: it must learn them first
        SinkBatch batch = batch(List.of(totals(TAIYUAN_WUCHENG, "ALL", "1970-01-01", 1, 0, 0)), List.of());
        assertThatThrownBy(() -> store.write(batch, new HashMap<>(), NO_LETTERS))
                .isInstanceOf(OffsetConflictException.class)
                .satisfies(e -> assertThat(((OffsetConflictException) e).stored()).isNull());
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM region_totals")).isZero();
    }

    @Test
    void records_that_cannot_be_read_are_dead_lettered_inside_the_transaction_that_moves_past_them() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        SinkBatch batch = batch(List.of(), List.of(
                row(event(1, "p1", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z", returned()), 0)));
        batch.refuse(new ConsumerRecord<>(ACCEPTED, 0, 1L, new byte[0], new byte[] {0, 0, 0, 0, 99}), "UNDESERIALIZABLE",
                "UNDESERIALIZABLE: SerializationException");
        List<PostgresSinkStore.Refused> letters = new ArrayList<>();

        assertThatThrownBy(() -> store.write(batch, noneStored(batch), refused -> {
            throw new IllegalStateException("the dead-letter topic is down");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM registration_event")).isZero();

        store.write(batch, noneStored(batch), letters::addAll);
        assertThat(letters).extracting(r -> r.record().offset()).containsExactly(1L);
        assertThat(store.storedOffsets(ACCEPTED)).containsExactlyEntriesOf(Map.of(0, 2L));
    }

    /** What a sink that read the positions of a batch's partitions and found none believes. */
    static Map<TopicPartition, Long> noneStored(SinkBatch batch) {
        Map<TopicPartition, Long> expected = new HashMap<>();
        batch.nextOffsets().keySet().forEach(partition -> expected.put(partition, null));
        return expected;
    }

    static final PostgresSinkStore.DeadLetters NO_LETTERS = refused -> {
        throw new AssertionError("nothing to dead-letter: " + refused);
    };

    @Test
    void a_record_refused_for_its_data_is_isolated_and_dead_lettered_while_the_rest_of_the_batch_commits() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        RegistrationEvent valid = event(2, "p2", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z", returned());
        RegistrationEvent rawId = new RegistrationEvent(valid.getEventId(), "14010519800101123X", 1,
                valid.getTownshipCode(), valid.getTerminalId(), valid.getOccurredOn(), valid.getRecordedAt(),
                valid.getPayload());
        SinkBatch batch = batch(List.of(
                totals(TAIYUAN_WUCHENG, "ALL", "1970-01-01", 1, 0, 0),
                totals("149999", "ALL", "1970-01-01", 1, 0, 1),
                totals("140000", "ALL", "1970-01-01", -1, 0, 2),
                totals("140000", "YEAR", "2021-01-01", 1, 0, 3)), List.of(
                row(event(1, "p1", TAIYUAN_WUCHENG, "2021-02-01", "2021-02-01T01:00:00Z", returned()), 10),
                row(rawId, 11),
                row(event(3, "p3", "140105", "2021-02-01", "2021-02-01T01:00:00Z", returned()), 12),
                row(event(4, "p4", "1401050019", "2021-02-01", "2021-02-01T01:00:00Z", returned()), 13)));

        SQLException batchError = null;
        try {
            store.write(batch, noneStored(batch), NO_LETTERS);
        } catch (SQLException e) {
            batchError = e;
        }
        assertThat((Throwable) batchError).isNotNull();
        assertThat(SqlErrors.isPermanentDataError(batchError)).isTrue();
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM sink_offset")).isZero();

        List<PostgresSinkStore.Refused> letters = new ArrayList<>();
        List<PostgresSinkStore.Refused> refused = store.writeIsolating(batch, noneStored(batch), letters::addAll);

        assertThat((Object) refused).isEqualTo(letters);
        assertThat(refused).extracting(r -> r.record().topic() + "@" + r.record().offset() + " " + r.sqlState())
                .containsExactly(TOTALS + "@1 23503", TOTALS + "@2 23514", ACCEPTED + "@11 23514", ACCEPTED + "@13 22001");
        assertThat(refused).extracting(PostgresSinkStore.Refused::reason).noneMatch(r -> r.contains("14010519800101123"));
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM region_totals")).isEqualTo(2);
        // event 3 names a county, not a township: the database cannot tell (the streams app rejects it), so it is kept
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM registration_event")).isEqualTo(2);
        assertThat(store.storedOffsets(TOTALS)).containsExactlyEntriesOf(Map.of(0, 4L));
        assertThat(store.storedOffsets(ACCEPTED)).containsExactlyEntriesOf(Map.of(0, 14L));
    }

    @Test
    void when_dead_lettering_fails_nothing_of_the_batch_commits() throws Exception {
        String db = postgres.createMigrated();
        PostgresSinkStore store = new PostgresSinkStore(postgres.as("homecoming_sink", db), StatementForm.UNNEST);
        SinkBatch batch = batch(List.of(totals(TAIYUAN_WUCHENG, "ALL", "1970-01-01", 1, 0, 0),
                totals("149999", "ALL", "1970-01-01", 1, 0, 1)), List.of());
        assertThatThrownBy(() -> store.writeIsolating(batch, noneStored(batch), refused -> {
            throw new org.apache.kafka.common.KafkaException("broker down");
        })).hasMessage("broker down");
        assertThat(queryLong(postgres.as("postgres", db), "SELECT count(*) FROM region_totals")).isZero();
        assertThat(store.storedOffsets(TOTALS)).isEmpty();
    }

    @Test
    void connection_and_server_errors_are_retried_and_only_data_errors_are_final() throws Exception {
        String db = postgres.createMigrated();
        DataSource owner = postgres.as("postgres", db);
        SQLException refused = catchSql(() -> owner.getConnection().close(), "jdbc:postgresql://localhost:1/x");
        assertThat(refused.getSQLState()).startsWith("08");
        assertThat(SqlErrors.isPermanentDataError(refused)).isFalse();
        SQLException tooLong = catchSql(() -> execute(owner, "INSERT INTO region_totals (region_code) VALUES ('1234567890')"),
                null);
        assertThat(tooLong.getSQLState()).isEqualTo("22001");
        assertThat(SqlErrors.isPermanentDataError(tooLong)).isTrue();
        SQLException missingTable = catchSql(() -> execute(owner, "SELECT * FROM no_such_table"), null);
        assertThat(SqlErrors.isPermanentDataError(missingTable)).isFalse();
        SQLException cancelled = catchSql(() -> execute(owner, "SET statement_timeout = 10", "SELECT pg_sleep(1)"), null);
        assertThat(cancelled.getSQLState()).isEqualTo("57014");
        assertThat(SqlErrors.isPermanentDataError(cancelled)).isFalse();
    }

    private static SQLException catchSql(SqlAction action, String badUrl) {
        try {
            if (badUrl != null) {
                java.sql.DriverManager.getConnection(badUrl, "postgres", "").close();
            } else {
                action.run();
            }
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("no SQLException");
    }

    /** A JDBC action expected to fail. */
    @FunctionalInterface
    interface SqlAction {
        void run() throws SQLException;
    }
}
