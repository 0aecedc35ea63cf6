-- Least privilege (issue 15). Every right below is one a statement of the sink (SinkSql) or a BI query needs;
-- the owner (homecoming_owner, which owns the database and runs these migrations) is the only role that can
-- change the schema.

DO $$
BEGIN
    -- No connection and no temporary table for a role that was not given one: PUBLIC's defaults go.
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO homecoming_sink, homecoming_bi', current_database());
    -- The sink bulk-loads through its session's temporary staging tables (SinkSql.CREATE_*_STAGING).
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO homecoming_sink', current_database());
END
$$;

REVOKE ALL ON region_totals, registration_event, sink_offset, region, region_lineage FROM homecoming_sink;

-- Totals: the upsert inserts whole rows and updates every column but the bucket's key (SinkSql.TOTALS_ON_CONFLICT).
GRANT SELECT, INSERT ON region_totals TO homecoming_sink;
GRANT UPDATE (returnees, employed_near_home, businesses_started, guaranteed_loans_fen, jobs_created, trained,
              source_topic, source_partition, source_offset, updated_at) ON region_totals TO homecoming_sink;

-- The ledger: an event is inserted once with the columns of SinkSql.EVENT_COLUMNS (retracted, retracted_by and
-- ingested_at take their defaults), and the only change ever made to it is a retraction marking its target.
GRANT SELECT ON registration_event TO homecoming_sink;
GRANT INSERT (event_id, person_ref, person_ref_key_version, event_type, township_code, terminal_id, occurred_on,
              recorded_at, previous_work_province, return_reason, employment_type, work_distance, business_type,
              registered_capital_fen, guaranteed_loan_fen, jobs_created, training_programme, training_hours,
              target_event_id, retraction_reason, source_topic, source_partition, source_offset)
    ON registration_event TO homecoming_sink;
GRANT UPDATE (retracted, retracted_by) ON registration_event TO homecoming_sink;

-- Positions: read (FOR UPDATE, which needs an UPDATE right), inserted, moved forward.
GRANT SELECT, INSERT ON sink_offset TO homecoming_sink;
GRANT UPDATE (next_offset, updated_at) ON sink_offset TO homecoming_sink;

-- reconcile and the audit, run as the sink, recompute the totals through the hierarchy.
GRANT SELECT ON region, region_lineage TO homecoming_sink;

-- No table has a sequence (keys are UUIDs and Kafka positions), so no USAGE on one is granted.
