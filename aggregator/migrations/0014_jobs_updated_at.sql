-- jobs_v1 gains updated_at (appended): when the job's content last changed (stored, or its first
-- posting re-read with other content). Readers had to join postings_v1 to find changed jobs. Jobs
-- stored before this version read as changed at the upgrade, so a poller re-reads them once and
-- misses nothing.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS jobs_updated_at ON jobs (updated_at);
-- One index by company serves the near-duplicate prefilter (open jobs) and a reader's lookup of one
-- company in companies_v1, which scanned every job.
CREATE INDEX IF NOT EXISTS jobs_company_key ON jobs (company_key, closed_at);
DROP INDEX IF EXISTS jobs_company_key_open;
CREATE OR REPLACE VIEW jobs_v1 AS
SELECT id, title, company, url, apply_url, location_raw, locations, countries, remote, employment_type,
       seniority, salary_min, salary_max, salary_currency, salary_period, salary_annual_min,
       salary_annual_max, skills, description_text, description_html, posted_at, python_backend,
       fingerprint, first_seen, last_seen, closed_at, remote_regions, company_key,
       salary_usd_min AS salary_annual_usd_min, salary_usd_max AS salary_annual_usd_max, updated_at
FROM jobs;
