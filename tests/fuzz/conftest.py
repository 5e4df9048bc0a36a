"""Settings, guards and the listing contract shared by the fuzz tests.

Two hypothesis profiles, applied per test through `FUZZ` (never loaded globally, so the rest of the
suite keeps its own hypothesis settings):

- ``hirewire-fuzz-default``, the normal suite: ~200 examples per parser (100 structure-aware documents
  plus 100 mutated payloads), so ``.venv/bin/pytest tests/fuzz`` stays under a minute on a loaded
  two-core machine;
- ``hirewire-fuzz``, the dedicated run: ≥ 10,000 examples per parser (5,000 + 5,000) and longer
  per-test timeouts. Select it with the environment variable::

      HIREWIRE_FUZZ=1 .venv/bin/pytest tests/fuzz

  It is long: ~140,000 examples at 15–60 ms each (tracemalloc included), i.e. about an hour of CPU,
  so split it with ``-k`` (``-k "remoteok or remotive"``, one source per core) and run the parts in
  parallel; ``HIREWIRE_FUZZ_EXAMPLES=N`` sets the per-test count (default 5,000: two tests per parser).

Every example runs under `bounded`: a per-example time limit (SIGALRM for Python-level loops, plus a
faulthandler watchdog that dumps every stack and exits when the interpreter is stuck in C code where
no signal handler can run) and a tracemalloc peak cap proportional to the input. Hypothesis' own
per-example deadline catches the merely slow.
"""

from __future__ import annotations

import faulthandler
import math
import os
import signal
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, timedelta
from pathlib import Path
from types import FrameType
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, settings

from aggregator.model import EmploymentType, Listing, Remote, SalaryPeriod, Seniority, listing_to_json
from aggregator.normalise.countries import COUNTRY_NAMES
from aggregator.normalise.currency import ISO_CODES
from aggregator.normalise.skills_taxonomy import SKILLS

__all__ = [
    "FUZZ",
    "FUZZING",
    "REAL",
    "SAMPLES",
    "TIMEOUT",
    "Hang",
    "assert_listing_contract",
    "bounded",
    "known_bug",
]

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "aggregator" / "samples"
REAL = ROOT.parent / "shared" / "fixtures" / "real"

#: The dedicated mode: ≥ 10,000 examples per parser.
FUZZING = os.environ.get("HIREWIRE_FUZZ", "").strip().lower() in {"1", "true", "yes", "on"}
_PER_TEST = int(os.environ.get("HIREWIRE_FUZZ_EXAMPLES", "5000")) if FUZZING else 100

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
          HealthCheck.large_base_example, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "hirewire-fuzz-default", max_examples=100, deadline=timedelta(seconds=5), suppress_health_check=_QUIET,
    print_blob=True,
)
settings.register_profile(
    "hirewire-fuzz", max_examples=_PER_TEST, deadline=timedelta(seconds=10), suppress_health_check=_QUIET,
    print_blob=True,
)
#: Decorator for every fuzz test: the profile the environment selects.
FUZZ = settings(settings.get_profile("hirewire-fuzz" if FUZZING else "hirewire-fuzz-default"))
#: pytest-timeout per test: the dedicated run outlasts the suite's 300 s default.
TIMEOUT = pytest.mark.timeout(4 * 3600 if FUZZING else 300)

#: Wall-clock limit of one example (well above the deadline: this is the hang guard, not a benchmark).
HANG_SECONDS = 30.0
#: tracemalloc peak allowed per example: this many times the input, plus a fixed allowance.
MEMORY_FACTOR = 50
MEMORY_BASE = 8 * 1024 * 1024

T = TypeVar("T")


class Hang(BaseException):  # a BaseException, so no adapter's `except Exception` swallows it
    """An example ran past `HANG_SECONDS`."""


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """Interrupt a runaway example; keep any outer SIGALRM timer (pytest-timeout's) running afterwards."""

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"example still running after {seconds:.0f}s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _raise)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    # SIGALRM cannot interrupt C code (a regex, lexbor, expat): then dump every stack and exit.
    faulthandler.dump_traceback_later(seconds * 3, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:
            remaining = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001), outer_interval)


def bounded(action: Callable[[], T], *, input_size: int, seconds: float = HANG_SECONDS) -> T:
    """`action()` under the hang guard and the memory cap; AssertionError when the cap is exceeded.

    tracemalloc sees Python allocations only (not lexbor's or nh3's own heaps), which is where a
    quadratic copy or an unbounded expansion in our code would show.
    """
    limit = MEMORY_FACTOR * input_size + MEMORY_BASE
    owner = not tracemalloc.is_tracing()
    if owner:
        tracemalloc.start()
    else:
        tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    try:
        with _watchdog(seconds):
            result = action()
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        if owner:
            tracemalloc.stop()
    assert peak <= limit, f"memory peak {peak:,} B for a {input_size:,} B input (cap {limit:,} B)"
    return result


#: Bugs the fuzzers found that are not fixed yet, as (exception type, project file, function) of the
#: innermost project frame that raised. Each is pinned by a strict-xfail reproducer in the test module
#: that found it, so fixing one turns that test red until its entry here is removed; the properties skip
#: exactly these failures so that any other one still surfaces.
KNOWN_BUGS: tuple[tuple[type[BaseException], str, str], ...] = ()


def known_bug(exc: BaseException) -> bool:
    """Whether `exc` is one of `KNOWN_BUGS`."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.startswith((str(ROOT / "aggregator"), str(ROOT / "scrapers")))]
    if not frames:
        return False
    where = (Path(frames[-1].filename).relative_to(ROOT).as_posix(), frames[-1].name)
    return any(isinstance(exc, kind) and where == (path, name) for kind, path, name in KNOWN_BUGS)


_CANONICAL_SKILLS = frozenset(skill.name for skill in SKILLS)
_ENUMS: dict[str, frozenset[str]] = {
    "remote": frozenset(Remote),
    "employment_type": frozenset(EmploymentType),
    "seniority": frozenset(Seniority),
    "salary_period": frozenset(SalaryPeriod),
}


def assert_listing_contract(listing: Listing) -> None:
    """The DESIGN.md contract of one normalised listing: enums, ISO codes, ordered finite pay, UTC dates."""
    assert isinstance(listing, Listing)
    assert isinstance(listing.external_id, str) and listing.external_id
    assert isinstance(listing.title, str)
    for name, allowed in _ENUMS.items():
        value = getattr(listing, name)
        assert value is None or value in allowed, f"{name}={value!r}"
    for location in listing.locations:
        assert location.country is None or location.country in COUNTRY_NAMES, f"country={location.country!r}"
    assert listing.salary_currency is None or listing.salary_currency in ISO_CODES, listing.salary_currency
    for amount in (listing.salary_min, listing.salary_max, listing.salary_annual_min, listing.salary_annual_max):
        assert amount is None or (isinstance(amount, float | int) and math.isfinite(amount) and amount > 0), amount
    if listing.salary_min is not None and listing.salary_max is not None:
        assert listing.salary_min <= listing.salary_max, (listing.salary_min, listing.salary_max)
    if listing.salary_min is not None or listing.salary_max is not None:
        assert listing.salary_period is not None
    assert listing.skills == sorted(set(listing.skills)), listing.skills
    assert set(listing.skills) <= _CANONICAL_SKILLS, set(listing.skills) - _CANONICAL_SKILLS
    for url in (listing.url, listing.apply_url):
        assert url is None or url.startswith(("http://", "https://")), url
    if listing.posted_at is not None:
        assert listing.posted_at.utcoffset() == timedelta(0), listing.posted_at
        assert listing.posted_at.tzinfo is not None and listing.posted_at.astimezone(UTC) == listing.posted_at
    if listing.utc_offset_min is not None and listing.utc_offset_max is not None:
        assert listing.utc_offset_min <= listing.utc_offset_max
    assert isinstance(listing.python_backend, bool)
    assert listing.fingerprint
    assert listing_to_json(listing)  # the contract's JSON encoding never fails
