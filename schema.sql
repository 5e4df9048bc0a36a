-- hirewire: the whole current schema. Idempotent: `hirewire migrate` runs it on every start-up and
-- running it twice changes nothing. Upgrades from earlier versions live in aggregator/migrations/.
--
-- Internal tables may change between versions. Other services read only the versioned views at
-- the end of this file (jobs_v1, postings_v1, companies_v1) and LISTEN on channel 'hirewire_jobs' (new
-- jobs), 'hirewire_jobs_closed' and 'hirewire_jobs_reopened'.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per source: the state that drives scheduling and the operator's view of its health.
CREATE TABLE IF NOT EXISTS sources (
    name                  text PRIMARY KEY,
    enabled               boolean NOT NULL DEFAULT true,
    last_run_at           timestamptz,
    last_success_at       timestamptz,
    last_error_at         timestamptz,
    last_error            text,
    consecutive_failures  integer NOT NULL DEFAULT 0,
    next_run_at           timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    -- The arq job id of the fetch a claim waits for, until it records an outcome (workers/scheduler.py).
    fetch_job             text
);

-- Every fetch attempt of every source: what was asked, what came back, how it ended.
CREATE TABLE IF NOT EXISTS fetch_runs (
    id              bigserial PRIMARY KEY,
    source          text NOT NULL,
    url             text NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    duration_ms     integer,
    status          text NOT NULL CHECK (status IN ('ok', 'not_modified', 'error')),
    http_status     integer,
    bytes           bigint NOT NULL DEFAULT 0,
    attempts        integer NOT NULL DEFAULT 1,
    listings        integer NOT NULL DEFAULT 0,
    warnings        integer NOT NULL DEFAULT 0,
    error_class     text,
    error_message   text
);
CREATE INDEX IF NOT EXISTS fetch_runs_source_started ON fetch_runs (source, started_at DESC);

-- Conditional GET validators per endpoint.
CREATE TABLE IF NOT EXISTS http_cache (
    url            text PRIMARY KEY,
    etag           text,
    last_modified  text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Canonical jobs: one per real-world opening, whatever the number of boards it is posted on.
-- The columns hold the normalised listing of the job's first posting.
CREATE TABLE IF NOT EXISTS jobs (
    id                 bigserial PRIMARY KEY,
    fingerprint        text NOT NULL,
    company_key        text NOT NULL DEFAULT '',
    title              text NOT NULL,
    company            text,
    url                text,
    apply_url          text,
    location_raw       text,
    locations          jsonb NOT NULL DEFAULT '[]',
    countries          text[] NOT NULL DEFAULT '{}',
    remote_regions     text[] NOT NULL DEFAULT '{}',
    remote             text CHECK (remote IN ('remote', 'hybrid', 'onsite')),
    employment_type    text,
    seniority          text,
    salary_min         double precision,
    salary_max         double precision,
    salary_currency    text,
    salary_period      text,
    salary_annual_min  double precision,
    salary_annual_max  double precision,
    -- Yearly pay converted to USD with the currency table (approximate), for alert comparisons.
    salary_usd_min     double precision,
    salary_usd_max     double precision,
    skills             text[] NOT NULL DEFAULT '{}',
    description_text   text,
    description_html   text,
    posted_at          timestamptz,
    python_backend     boolean NOT NULL DEFAULT false,
    source             text NOT NULL,
    search             tsvector,
    first_seen         timestamptz NOT NULL DEFAULT now(),
    last_seen          timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz,
    -- Set in the transaction that writes the job's deliveries; NULL means "not matched yet".
    matched_at         timestamptz,
    -- The near-duplicate decision's view of this job (aggregator.dedup.Candidate, msgpack), kept so
    -- it isn't recomputed for every new posting of the same company; NULL: compute when needed.
    dedup_candidate    bytea,
    -- The comparable title (aggregator.dedup.title_key): the near-duplicate prefilter compares these
    -- before reading any candidate. NULL (jobs stored before it existed): computed when read.
    title_key          text,
    -- When a column of jobs_v1 other than last_seen and closed_at last changed: the job was stored,
    -- or the posting it was built from was re-read with other content. Readers poll it.
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_fingerprint ON jobs (fingerprint);
-- By company: the near-duplicate prefilter's open jobs (`closed_at IS NULL` is an index condition),
-- and a reader's lookup of one company in companies_v1.
CREATE INDEX IF NOT EXISTS jobs_company_key ON jobs (company_key, closed_at);
CREATE INDEX IF NOT EXISTS jobs_search ON jobs USING gin (search);
CREATE INDEX IF NOT EXISTS jobs_unmatched ON jobs (id) WHERE matched_at IS NULL;
CREATE INDEX IF NOT EXISTS jobs_first_seen ON jobs (first_seen DESC, id DESC);
-- What readers of jobs_v1 filter on: posted since a date, a country, a skill (`@>` / `&&` on arrays).
CREATE INDEX IF NOT EXISTS jobs_posted_at ON jobs (posted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_countries ON jobs USING gin (countries);
CREATE INDEX IF NOT EXISTS jobs_skills ON jobs USING gin (skills);
-- Readers ask which jobs changed since their last poll.
CREATE INDEX IF NOT EXISTS jobs_updated_at ON jobs (updated_at);

-- Postings: one per (source, external id); several postings can point at one job.
CREATE TABLE IF NOT EXISTS postings (
    id            bigserial PRIMARY KEY,
    source        text NOT NULL,
    external_id   text NOT NULL,
    -- The part of the source whose snapshot this posting belongs to (ATS board, feed URL, or '').
    scope         text NOT NULL DEFAULT '',
    job_id        bigint NOT NULL REFERENCES jobs (id),
    content_hash  text NOT NULL,
    listing       jsonb NOT NULL,
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    closed_at     timestamptz,
    UNIQUE (source, external_id)
);
CREATE INDEX IF NOT EXISTS postings_job ON postings (job_id);
CREATE INDEX IF NOT EXISTS postings_source_open ON postings (source, scope) WHERE closed_at IS NULL;
-- Readers of postings_v1 ask what changed since their last poll.
CREATE INDEX IF NOT EXISTS postings_updated_at ON postings (updated_at);

-- The raw item of every posting, compressed, for re-parsing after a parser fix.
CREATE TABLE IF NOT EXISTS raw_items (
    posting_id  bigint PRIMARY KEY REFERENCES postings (id) ON DELETE CASCADE,
    fetched_at  timestamptz NOT NULL DEFAULT now(),
    payload     bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS raw_items_fetched ON raw_items (fetched_at);

CREATE TABLE IF NOT EXISTS subscribers (
    id            bigserial PRIMARY KEY,
    email         text,
    confirmed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    unsubscribed_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS subscribers_email ON subscribers (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE IF NOT EXISTS alerts (
    id                bigserial PRIMARY KEY,
    subscriber_id     bigint REFERENCES subscribers (id) ON DELETE CASCADE,
    email             text,
    webhook_url       text,
    webhook_secret    text,
    query             text NOT NULL DEFAULT '',
    -- The query as PostgreSQL reads it (websearch syntax, 'english' config), fixed when saved.
    query_ts          tsquery,
    -- Match index (see aggregator/match.py): lexemes of which a matching job has one (NULL: any), and
    -- anchor keys of which a matching job carries one. NULL keys: not indexed yet, always a candidate.
    terms             text[],
    keys              text[],
    filters           jsonb NOT NULL DEFAULT '{}',
    remote            text[] NOT NULL DEFAULT '{}',
    countries         text[] NOT NULL DEFAULT '{}',
    -- Broad areas containing those countries ("Europe", "EMEA", …), derived when the alert is saved.
    regions           text[] NOT NULL DEFAULT '{}',
    seniority         text[] NOT NULL DEFAULT '{}',
    employment_types  text[] NOT NULL DEFAULT '{}',
    sources           text[] NOT NULL DEFAULT '{}',
    skills_any        text[] NOT NULL DEFAULT '{}',
    skills_all        text[] NOT NULL DEFAULT '{}',
    exclude_companies text[] NOT NULL DEFAULT '{}',
    -- Minimum yearly pay converted to USD with the currency table, for comparison with jobs.
    min_salary_usd    double precision,
    include_unknown_salary boolean NOT NULL DEFAULT true,
    max_age_days      integer,
    frequency         text NOT NULL DEFAULT 'instant' CHECK (frequency IN ('instant', 'daily', 'weekly')),
    send_hour         integer NOT NULL DEFAULT 8 CHECK (send_hour BETWEEN 0 AND 23),
    timezone          text NOT NULL DEFAULT 'UTC',
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'paused', 'disabled')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_digest_at    timestamptz,
    CHECK ((email IS NULL) <> (webhook_url IS NULL))
);
CREATE INDEX IF NOT EXISTS alerts_active ON alerts (id) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS alerts_keys ON alerts USING gin (keys) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS alerts_unindexed ON alerts (id) WHERE keys IS NULL;
CREATE INDEX IF NOT EXISTS alerts_subscriber ON alerts (subscriber_id);

-- Every lexeme some alert's anchor keys use: a new job's words are looked up only among these.
CREATE TABLE IF NOT EXISTS alert_terms (
    term  text PRIMARY KEY
);

-- Which share of recent jobs carries each match token (aggregator.match.measure_token_shares): how
-- alerts' anchor keys are chosen. Tokens rarer than 1% are left out.
CREATE TABLE IF NOT EXISTS match_token_shares (
    token        text PRIMARY KEY,
    share        double precision NOT NULL,
    measured_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per (alert, job): the notification's fate.
-- alert_id and job_id carry no foreign keys: checking two keys per row was a third of the cost of
-- writing a large batch of matches. The triggers below keep the same guarantees (an alert's deliveries
-- go with it; a job with deliveries cannot be deleted), and matching holds the deliveries lock shared
-- so that no delivery is written for an alert whose deletion is under way (see aggregator/match.py).
CREATE TABLE IF NOT EXISTS deliveries (
    id               bigserial PRIMARY KEY,
    alert_id         bigint NOT NULL,
    job_id           bigint NOT NULL,
    -- Who receives it (email address or webhook URL, lower-cased); a job goes to a destination once.
    destination      text NOT NULL,
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dead', 'skipped')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    -- The message this delivery goes out in: 'd<id>' alone (instant) or '<alert>:<slot>' (a digest);
    -- it makes the Message-ID / webhook-id, so every retry of that message carries the same one.
    batch_key        text,
    -- HTTP status or SMTP reply code of the last attempt, for the operator.
    last_status      integer,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (alert_id, job_id)
);
-- Job first: a batch of new jobs appends at the right edge of the index.
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_job_destination ON deliveries (job_id, destination);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE state IN ('pending', 'failed');
-- A 'sending' row whose lease (next_attempt_at) ran out belongs to a worker that died mid-send.
CREATE INDEX IF NOT EXISTS deliveries_stale ON deliveries (next_attempt_at) WHERE state = 'sending';
CREATE INDEX IF NOT EXISTS deliveries_batch ON deliveries (alert_id, batch_key) WHERE batch_key IS NOT NULL;

-- The read contract for other services ----------------------------------------------------------

CREATE OR REPLACE VIEW jobs_v1 AS
SELECT id, title, company, url, apply_url, location_raw, locations, countries, remote, employment_type,
       seniority, salary_min, salary_max, salary_currency, salary_period, salary_annual_min,
       salary_annual_max, skills, description_text, description_html, posted_at, python_backend,
       fingerprint, first_seen, last_seen, closed_at, remote_regions, company_key,
       salary_usd_min AS salary_annual_usd_min, salary_usd_max AS salary_annual_usd_max, updated_at
FROM jobs;

-- `listing` is the posting's whole normalised listing, as `hirewire parse` prints it (with its tags
-- and time-zone window, which jobs do not carry). Columns are only ever added at the end of a view.
CREATE OR REPLACE VIEW postings_v1 AS
SELECT id, job_id, source, external_id, listing ->> 'url' AS url, first_seen, last_seen, closed_at, listing,
       updated_at
FROM postings;

CREATE OR REPLACE VIEW companies_v1 AS
SELECT company_key, min(company) AS company, count(*) AS jobs,
       count(*) FILTER (WHERE closed_at IS NULL) AS open_jobs, max(last_seen) AS last_seen
FROM jobs WHERE company_key <> '' GROUP BY company_key;

-- Announces new job ids after commit: LISTEN hirewire_jobs.
CREATE OR REPLACE FUNCTION hirewire_notify_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hirewire_jobs', NEW.id::text);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER jobs_notify AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION hirewire_notify_job();

-- Announces closures and reopenings after commit: LISTEN hirewire_jobs_closed, hirewire_jobs_reopened.
CREATE OR REPLACE FUNCTION hirewire_notify_job_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(CASE WHEN NEW.closed_at IS NULL THEN 'hirewire_jobs_reopened' ELSE 'hirewire_jobs_closed' END,
                      NEW.id::text);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER jobs_notify_status AFTER UPDATE OF closed_at ON jobs FOR EACH ROW
    WHEN ((OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL)) EXECUTE FUNCTION hirewire_notify_job_status();

-- A fresh database gets everything above; `hirewire migrate` also records every shipped upgrade
-- (aggregator/migrations/) as applied, since this file already contains them.
INSERT INTO schema_migrations (version) VALUES (1) ON CONFLICT DO NOTHING;

-- What the foreign keys of deliveries did, once per statement rather than once per row. The
-- exclusive lock waits for matching in progress (which holds it shared: aggregator.match), so a
-- delivery written concurrently is seen, and deleted, here.
CREATE OR REPLACE FUNCTION hirewire_alerts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1684829810);
    DELETE FROM deliveries d USING gone g WHERE d.alert_id = g.id;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER alerts_deleted AFTER DELETE ON alerts REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION hirewire_alerts_deleted();

CREATE OR REPLACE FUNCTION hirewire_jobs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1684829810);
    IF EXISTS (SELECT 1 FROM deliveries d JOIN gone g ON d.job_id = g.id) THEN
        RAISE EXCEPTION 'jobs with deliveries cannot be deleted' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER jobs_deleted AFTER DELETE ON jobs REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION hirewire_jobs_deleted();
