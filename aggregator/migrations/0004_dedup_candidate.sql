-- Cached near-duplicate candidates of jobs (see schema.sql, jobs.dedup_candidate).
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS dedup_candidate bytea;
