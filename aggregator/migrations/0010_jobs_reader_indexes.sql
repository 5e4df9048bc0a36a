-- Indexes for what readers of jobs_v1 filter on: jobs posted since a date (newest first), jobs in a
-- country, jobs with a skill. Without them each of those read every job.
CREATE INDEX IF NOT EXISTS jobs_posted_at ON jobs (posted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_countries ON jobs USING gin (countries);
CREATE INDEX IF NOT EXISTS jobs_skills ON jobs USING gin (skills);
