-- jobs_v1 gains company_key (appended), the key companies_v1 is grouped by, so a reader can join a
-- company's row to its jobs; before, only the spelling could be compared, and companies_v1.company
-- is one of several spellings. schema.sql replaces the view with the same definition afterwards.
CREATE OR REPLACE VIEW jobs_v1 AS
SELECT id, title, company, url, apply_url, location_raw, locations, countries, remote, employment_type,
       seniority, salary_min, salary_max, salary_currency, salary_period, salary_annual_min,
       salary_annual_max, skills, description_text, description_html, posted_at, python_backend,
       fingerprint, first_seen, last_seen, closed_at, remote_regions, company_key
FROM jobs;
