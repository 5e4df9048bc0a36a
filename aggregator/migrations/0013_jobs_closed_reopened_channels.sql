-- Readers learn of closures and reopenings as they learn of new jobs: LISTEN hirewire_jobs_closed
-- and hirewire_jobs_reopened (payload: the job id), sent when the transaction commits. Polling
-- jobs_v1.closed_at instead read every job.
CREATE OR REPLACE FUNCTION hirewire_notify_job_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(CASE WHEN NEW.closed_at IS NULL THEN 'hirewire_jobs_reopened' ELSE 'hirewire_jobs_closed' END,
                      NEW.id::text);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER jobs_notify_status AFTER UPDATE OF closed_at ON jobs FOR EACH ROW
    WHEN ((OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL)) EXECUTE FUNCTION hirewire_notify_job_status();
