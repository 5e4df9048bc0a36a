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
-- A reader shares the server with ingestion and matching: a runaway query, a transaction left open
-- (which holds back vacuum) or a leaking pool must not starve them. Raise these for heavy readers.
ALTER ROLE hirewire_reader SET statement_timeout = '60s';
ALTER ROLE hirewire_reader SET idle_in_transaction_session_timeout = '5min';
ALTER ROLE hirewire_reader CONNECTION LIMIT 20;
