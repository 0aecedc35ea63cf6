package org.homecoming.sink;

/**
 * Every statement the sink runs, by name. The tables they touch are created by the Flyway migrations in
 * {@code db/migration}; {@code SinkSqlIT} runs each against a migrated database.
 */
public final class SinkSql {

    /**
     * Writes one bucket's absolute totals. A value read from an older offset of the same partition never
     * replaces a newer one, so a replay after a crash can only move a row forward.
     */
    public static final String UPSERT_TOTALS = """
            INSERT INTO region_totals (region_code, period_kind, period_start, returnees, employed_near_home,
                                       businesses_started, guaranteed_loans_fen, jobs_created, trained,
                                       source_topic, source_partition, source_offset, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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

    private SinkSql() {
    }
}
