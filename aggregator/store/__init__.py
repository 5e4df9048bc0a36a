"""All SQL lives here, one module per aggregate (sources, postings and jobs, alerts, deliveries)."""
