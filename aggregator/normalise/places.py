"""Subdivisions and cities: US states, Canadian provinces, Australian states and major cities.

Regions are kept as their postal codes ("CA", "ON", "NSW") so that "San Francisco, California"
and "SF, CA" normalise alike. A city maps to the country it is best known in; an ambiguous name
("Cambridge", "Portland") is deliberately absent so it is never guessed.
"""

from __future__ import annotations

from typing import NamedTuple

from aggregator.normalise.countries import fold

__all__ = ["City", "Subdivision", "city", "subdivision", "subdivision_by_code"]


class Subdivision(NamedTuple):
    country: str
    code: str


class City(NamedTuple):
    country: str
    region: str | None
    name: str


_US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana",
    "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah",
    "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "PR": "Puerto Rico",
}

_CA_PROVINCES: dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}

_AU_STATES: dict[str, str] = {
    "NSW": "New South Wales", "VIC": "Victoria", "QLD": "Queensland", "WA": "Western Australia",
    "SA": "South Australia", "TAS": "Tasmania", "ACT": "Australian Capital Territory",
    "NT": "Northern Territory",
}

_SUBDIVISIONS: dict[str, dict[str, str]] = {"US": _US_STATES, "CA": _CA_PROVINCES, "AU": _AU_STATES}


def _build_names() -> dict[str, Subdivision]:
    index: dict[str, Subdivision] = {}
    # Australia first so that US and Canadian names win where both exist.
    for country in ("AU", "CA", "US"):
        for code, name in _SUBDIVISIONS[country].items():
            index[fold(name)] = Subdivision(country, code)
    index["washington state"] = Subdivision("US", "WA")
    index["quebec"] = Subdivision("CA", "QC")
    return index


_BY_NAME = _build_names()

# (country, region code or None, canonical name) per folded alias.
_CITIES: dict[str, tuple[str, str | None, str]] = {
    # United States
    "new york": ("US", "NY", "New York"), "new york city": ("US", "NY", "New York"),
    "nyc": ("US", "NY", "New York"), "manhattan": ("US", "NY", "New York"),
    "brooklyn": ("US", "NY", "New York"), "san francisco": ("US", "CA", "San Francisco"),
    "sf": ("US", "CA", "San Francisco"), "san francisco bay area": ("US", "CA", "San Francisco"),
    "bay area": ("US", "CA", "San Francisco"), "los angeles": ("US", "CA", "Los Angeles"),
    "san diego": ("US", "CA", "San Diego"), "san jose": ("US", "CA", "San Jose"),
    "palo alto": ("US", "CA", "Palo Alto"), "mountain view": ("US", "CA", "Mountain View"),
    "menlo park": ("US", "CA", "Menlo Park"), "sunnyvale": ("US", "CA", "Sunnyvale"),
    "santa clara": ("US", "CA", "Santa Clara"), "oakland": ("US", "CA", "Oakland"),
    "berkeley": ("US", "CA", "Berkeley"), "irvine": ("US", "CA", "Irvine"),
    "sacramento": ("US", "CA", "Sacramento"), "la jolla": ("US", "CA", "La Jolla"),
    "riverside": ("US", "CA", "Riverside"), "seattle": ("US", "WA", "Seattle"),
    "sea": ("US", "WA", "Seattle"), "bellevue": ("US", "WA", "Bellevue"),
    "redmond": ("US", "WA", "Redmond"), "austin": ("US", "TX", "Austin"), "atx": ("US", "TX", "Austin"),
    "dallas": ("US", "TX", "Dallas"), "houston": ("US", "TX", "Houston"),
    "san antonio": ("US", "TX", "San Antonio"), "chicago": ("US", "IL", "Chicago"),
    "chi": ("US", "IL", "Chicago"), "boston": ("US", "MA", "Boston"), "denver": ("US", "CO", "Denver"),
    "boulder": ("US", "CO", "Boulder"), "atlanta": ("US", "GA", "Atlanta"), "miami": ("US", "FL", "Miami"),
    "tampa": ("US", "FL", "Tampa"), "orlando": ("US", "FL", "Orlando"),
    "washington dc": ("US", "DC", "Washington"), "washington d.c": ("US", "DC", "Washington"),
    "dc": ("US", "DC", "Washington"), "philadelphia": ("US", "PA", "Philadelphia"),
    "pittsburgh": ("US", "PA", "Pittsburgh"), "phoenix": ("US", "AZ", "Phoenix"),
    "salt lake city": ("US", "UT", "Salt Lake City"), "minneapolis": ("US", "MN", "Minneapolis"),
    "detroit": ("US", "MI", "Detroit"), "nashville": ("US", "TN", "Nashville"),
    "raleigh": ("US", "NC", "Raleigh"), "charlotte": ("US", "NC", "Charlotte"),
    "baltimore": ("US", "MD", "Baltimore"), "las vegas": ("US", "NV", "Las Vegas"),
    "saint louis": ("US", "MO", "Saint Louis"), "st. louis": ("US", "MO", "Saint Louis"),
    "st louis": ("US", "MO", "Saint Louis"), "kansas city": ("US", "MO", "Kansas City"),
    "columbus": ("US", "OH", "Columbus"), "cleveland": ("US", "OH", "Cleveland"),
    "cincinnati": ("US", "OH", "Cincinnati"), "indianapolis": ("US", "IN", "Indianapolis"),
    "new orleans": ("US", "LA", "New Orleans"), "honolulu": ("US", "HI", "Honolulu"),
    # Canada
    "toronto": ("CA", "ON", "Toronto"), "ottawa": ("CA", "ON", "Ottawa"),
    "waterloo": ("CA", "ON", "Waterloo"), "montreal": ("CA", "QC", "Montreal"),
    "vancouver": ("CA", "BC", "Vancouver"), "victoria bc": ("CA", "BC", "Victoria"),
    "calgary": ("CA", "AB", "Calgary"), "edmonton": ("CA", "AB", "Edmonton"),
    "winnipeg": ("CA", "MB", "Winnipeg"), "halifax": ("CA", "NS", "Halifax"),
    "quebec city": ("CA", "QC", "Quebec City"),
    # Europe
    "london": ("GB", None, "London"), "manchester": ("GB", None, "Manchester"),
    "edinburgh": ("GB", None, "Edinburgh"), "glasgow": ("GB", None, "Glasgow"),
    "bristol": ("GB", None, "Bristol"), "leeds": ("GB", None, "Leeds"), "belfast": ("GB", None, "Belfast"),
    "oxford": ("GB", None, "Oxford"), "dublin": ("IE", None, "Dublin"), "cork": ("IE", None, "Cork"),
    "paris": ("FR", None, "Paris"), "lyon": ("FR", None, "Lyon"), "toulouse": ("FR", None, "Toulouse"),
    "nantes": ("FR", None, "Nantes"), "bordeaux": ("FR", None, "Bordeaux"),
    "berlin": ("DE", None, "Berlin"), "munich": ("DE", None, "Munich"), "munchen": ("DE", None, "Munich"),
    "hamburg": ("DE", None, "Hamburg"), "frankfurt": ("DE", None, "Frankfurt"),
    "cologne": ("DE", None, "Cologne"), "koln": ("DE", None, "Cologne"),
    "stuttgart": ("DE", None, "Stuttgart"), "dusseldorf": ("DE", None, "Düsseldorf"),
    "heidelberg": ("DE", None, "Heidelberg"), "leipzig": ("DE", None, "Leipzig"),
    "karlsruhe": ("DE", None, "Karlsruhe"), "vienna": ("AT", None, "Vienna"), "wien": ("AT", None, "Vienna"),
    "zurich": ("CH", None, "Zürich"), "geneva": ("CH", None, "Geneva"), "basel": ("CH", None, "Basel"),
    "lausanne": ("CH", None, "Lausanne"), "amsterdam": ("NL", None, "Amsterdam"),
    "rotterdam": ("NL", None, "Rotterdam"), "utrecht": ("NL", None, "Utrecht"),
    "eindhoven": ("NL", None, "Eindhoven"), "the hague": ("NL", None, "The Hague"),
    "brussels": ("BE", None, "Brussels"), "antwerp": ("BE", None, "Antwerp"), "ghent": ("BE", None, "Ghent"),
    "luxembourg city": ("LU", None, "Luxembourg"), "madrid": ("ES", None, "Madrid"),
    "barcelona": ("ES", None, "Barcelona"), "valencia": ("ES", None, "Valencia"),
    "malaga": ("ES", None, "Málaga"), "lisbon": ("PT", None, "Lisbon"), "lisboa": ("PT", None, "Lisbon"),
    "porto": ("PT", None, "Porto"), "milan": ("IT", None, "Milan"), "milano": ("IT", None, "Milan"),
    "rome": ("IT", None, "Rome"), "turin": ("IT", None, "Turin"), "copenhagen": ("DK", None, "Copenhagen"),
    "aarhus": ("DK", None, "Aarhus"), "stockholm": ("SE", None, "Stockholm"),
    "gothenburg": ("SE", None, "Gothenburg"), "malmo": ("SE", None, "Malmö"), "oslo": ("NO", None, "Oslo"),
    "helsinki": ("FI", None, "Helsinki"), "reykjavik": ("IS", None, "Reykjavik"),
    "warsaw": ("PL", None, "Warsaw"), "krakow": ("PL", None, "Kraków"), "wroclaw": ("PL", None, "Wrocław"),
    "gdansk": ("PL", None, "Gdańsk"), "poznan": ("PL", None, "Poznań"), "prague": ("CZ", None, "Prague"),
    "brno": ("CZ", None, "Brno"), "budapest": ("HU", None, "Budapest"),
    "bucharest": ("RO", None, "Bucharest"), "cluj-napoca": ("RO", None, "Cluj-Napoca"),
    "sofia": ("BG", None, "Sofia"), "belgrade": ("RS", None, "Belgrade"), "zagreb": ("HR", None, "Zagreb"),
    "ljubljana": ("SI", None, "Ljubljana"), "bratislava": ("SK", None, "Bratislava"),
    "athens": ("GR", None, "Athens"), "tallinn": ("EE", None, "Tallinn"), "riga": ("LV", None, "Riga"),
    "vilnius": ("LT", None, "Vilnius"), "kyiv": ("UA", None, "Kyiv"), "kiev": ("UA", None, "Kyiv"),
    "lviv": ("UA", None, "Lviv"), "istanbul": ("TR", None, "Istanbul"), "limassol": ("CY", None, "Limassol"),
    "valletta": ("MT", None, "Valletta"), "tbilisi": ("GE", None, "Tbilisi"),
    "yerevan": ("AM", None, "Yerevan"), "baku": ("AZ", None, "Baku"), "almaty": ("KZ", None, "Almaty"),
    # Asia, Oceania, Middle East, Africa, Latin America
    "tel aviv": ("IL", None, "Tel Aviv"), "dubai": ("AE", None, "Dubai"),
    "abu dhabi": ("AE", None, "Abu Dhabi"), "riyadh": ("SA", None, "Riyadh"), "doha": ("QA", None, "Doha"),
    "bangalore": ("IN", None, "Bangalore"), "bengaluru": ("IN", None, "Bangalore"),
    "mumbai": ("IN", None, "Mumbai"), "pune": ("IN", None, "Pune"), "hyderabad": ("IN", None, "Hyderabad"),
    "chennai": ("IN", None, "Chennai"), "new delhi": ("IN", None, "New Delhi"),
    "delhi": ("IN", None, "Delhi"), "gurgaon": ("IN", None, "Gurugram"), "gurugram": ("IN", None, "Gurugram"),
    "noida": ("IN", None, "Noida"), "kolkata": ("IN", None, "Kolkata"), "karachi": ("PK", None, "Karachi"),
    "lahore": ("PK", None, "Lahore"), "dhaka": ("BD", None, "Dhaka"), "singapore": ("SG", None, "Singapore"),
    "hong kong": ("HK", None, "Hong Kong"), "tokyo": ("JP", None, "Tokyo"), "osaka": ("JP", None, "Osaka"),
    "seoul": ("KR", None, "Seoul"), "beijing": ("CN", None, "Beijing"), "shanghai": ("CN", None, "Shanghai"),
    "shenzhen": ("CN", None, "Shenzhen"), "taipei": ("TW", None, "Taipei"),
    "bangkok": ("TH", None, "Bangkok"), "kuala lumpur": ("MY", None, "Kuala Lumpur"),
    "jakarta": ("ID", None, "Jakarta"), "manila": ("PH", None, "Manila"),
    "metro manila": ("PH", None, "Manila"), "cebu": ("PH", None, "Cebu"),
    "ho chi minh city": ("VN", None, "Ho Chi Minh City"), "hanoi": ("VN", None, "Hanoi"),
    "sydney": ("AU", "NSW", "Sydney"), "melbourne": ("AU", "VIC", "Melbourne"),
    "brisbane": ("AU", "QLD", "Brisbane"), "perth": ("AU", "WA", "Perth"),
    "adelaide": ("AU", "SA", "Adelaide"), "canberra": ("AU", "ACT", "Canberra"),
    "auckland": ("NZ", None, "Auckland"), "wellington": ("NZ", None, "Wellington"),
    "cape town": ("ZA", None, "Cape Town"), "johannesburg": ("ZA", None, "Johannesburg"),
    "lagos": ("NG", None, "Lagos"), "nairobi": ("KE", None, "Nairobi"), "cairo": ("EG", None, "Cairo"),
    "accra": ("GH", None, "Accra"), "kigali": ("RW", None, "Kigali"),
    "casablanca": ("MA", None, "Casablanca"),
    "port-au-prince": ("HT", None, "Port-au-Prince"), "sao paulo": ("BR", None, "São Paulo"),
    "rio de janeiro": ("BR", None, "Rio de Janeiro"), "florianopolis": ("BR", None, "Florianópolis"),
    "buenos aires": ("AR", None, "Buenos Aires"), "mexico city": ("MX", None, "Mexico City"),
    "cdmx": ("MX", None, "Mexico City"), "guadalajara": ("MX", None, "Guadalajara"),
    "monterrey": ("MX", None, "Monterrey"), "bogota": ("CO", None, "Bogotá"),
    "medellin": ("CO", None, "Medellín"), "santiago": ("CL", None, "Santiago"), "lima": ("PE", None, "Lima"),
    "montevideo": ("UY", None, "Montevideo"), "san jose, costa rica": ("CR", None, "San José"),
}


def subdivision(name: str) -> Subdivision | None:
    """A state or province by its full name ("California", "Ontario", "New South Wales")."""
    return _BY_NAME.get(fold(name))


def subdivision_by_code(code: str, country: str | None = None) -> Subdivision | None:
    """A state or province by postal code, within `country` when given, else US then Canada.

    Australian codes are matched only when Australia is stated: "WA" alone is Washington.
    """
    upper = code.strip().upper()
    if country is not None:
        table = _SUBDIVISIONS.get(country)
        return Subdivision(country, upper) if table and upper in table else None
    for candidate in ("US", "CA"):
        if upper in _SUBDIVISIONS[candidate]:
            return Subdivision(candidate, upper)
    return None


def city(name: str) -> City | None:
    """A major city by name or common abbreviation ("SF", "NYC"), with its country and region."""
    found = _CITIES.get(fold(name))
    return City(*found) if found else None
