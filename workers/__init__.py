"""arq worker settings, job functions and notification channels."""
