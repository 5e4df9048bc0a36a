-- Deliveries lose their two foreign keys (schema.sql's triggers take over) and the destination
-- uniqueness index leads with the job; schema.sql creates the new index and the triggers.
ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_alert_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_job_id_fkey;
DROP INDEX IF EXISTS deliveries_destination_job;
