-- The comparable title of each job (aggregator.dedup.title_key), read by the near-duplicate
-- prefilter without building candidates; NULL for jobs stored before: computed when read.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS title_key text;
