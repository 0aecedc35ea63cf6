-- Totals per bucket, as last written to the compacted totals topic, and where each value came from.
CREATE TABLE region_totals (
    region_code          varchar(9)  NOT NULL,
    period_kind          text        NOT NULL CHECK (period_kind IN ('ALL', 'YEAR', 'MONTH', 'DAY')),
    period_start         date        NOT NULL,
    returnees            bigint      NOT NULL DEFAULT 0,
    employed_near_home   bigint      NOT NULL DEFAULT 0,
    businesses_started   bigint      NOT NULL DEFAULT 0,
    guaranteed_loans_fen bigint      NOT NULL DEFAULT 0,
    jobs_created         bigint      NOT NULL DEFAULT 0,
    trained              bigint      NOT NULL DEFAULT 0,
    source_topic         text        NOT NULL,
    source_partition     integer     NOT NULL,
    source_offset        bigint      NOT NULL,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (region_code, period_kind, period_start)
);

COMMENT ON TABLE region_totals IS
    'Exact totals per region and period, one row per bucket of the compacted totals topic.';

-- The next offset to read per partition, committed in the same transaction as the rows it covers.
CREATE TABLE sink_offset (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

COMMENT ON TABLE sink_offset IS
    'Kafka position of the sink: every row up to next_offset - 1 of each partition is in this database.';
