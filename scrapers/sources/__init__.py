"""The registry of source adapters: adding a source is one module plus one line here."""

from __future__ import annotations

import importlib

from scrapers.sources.base import Defaults, Page, ParseContext, Source

__all__ = ["NAMES", "Defaults", "Page", "ParseContext", "Source", "all_sources", "get"]

#: Source name -> module under scrapers.sources that defines `SOURCE`.
_MODULES: dict[str, str] = {
    "remoteok": "remoteok",
    "remotive": "remotive",
    "jobicy": "jobicy",
    "weworkremotely": "weworkremotely",
    "pythonorg": "pythonorg",
    "arbeitnow": "arbeitnow",
    "himalayas": "himalayas",
    "greenhouse": "greenhouse",
    "lever": "lever",
    "ashby": "ashby",
    "smartrecruiters": "smartrecruiters",
    "workable": "workable",
    "hn": "hn",
    "rss": "rss",
    "jsonld": "jsonld",
}

NAMES: tuple[str, ...] = tuple(_MODULES)
_cache: dict[str, Source] = {}


def get(name: str) -> Source:
    """The adapter called `name`; KeyError names the known ones."""
    if name not in _MODULES:
        raise KeyError(f"unknown source {name!r} (known: {', '.join(NAMES)})")
    if name not in _cache:
        module = importlib.import_module(f"scrapers.sources.{_MODULES[name]}")
        _cache[name] = module.SOURCE
    return _cache[name]


def all_sources() -> list[Source]:
    return [get(name) for name in NAMES]
