"""hirewire: an asynchronous job-listing aggregator and alert worker for Python backend jobs."""

__version__ = "0.1.0"
