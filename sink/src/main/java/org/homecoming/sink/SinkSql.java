package org.homecoming.sink;

/**
 * Every statement the sink runs, by name. The tables they touch are created by the Flyway migrations in
 * {@code db/migration}; {@code SinkSqlIT} runs each against a migrated database.
 */
public final class SinkSql {

    /** Columns of {@code region_totals} in the order every totals statement binds them. */
    static final String TOTALS_COLUMNS = """
            region_code, period_kind, period_start, returnees, employed_near_home, businesses_started,
            guaranteed_loans_fen, jobs_created, trained, source_topic, source_partition, source_offset, updated_at""";

    /** What {@link #UPSERT_TOTALS} and its multi-row and unnest forms do when the bucket exists. */
    static final String TOTALS_ON_CONFLICT = """
            ON CONFLICT (region_code, period_kind, period_start) DO UPDATE SET
                returnees = EXCLUDED.returnees,
                employed_near_home = EXCLUDED.employed_near_home,
                businesses_started = EXCLUDED.businesses_started,
                guaranteed_loans_fen = EXCLUDED.guaranteed_loans_fen,
                jobs_created = EXCLUDED.jobs_created,
                trained = EXCLUDED.trained,
                source_topic = EXCLUDED.source_topic,
                source_partition = EXCLUDED.source_partition,
                source_offset = EXCLUDED.source_offset,
                updated_at = EXCLUDED.updated_at
            WHERE region_totals.source_partition <> EXCLUDED.source_partition
               OR region_totals.source_offset < EXCLUDED.source_offset
            """;

    /**
     * {@link #UPSERT_TOTALS} for a whole batch in one statement: thirteen arrays (text for dates and instants,
     * cast on the server) unnested into rows.
     */
    public static final String UPSERT_TOTALS_UNNEST = "INSERT INTO region_totals (" + TOTALS_COLUMNS + """
            )
            SELECT * FROM unnest(?::varchar[], ?::text[], ?::text[]::date[], ?::bigint[], ?::bigint[], ?::bigint[],
                                 ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::integer[], ?::bigint[],
                                 ?::text[]::timestamptz[])
            """ + TOTALS_ON_CONFLICT;

    /**
     * The session's staging table for {@link #COPY_TOTALS_STAGING}: the columns of {@link #TOTALS_COLUMNS} with the
     * types of {@code region_totals}, emptied at every commit. {@code IF NOT EXISTS} makes it once per session; run
     * in each transaction, because a transaction that created it and rolled back took it away again.
     */
    public static final String CREATE_TOTALS_STAGING = "CREATE TEMP TABLE IF NOT EXISTS region_totals_staging"
            + " ON COMMIT DELETE ROWS AS SELECT " + TOTALS_COLUMNS + " FROM region_totals WITH NO DATA";

    /** Bulk-loads totals rows (COPY text format, {@link #TOTALS_COLUMNS} in order) into the staging table. */
    public static final String COPY_TOTALS_STAGING = "COPY pg_temp.region_totals_staging (" + TOTALS_COLUMNS
            + ") FROM STDIN";

    /** {@link #UPSERT_TOTALS} for every row of the staging table, in one statement. */
    public static final String UPSERT_TOTALS_FROM_STAGING = "INSERT INTO region_totals (" + TOTALS_COLUMNS + ")\n"
            + "SELECT " + TOTALS_COLUMNS + """

            FROM pg_temp.region_totals_staging
            """ + TOTALS_ON_CONFLICT;

    /** Columns of {@code registration_event} the sink writes, in binding order. */
    static final String EVENT_COLUMNS = """
            event_id, person_ref, person_ref_key_version, event_type, township_code, terminal_id, occurred_on,
            recorded_at, previous_work_province, return_reason, employment_type, work_distance, business_type,
            registered_capital_fen, guaranteed_loan_fen, jobs_created, training_programme, training_hours,
            target_event_id, retraction_reason, source_topic, source_partition, source_offset""";

    /**
     * Adds an accepted event to the ledger. An event is immutable and the first accepted version wins (counting
     * rules, "Duplicates"), so an existing row is left as it is: the one upsert here that does nothing on conflict.
     */
    public static final String INSERT_EVENT = "INSERT INTO registration_event (" + EVENT_COLUMNS + """
            )
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING
            """;

    /** The ledger events for a whole batch in one statement, as {@link #INSERT_EVENT}. */
    public static final String INSERT_EVENTS_UNNEST = "INSERT INTO registration_event (" + EVENT_COLUMNS + """
            )
            SELECT * FROM unnest(?::text[]::uuid[], ?::text[], ?::integer[], ?::text[], ?::varchar[], ?::text[],
                                 ?::text[]::date[], ?::text[]::timestamptz[], ?::varchar[], ?::text[], ?::text[],
                                 ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::integer[], ?::text[], ?::integer[],
                                 ?::text[]::uuid[], ?::text[], ?::text[], ?::integer[], ?::bigint[])
            ON CONFLICT (event_id) DO NOTHING
            """;

    /**
     * The session's staging table for {@link #COPY_EVENTS_STAGING}: the columns of {@link #EVENT_COLUMNS} with the
     * types of {@code registration_event} (so a value of the wrong type or length fails in the COPY, as a data error),
     * emptied at every commit; as {@link #CREATE_TOTALS_STAGING}.
     */
    public static final String CREATE_EVENTS_STAGING = "CREATE TEMP TABLE IF NOT EXISTS registration_event_staging"
            + " ON COMMIT DELETE ROWS AS SELECT " + EVENT_COLUMNS + " FROM registration_event WITH NO DATA";

    /** Bulk-loads ledger rows (COPY text format, {@link #EVENT_COLUMNS} in order) into the staging table. */
    public static final String COPY_EVENTS_STAGING = "COPY pg_temp.registration_event_staging (" + EVENT_COLUMNS
            + ") FROM STDIN";

    /**
     * {@link #INSERT_EVENT} for every row of the staging table, in one statement: COPY itself cannot skip an event
     * already in the ledger, this does.
     */
    public static final String INSERT_EVENTS_FROM_STAGING = "INSERT INTO registration_event (" + EVENT_COLUMNS + ")\n"
            + "SELECT " + EVENT_COLUMNS + """

            FROM pg_temp.registration_event_staging
            ON CONFLICT (event_id) DO NOTHING
            """;

    /** Marks the targets of the given retractions (an array of their event ids) as retracted by them. */
    public static final String APPLY_RETRACTIONS = """
            UPDATE registration_event target
            SET retracted = true, retracted_by = retraction.event_id
            FROM registration_event retraction
            WHERE retraction.event_id = ANY (?::text[]::uuid[])
              AND retraction.event_type = 'RegistrationRetracted'
              AND target.event_id = retraction.target_event_id
              AND NOT target.retracted
            """;

    /**
     * The totals recomputed from the ledger by docs/counting-rules.md: per person the latest active
     * {@code ReturneeRegistered} and the earliest active employment, business start and training, ordered by
     * (occurred_on, recorded_at, event_id); loans and jobs summed over every active {@code BusinessStarted};
     * each contribution counted in its township, county (or functional zone), city and province, for all time
     * (1970-01-01), its year, month and day. "Active": not retracted, and not itself a retraction.
     */
    public static final String EXPECTED_TOTALS = """
            WITH active AS (
                SELECT event_id, person_ref, event_type, township_code, occurred_on, recorded_at,
                       guaranteed_loan_fen, jobs_created
                FROM registration_event
                WHERE NOT retracted AND event_type <> 'RegistrationRetracted'
            ),
            latest_return AS (
                SELECT DISTINCT ON (person_ref) township_code, occurred_on
                FROM active
                WHERE event_type = 'ReturneeRegistered'
                ORDER BY person_ref, occurred_on DESC, recorded_at DESC, event_id DESC
            ),
            earliest AS (
                SELECT DISTINCT ON (person_ref, event_type) event_type, township_code, occurred_on
                FROM active
                WHERE event_type IN ('EmploymentNearHomeRecorded', 'BusinessStarted', 'TrainingCompleted')
                ORDER BY person_ref, event_type, occurred_on, recorded_at, event_id
            ),
            contribution AS (
                SELECT township_code, occurred_on, 1 AS returnees, 0 AS employed, 0 AS businesses,
                       0::bigint AS loans, 0::bigint AS jobs, 0 AS trained
                FROM latest_return
                UNION ALL
                SELECT township_code, occurred_on, 0, (event_type = 'EmploymentNearHomeRecorded')::integer,
                       (event_type = 'BusinessStarted')::integer, 0, 0, (event_type = 'TrainingCompleted')::integer
                FROM earliest
                UNION ALL
                SELECT township_code, occurred_on, 0, 0, 0, guaranteed_loan_fen, jobs_created, 0
                FROM active
                WHERE event_type = 'BusinessStarted'
            )
            SELECT r.region_code, p.period_kind, p.period_start,
                   sum(c.returnees)::bigint AS returnees, sum(c.employed)::bigint AS employed_near_home,
                   sum(c.businesses)::bigint AS businesses_started, sum(c.loans)::bigint AS guaranteed_loans_fen,
                   sum(c.jobs)::bigint AS jobs_created, sum(c.trained)::bigint AS trained
            FROM contribution c
            JOIN region_lineage l ON l.township_code = c.township_code
            CROSS JOIN LATERAL (VALUES (l.township_code), (l.county_code), (l.city_code), (l.province_code))
                AS r (region_code)
            CROSS JOIN LATERAL (VALUES ('ALL', DATE '1970-01-01'),
                                       ('YEAR', date_trunc('year', c.occurred_on)::date),
                                       ('MONTH', date_trunc('month', c.occurred_on)::date),
                                       ('DAY', c.occurred_on)) AS p (period_kind, period_start)
            GROUP BY r.region_code, p.period_kind, p.period_start
            """;

    /**
     * Every bucket whose stored totals differ from {@link #EXPECTED_TOTALS}, a missing side counting as zeros
     * (the totals topic keeps zero rows, the recomputation has none): region, kind, start, then the six metrics
     * expected and the six stored.
     */
    public static final String DRIFT = "WITH expected AS (" + EXPECTED_TOTALS + """
            )
            SELECT coalesce(e.region_code, s.region_code), coalesce(e.period_kind, s.period_kind),
                   coalesce(e.period_start, s.period_start),
                   coalesce(e.returnees, 0), coalesce(e.employed_near_home, 0), coalesce(e.businesses_started, 0),
                   coalesce(e.guaranteed_loans_fen, 0), coalesce(e.jobs_created, 0), coalesce(e.trained, 0),
                   coalesce(s.returnees, 0), coalesce(s.employed_near_home, 0), coalesce(s.businesses_started, 0),
                   coalesce(s.guaranteed_loans_fen, 0), coalesce(s.jobs_created, 0), coalesce(s.trained, 0)
            FROM expected e
            FULL OUTER JOIN region_totals s
              ON s.region_code = e.region_code AND s.period_kind = e.period_kind AND s.period_start = e.period_start
            WHERE coalesce(e.returnees, 0) <> coalesce(s.returnees, 0)
               OR coalesce(e.employed_near_home, 0) <> coalesce(s.employed_near_home, 0)
               OR coalesce(e.businesses_started, 0) <> coalesce(s.businesses_started, 0)
               OR coalesce(e.guaranteed_loans_fen, 0) <> coalesce(s.guaranteed_loans_fen, 0)
               OR coalesce(e.jobs_created, 0) <> coalesce(s.jobs_created, 0)
               OR coalesce(e.trained, 0) <> coalesce(s.trained, 0)
            ORDER BY 1, 2, 3
            """;

    /** How much reconcile looked at: ledger events, recomputed buckets, stored buckets. */
    public static final String RECONCILE_SCOPE = "WITH expected AS (" + EXPECTED_TOTALS + """
            )
            SELECT (SELECT count(*) FROM registration_event), (SELECT count(*) FROM expected),
                   (SELECT count(*) FROM region_totals)
            """;

    /** {@link #UPSERT_TOTALS} for {@code rows} rows in one statement with a VALUES list. */
    public static String upsertTotalsMultiRow(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO region_totals (").append(TOTALS_COLUMNS).append(")\nVALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        return sql.append('\n').append(TOTALS_ON_CONFLICT).toString();
    }

    /**
     * Writes one bucket's absolute totals. A value read from an older offset of the same partition never
     * replaces a newer one, so a replay after a crash can only move a row forward.
     */
    public static final String UPSERT_TOTALS = "INSERT INTO region_totals (" + TOTALS_COLUMNS + """
            )
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """ + TOTALS_ON_CONFLICT;

    /** The stored position of one partition, locked until the transaction ends. */
    public static final String SELECT_OFFSET_FOR_UPDATE = """
            SELECT next_offset FROM sink_offset WHERE topic = ? AND partition = ? FOR UPDATE
            """;

    /** Stored positions of a topic's partitions. */
    public static final String SELECT_OFFSETS = """
            SELECT partition, next_offset FROM sink_offset WHERE topic = ?
            """;

    /** Moves a partition's position forward, in the transaction that wrote its rows. */
    public static final String UPSERT_OFFSET = """
            INSERT INTO sink_offset (topic, partition, next_offset, updated_at)
            VALUES (?, ?, ?, now())
            ON CONFLICT (topic, partition) DO UPDATE SET
                next_offset = EXCLUDED.next_offset,
                updated_at = EXCLUDED.updated_at
            """;

    /** Province total of returnees over all time, as the demo reads it back. */
    public static final String PROVINCE_RETURNEES = """
            SELECT returnees FROM region_totals
            WHERE region_code = ? AND period_kind = 'ALL' AND period_start = DATE '1970-01-01'
            """;

    /** {@link #INSERT_EVENT} for {@code rows} rows in one statement with a VALUES list. */
    public static String insertEventsMultiRow(int rows) {
        String one = "(" + "?, ".repeat(22) + "?)";
        StringBuilder sql = new StringBuilder("INSERT INTO registration_event (").append(EVENT_COLUMNS).append(")\nVALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(one);
        }
        return sql.append("\nON CONFLICT (event_id) DO NOTHING\n").toString();
    }

    private SinkSql() {
    }
}
