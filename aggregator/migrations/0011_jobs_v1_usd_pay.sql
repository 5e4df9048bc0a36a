-- jobs_v1 gains the yearly pay in US dollars (appended), the figures alerts compare, so a reader can
-- ask "at least 100k a year" across currencies without a rate table of its own.
CREATE OR REPLACE VIEW jobs_v1 AS
SELECT id, title, company, url, apply_url, location_raw, locations, countries, remote, employment_type,
       seniority, salary_min, salary_max, salary_currency, salary_period, salary_annual_min,
       salary_annual_max, skills, description_text, description_html, posted_at, python_backend,
       fingerprint, first_seen, last_seen, closed_at, remote_regions, company_key,
       salary_usd_min AS salary_annual_usd_min, salary_usd_max AS salary_annual_usd_max
FROM jobs;
