"""Cross-source deduplication: the fingerprint and the near-duplicate decision. Pure. (Minimal first version.)"""

from __future__ import annotations

import hashlib
import re

from aggregator.model import Listing

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def company_key(name: str | None) -> str:
    return _NON_ALNUM.sub(" ", (name or "").lower()).strip()


def title_key(title: str) -> str:
    return _NON_ALNUM.sub(" ", title.lower()).strip()


def fingerprint(listing: Listing) -> str:
    country = listing.locations[0].country if listing.locations else ""
    basis = "|".join([company_key(listing.company), title_key(listing.title), listing.remote or "", country or ""])
    return hashlib.sha256(basis.encode()).hexdigest()[:32]
