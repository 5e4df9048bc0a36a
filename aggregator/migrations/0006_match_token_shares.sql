-- Token shares for choosing alerts' anchor keys; schema.sql has the same table.
CREATE TABLE IF NOT EXISTS match_token_shares (
    token        text PRIMARY KEY,
    share        double precision NOT NULL,
    measured_at  timestamptz NOT NULL DEFAULT now()
);
