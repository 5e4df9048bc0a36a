"""Shared helpers for adapter tests: the project's own samples and the real captured corpus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from aggregator.model import Listing, RawListing
from aggregator.normalise import normalise
from scrapers import sources
from scrapers.sources.base import Page, ParseContext

SAMPLES = Path(__file__).resolve().parents[2] / "aggregator" / "samples"
REAL = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real"


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """Bytes of one of the project's own sample payloads (aggregator/samples/NAME)."""
    return lambda name: (SAMPLES / name).read_bytes()


@pytest.fixture
def real() -> Callable[[str], bytes]:
    """Bytes of a captured real payload from ../shared/fixtures/real, or a skip saying it is absent."""

    def load(name: str) -> bytes:
        path = REAL / name
        if not path.exists():
            pytest.skip(f"real payload {name} not present (the corpus lives in ../shared/fixtures/real)")
        return path.read_bytes()

    return load


def parse(source: str, payload: bytes, **ctx: object) -> Page:
    """Parse a payload with the registered adapter."""
    return sources.get(source).parse(payload, ParseContext(**ctx))  # type: ignore[arg-type]


def parse_normalised(source: str, payload: bytes, **ctx: object) -> list[Listing]:
    return [normalise(raw) for raw in parse(source, payload, **ctx).listings]


def by_id(listings: list[RawListing] | list[Listing], external_id: str) -> RawListing | Listing:
    for listing in listings:
        if listing.external_id == external_id:
            return listing
    raise AssertionError(f"no listing {external_id!r}")


def raw_by_id(listings: list[RawListing], external_id: str) -> RawListing:
    """The parsed (not yet normalised) listing with this external id."""
    found = by_id(listings, external_id)
    assert isinstance(found, RawListing)
    return found


def listing_by_id(listings: list[Listing], external_id: str) -> Listing:
    """The normalised listing with this external id."""
    found = by_id(listings, external_id)
    assert isinstance(found, Listing)
    return found
