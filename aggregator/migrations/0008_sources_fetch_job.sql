-- The arq job id of the fetch a claimed source waits for, so that whichever scheduler leads can tell
-- a fetch that ended without recording an outcome (and make its source due again at once).
ALTER TABLE sources ADD COLUMN IF NOT EXISTS fetch_job text;
