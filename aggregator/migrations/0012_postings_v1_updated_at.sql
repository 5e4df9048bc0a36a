-- postings_v1 gains updated_at (appended): when the posting's listing last changed (its first
-- storing, or a re-read with different content). Readers had no way to find what changed since
-- their last poll but to compare every listing; the index serves `updated_at > $1`.
CREATE INDEX IF NOT EXISTS postings_updated_at ON postings (updated_at);
CREATE OR REPLACE VIEW postings_v1 AS
SELECT id, job_id, source, external_id, listing ->> 'url' AS url, first_seen, last_seen, closed_at, listing,
       updated_at
FROM postings;
