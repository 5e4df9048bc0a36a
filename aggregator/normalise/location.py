"""Location: remote/hybrid/onsite, countries (ISO 3166-1 alpha-2), regions, cities. (Minimal first version.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from aggregator.model import Location


@dataclass(slots=True)
class Where:
    remote: str | None = None
    locations: list[Location] = field(default_factory=list)
    remote_regions: list[str] = field(default_factory=list)
    utc_offset_min: float | None = None
    utc_offset_max: float | None = None


def parse_location(location_raw: str | None, *, places: list[dict[str, str | None]] | None = None,
                   remote: bool | str | None = None, title: str = "") -> Where:
    where = Where()
    if remote is True or (isinstance(remote, str) and remote.lower() in ("remote", "telecommute")):
        where.remote = "remote"
    elif isinstance(remote, str) and remote.lower() == "hybrid":
        where.remote = "hybrid"
    elif location_raw and "remote" in location_raw.lower():
        where.remote = "remote"
    for place in places or []:
        country = place.get("country")
        if country and len(country) == 2:
            where.locations.append(Location(country=country.upper(), region=place.get("region"),
                                            city=place.get("city")))
    return where
