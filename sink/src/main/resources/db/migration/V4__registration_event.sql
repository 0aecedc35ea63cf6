-- The ledger of accepted events (topic homecoming.registrations.accepted), one row per event, retractions
-- included. Pseudonymous: person_ref is an HMAC of the national ID, never the ID itself.
CREATE TABLE registration_event (
    event_id               uuid        PRIMARY KEY,
    person_ref             text        NOT NULL CHECK (person_ref ~ '^[0-9a-f]{64}$'),
    person_ref_key_version integer     NOT NULL,
    event_type             text        NOT NULL CHECK (event_type IN ('ReturneeRegistered', 'EmploymentNearHomeRecorded',
                                                       'BusinessStarted', 'TrainingCompleted', 'RegistrationRetracted')),
    township_code          varchar(9)  NOT NULL REFERENCES region (code),
    terminal_id            text        NOT NULL,
    occurred_on            date        NOT NULL,
    recorded_at            timestamptz NOT NULL,
    previous_work_province varchar(2),
    return_reason          text,
    employment_type        text,
    work_distance          text,
    business_type          text,
    registered_capital_fen bigint      CHECK (registered_capital_fen >= 0),
    guaranteed_loan_fen    bigint      CHECK (guaranteed_loan_fen >= 0),
    jobs_created           integer     CHECK (jobs_created >= 0),
    training_programme     text,
    training_hours         integer     CHECK (training_hours >= 0),
    target_event_id        uuid,
    retraction_reason      text,
    retracted              boolean     NOT NULL DEFAULT false,
    retracted_by           uuid,
    source_topic           text        NOT NULL,
    source_partition       integer     NOT NULL,
    source_offset          bigint      NOT NULL,
    ingested_at            timestamptz NOT NULL DEFAULT now(),
    CHECK ((event_type = 'ReturneeRegistered') = (return_reason IS NOT NULL)),
    CHECK ((event_type = 'EmploymentNearHomeRecorded') = (employment_type IS NOT NULL AND work_distance IS NOT NULL)),
    CHECK ((event_type = 'BusinessStarted') = (business_type IS NOT NULL AND registered_capital_fen IS NOT NULL
                                               AND guaranteed_loan_fen IS NOT NULL AND jobs_created IS NOT NULL)),
    CHECK ((event_type = 'TrainingCompleted') = (training_programme IS NOT NULL AND training_hours IS NOT NULL)),
    CHECK ((event_type = 'RegistrationRetracted') = (target_event_id IS NOT NULL AND retraction_reason IS NOT NULL)),
    CHECK (retracted = (retracted_by IS NOT NULL))
);

CREATE INDEX registration_event_person_idx ON registration_event (person_ref, occurred_on, recorded_at, event_id);
CREATE INDEX registration_event_target_idx ON registration_event (target_event_id) WHERE target_event_id IS NOT NULL;
CREATE INDEX registration_event_township_idx ON registration_event (township_code, occurred_on);

COMMENT ON TABLE registration_event IS
    'Accepted events, one row each (retractions included), copied exactly once from the accepted-events topic. '
    'reconcile recomputes region_totals from this table by the counting rules.';
COMMENT ON COLUMN registration_event.event_id IS 'UUID made by the terminal; the idempotency key.';
COMMENT ON COLUMN registration_event.person_ref IS
    'Pseudonymous person: lower-case hex HMAC-SHA256 of the national ID. The ID itself is never stored.';
COMMENT ON COLUMN registration_event.person_ref_key_version IS 'Version of the HMAC key that made person_ref.';
COMMENT ON COLUMN registration_event.event_type IS
    'ReturneeRegistered, EmploymentNearHomeRecorded, BusinessStarted, TrainingCompleted or RegistrationRetracted.';
COMMENT ON COLUMN registration_event.township_code IS '9-digit code of the township where the event was recorded.';
COMMENT ON COLUMN registration_event.occurred_on IS 'Business date (Asia/Shanghai): decides the day, month and year buckets.';
COMMENT ON COLUMN registration_event.recorded_at IS 'When the terminal recorded the event; orders events of one day.';
COMMENT ON COLUMN registration_event.registered_capital_fen IS 'BusinessStarted: registered capital in fen (1 yuan = 100 fen).';
COMMENT ON COLUMN registration_event.guaranteed_loan_fen IS 'BusinessStarted: guaranteed start-up loan in fen.';
COMMENT ON COLUMN registration_event.jobs_created IS 'BusinessStarted: jobs created besides the founder''s own.';
COMMENT ON COLUMN registration_event.training_hours IS 'TrainingCompleted: hours attended.';
COMMENT ON COLUMN registration_event.target_event_id IS 'RegistrationRetracted: the event it takes back.';
COMMENT ON COLUMN registration_event.retracted IS 'True once a RegistrationRetracted took this event back; it then counts nowhere.';
COMMENT ON COLUMN registration_event.retracted_by IS 'event_id of the retraction that took this event back.';
COMMENT ON COLUMN registration_event.source_offset IS 'Offset of the record in source_topic/source_partition.';

-- Totals name real regions and are never negative; a record breaking this goes to the sink dead-letter topic.
ALTER TABLE region_totals
    ADD CONSTRAINT region_totals_region_fk FOREIGN KEY (region_code) REFERENCES region (code),
    ADD CONSTRAINT region_totals_not_negative CHECK (returnees >= 0 AND employed_near_home >= 0
        AND businesses_started >= 0 AND guaranteed_loans_fen >= 0 AND jobs_created >= 0 AND trained >= 0);

COMMENT ON COLUMN region_totals.period_start IS 'First day of the period: 1970-01-01 for ALL, 1 January, the 1st, or the day.';
COMMENT ON COLUMN region_totals.source_offset IS 'Offset of the totals record this row holds (topic source_topic, partition source_partition).';
COMMENT ON COLUMN region_totals.updated_at IS 'When the streams application last changed the bucket.';
