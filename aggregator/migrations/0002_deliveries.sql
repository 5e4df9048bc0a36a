-- Delivery batches (digests, stable message ids), reply codes and change times; schema.sql has the same.
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS batch_key text;
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS last_status integer;
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS deliveries_stale ON deliveries (next_attempt_at) WHERE state = 'sending';
CREATE INDEX IF NOT EXISTS deliveries_batch ON deliveries (alert_id, batch_key) WHERE batch_key IS NOT NULL;
