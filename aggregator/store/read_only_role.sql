-- A role for other services: it can read the versioned views and nothing else.
-- Usage: psql -f read_only_role.sql, then ALTER ROLE hirewire_reader LOGIN PASSWORD '…'.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hirewire_reader') THEN
        CREATE ROLE hirewire_reader NOLOGIN;
    END IF;
END $$;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM hirewire_reader;
GRANT USAGE ON SCHEMA public TO hirewire_reader;
GRANT SELECT ON jobs_v1, postings_v1, companies_v1 TO hirewire_reader;
