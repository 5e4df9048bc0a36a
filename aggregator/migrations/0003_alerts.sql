-- Alerts' match index (aggregator/match.py). Existing alerts get NULL keys, which keeps them matched
-- (as candidates for every job) until `store.alerts.reindex` fills them in.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS query_ts tsquery;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS terms text[];
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS keys text[];
UPDATE alerts SET query_ts = websearch_to_tsquery('english', query) WHERE query <> '' AND query_ts IS NULL;
CREATE INDEX IF NOT EXISTS alerts_keys ON alerts USING gin (keys) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS alerts_unindexed ON alerts (id) WHERE keys IS NULL;
CREATE INDEX IF NOT EXISTS alerts_subscriber ON alerts (subscriber_id);
CREATE TABLE IF NOT EXISTS alert_terms (
    term  text PRIMARY KEY
);
