"""Location parsing over real-world strings: Remotive, RemoteOK, Jobicy, WWR, Greenhouse, python.org."""

from __future__ import annotations

import pytest

from aggregator.model import Location
from aggregator.normalise.location import parse_location

L = Location
Places = list[tuple[str | None, str | None, str | None]]

# (location text, expected remote, expected locations as (country, region, city), expected areas)
TEXT_CASES: list[tuple[str, str | None, Places, list[str]]] = [
    # Remotive candidate_required_location
    ("USA, Canada, USA timezones", None, [("US", None, None), ("CA", None, None)], []),
    ("Americas, Europe, Asia, Oceania", None, [], ["Americas", "Europe", "Asia", "Oceania"]),
    ("Germany", None, [("DE", None, None)], []),
    ("Worldwide", "remote", [], ["Worldwide"]),
    ("Europe, UK, Germany, European timezones", None, [("GB", None, None), ("DE", None, None)], ["Europe"]),
    ("Northern America, Europe, UK, France, European timezones", None,
     [("GB", None, None), ("FR", None, None)], ["North America", "Europe"]),
    ("Americas", None, [], ["Americas"]),
    ("USA", None, [("US", None, None)], []),
    # Jobicy jobGeo
    ("Anywhere", "remote", [], ["Worldwide"]),
    ("Poland,  Portugal,  Romania,  Spain", None,
     [("PL", None, None), ("PT", None, None), ("RO", None, None), ("ES", None, None)], []),
    ("LATAM,  Canada,  Europe,  UK,  USA", None,
     [("CA", None, None), ("GB", None, None), ("US", None, None)], ["Latin America", "Europe"]),
    ("Canada,  USA", None, [("CA", None, None), ("US", None, None)], []),
    ("LATAM", None, [], ["Latin America"]),
    # We Work Remotely regions
    ("Anywhere in the World", "remote", [], ["Worldwide"]),
    ("USA Only", None, [("US", None, None)], []),
    ("Europe Only", None, [], ["Europe"]),
    ("North America Only", None, [], ["North America"]),
    ("Latin America Only", None, [], ["Latin America"]),
    # RemoteOK location
    ("Saint Louis, MO, USA", None, [("US", "MO", "Saint Louis")], []),
    ("Remote, USA", "remote", [("US", None, None)], []),
    ("Remote - US", "remote", [("US", None, None)], []),
    ("Remote - Americas", "remote", [], ["Americas"]),
    ("Canada (Remote)", "remote", [("CA", None, None)], []),
    ("United States - Remote Flexibility", "remote", [("US", None, None)], []),
    ("Londonderry, New Hampshire", None, [("US", "NH", "Londonderry")], []),
    ("Troy, MI", None, [("US", "MI", "Troy")], []),
    ("San Francisco, CA | New York City, NY | Seattle, WA", None,
     [("US", "CA", "San Francisco"), ("US", "NY", "New York"), ("US", "WA", "Seattle")], []),
    ("Metro Manila", None, [("PH", None, "Manila")], []),
    ("Halifax", None, [("CA", "NS", "Halifax")], []),
    ("California", None, [("US", "CA", None)], []),
    ("Pine Bluff", None, [], []),
    ("APAC-C1", None, [], []),
    ("How, ", None, [], []),
    ("", None, [], []),
    # Greenhouse location.name
    ("London, UK; New York City, NY", None, [("GB", None, "London"), ("US", "NY", "New York")], []),
    ("Ontario, CAN", None, [("CA", "ON", None)], []),
    ("Dublin, IE", None, [("IE", None, "Dublin")], []),
    ("Zürich, CH", None, [("CH", None, "Zürich")], []),
    ("Seoul, South Korea", None, [("KR", None, "Seoul")], []),
    ("Remote-Friendly, United States", "remote", [("US", None, None)], []),
    ("Remote-Friendly (Travel-Required) | San Francisco, CA | Washington, DC", "remote",
     [("US", "CA", "San Francisco"), ("US", "DC", "Washington")], []),
    ("SF, NYC, SEA, CHI", None,
     [("US", "CA", "San Francisco"), ("US", "NY", "New York"), ("US", "WA", "Seattle"), ("US", "IL", "Chicago")],
     []),
    ("San Francisco, CA, New York City, NY, Seattle, WA", None,
     [("US", "CA", "San Francisco"), ("US", "NY", "New York"), ("US", "WA", "Seattle")], []),
    # python.org first description line
    ("CLAYMONT, Utah, United States", None, [("US", "UT", "Claymont")], []),
    ("Remote, Remote, United States", "remote", [("US", None, None)], []),
    ("Toronto, Ontario, Canada", None, [("CA", "ON", "Toronto")], []),
    ("Remote USA, USA", "remote", [("US", None, None)], []),
    ("NEW YORK, NY, United States", None, [("US", "NY", "New York")], []),
    ("Berlin, (remote), Germany", "remote", [("DE", None, "Berlin")], []),
    ("nagercoil, Kanyakumari District, India", None, [("IN", "Kanyakumari District", "Nagercoil")], []),
    ("Warsaw (fully remote), Poland", "remote", [("PL", None, "Warsaw")], []),
    ("San Jose, US", None, [("US", "CA", "San Jose")], []),
    ("Remote, Remote, Latin America", "remote", [], ["Latin America"]),
    ("Remote, MG, Remote", "remote", [], []),
    ("Richmond, BC, Canada", None, [("CA", "BC", "Richmond")], []),
    ("West Winch, Norfolk, United Kingdom", None, [("GB", "Norfolk", "West Winch")], []),
    # Ashby and Lever
    ("SF / NY / Remote", "remote", [("US", "CA", "San Francisco"), ("US", "NY", None)], []),
    ("Stockholm; London", None, [("SE", None, "Stockholm"), ("GB", None, "London")], []),
    ("EMEA", None, [], ["EMEA"]),
    ("San francisco", None, [("US", "CA", "San Francisco")], []),
    # Assorted shapes
    ("Remote", "remote", [], []),
    ("Remote (US)", "remote", [("US", None, None)], []),
    ("Remote - US only", "remote", [("US", None, None)], []),
    ("Remote (EU)", "remote", [], ["Europe"]),
    ("Berlin, Germany", None, [("DE", None, "Berlin")], []),
    ("San Francisco, CA", None, [("US", "CA", "San Francisco")], []),
    ("New York, NY; London, UK", None, [("US", "NY", "New York"), ("GB", None, "London")], []),
    ("Hybrid - Austin, TX", "hybrid", [("US", "TX", "Austin")], []),
    ("On-site", "onsite", [], []),
    ("Onsite in Munich", "onsite", [("DE", None, "Munich")], []),
    ("Not remote - Paris, France", "onsite", [("FR", None, "Paris")], []),
    ("Hamburg, Berlin", None, [("DE", None, "Hamburg"), ("DE", None, "Berlin")], []),
    ("Atlanta, Georgia", None, [("US", "GA", "Atlanta")], []),
    ("Tbilisi, Georgia", None, [("GE", None, "Tbilisi")], []),
    ("DACH", None, [("DE", None, None), ("AT", None, None), ("CH", None, None)], []),
    ("US and Canada", None, [("US", None, None), ("CA", None, None)], []),
    ("Bosnia & Herzegovina", None, [("BA", None, None)], []),
    ("Deutschland", None, [("DE", None, None)], []),
    ("Casablanca, MA", None, [("MA", None, "Casablanca")], []),
    ("Boston, MA", None, [("US", "MA", "Boston")], []),
    ("London, ON", None, [("CA", "ON", "London")], []),
    ("Lisbon, PT", None, [("PT", None, "Lisbon")], []),
    ("Asia/Pacific", None, [], ["APAC"]),
    ("Remote - EMEA", "remote", [], ["EMEA"]),
    ("Work from home (Philippines)", "remote", [("PH", None, None)], []),
]


@pytest.mark.parametrize(("text", "remote", "places", "areas"), TEXT_CASES)
def test_parse_location_text(text: str, remote: str | None, places: Places, areas: list[str]) -> None:
    where = parse_location(text)
    assert where.remote == remote
    assert [(loc.country, loc.region, loc.city) for loc in where.locations] == places
    assert where.remote_regions == areas


def test_text_table_is_large() -> None:
    assert len(TEXT_CASES) >= 60


@pytest.mark.parametrize(("text", "low", "high"), [
    ("UTC-3 to UTC+3", -3, 3),
    ("GMT+1 +/- 2 hours", -1, 3),
    ("CET +/- 3 HOURS", -2, 4),
    ("Remote within UTC-5 to UTC+1", -5, 1),
    ("UTC−8 – UTC−5", -8, -5),
    ("Australia (UTC+8 to UTC+10:30)", 8, 10.5),
    ("India (UTC+05:30)", 5.5, 5.5),
    ("Remote (EST)", -5, -5),
    ("US, PT time zone", -8, -8),
    ("CET ± 2h", -1, 3),
    ("Remote - US", None, None),
    ("Lisbon, PT", None, None),
    ("Estonia", None, None),
    ("UTC+30", None, None),
    # Himalayas: a lone UTC+14 beside the US zones is UTC-10 a day ahead, not a window round the world
    ("United States (UTC-10 to UTC-5, UTC+14)", -10, -5),
    ("UTC-11 to UTC+14", -11, 14),
    ("New Zealand (UTC+12 to UTC+13:45)", 12, 13.75),
    ("Tonga (UTC+13)", 13, 13),
])
def test_time_zone_window(text: str, low: float | None, high: float | None) -> None:
    where = parse_location(text)
    assert (where.utc_offset_min, where.utc_offset_max) == (low, high)


def test_time_zone_text_is_not_a_place() -> None:
    where = parse_location("Remote (EST), US")
    assert where.locations == [L(country="US")]
    assert (where.utc_offset_min, where.utc_offset_max) == (-5, -5)


@pytest.mark.parametrize(("places", "expected"), [
    ([{"country": "Germany"}], [L(country="DE")]),
    ([{"country": "US", "region": "CA", "city": "SF"}], [L(country="US", region="CA", city="San Francisco")]),
    ([{"country": "United States", "region": "California ", "city": "San Francisco"}],
     [L(country="US", region="CA", city="San Francisco")]),
    ([{"country": "United Kingdom", "city": "London"}], [L(country="GB", city="London")]),
    ([{"country": "gb", "city": "Manchester"}], [L(country="GB", city="Manchester")]),
    ([{"country": "Romania", "region": "Balkans", "city": "Bucharest"}],
     [L(country="RO", region="Balkans", city="Bucharest")]),
    ([{"city": "Berlin"}], [L(country="DE", city="Berlin")]),
    ([{"region": "Ontario"}], [L(country="CA", region="ON")]),
    ([{"country": "Atlantis"}], []),
    ([{"country": None, "region": None, "city": None}], []),
    (["not a dict", {"country": 5}], []),  # broken items are skipped
    ([{"country": "United States"}, {"country": "USA", "city": "Austin"}],
     [L(country="US", region="TX", city="Austin")]),
])
def test_structured_places(places: list[dict[str, str | None]], expected: list[Location]) -> None:
    assert parse_location(None, places=places).locations == expected


def test_structured_and_text_places_merge_without_duplicates() -> None:
    where = parse_location("London", places=[{"country": "GB", "city": "London"}], remote="hybrid")
    assert where.locations == [L(country="GB", city="London")]
    assert where.remote == "hybrid"


@pytest.mark.parametrize(("hint", "text", "title", "expected"), [
    (True, None, "", "remote"),
    ("remote", None, "", "remote"),
    ("TELECOMMUTE", None, "", "remote"),
    ("Remote", "Berlin", "", "remote"),
    ("hybrid", "Remote", "", "hybrid"),
    ("Hybrid", None, "", "hybrid"),
    ("onsite", None, "", "onsite"),
    # Filed as on-site while the location offers remote work: the listing contradicts itself
    ("OnSite", "SF / Remote", "", None),
    ("On-Site", "Remote-Friendly (Travel-Required) | San Francisco, CA | Seattle, WA", "", None),
    (False, "Remote, Berlin", "", None),
    (False, "Not remote - Berlin", "", "onsite"),
    ("on-site", None, "", "onsite"),
    ("in-office", None, "", "onsite"),
    (False, "Berlin", "", "onsite"),
    (False, "Hybrid - Berlin", "", "hybrid"),
    ("unspecified", "Remote", "", "remote"),
    (None, "Remote (US)", "", "remote"),
    (None, None, "Senior Python Engineer (Remote)", "remote"),
    (None, None, "Backend Developer - Hybrid", "hybrid"),
    (None, "Berlin", "Django Developer [Remote]", "remote"),
    (None, None, "Remote Sensing Data Engineer", None),
    (None, None, "Senior Python Engineer", None),
    (None, None, "", None),
    (3.5, None, "", None),
])
def test_remote_mode_precedence(hint: object, text: str | None, title: str, expected: str | None) -> None:
    assert parse_location(text, remote=hint, title=title).remote == expected  # type: ignore[arg-type]


def test_areas_dropped_for_onsite_roles() -> None:
    where = parse_location("EMEA", remote="OnSite", places=[{"country": "United Kingdom", "city": "London"}])
    assert where.remote == "onsite"
    assert where.remote_regions == []
    assert where.locations == [L(country="GB", city="London")]


def test_non_text_inputs_are_unknown() -> None:
    where = parse_location(12345, places=None, remote=None, title=None)  # type: ignore[arg-type]
    assert where.remote is None and where.locations == [] and where.remote_regions == []


# (title, expected locations as (country, region, city), expected areas) for a listing with no location
TITLE_CASES: list[tuple[str, Places, list[str]]] = [
    ("Senior Python Engineer (Berlin)", [("DE", None, "Berlin")], []),
    ("Backend Developer - Remote, UK", [("GB", None, None)], []),
    ("Python Developer (Django) - Munich, Germany", [("DE", None, "Munich")], []),
    ("Data Science Intern | Fully Remote US", [("US", None, None)], []),
    ("Deal Desk Analyst | Fully Remote Poland and UK", [("PL", None, None), ("GB", None, None)], []),
    ("Senior Software Engineer, Java (US Remote)", [("US", None, None)], []),
    ("Customer Success Manager, LATAM", [], ["Latin America"]),
    ("Back End Developer E-Mobility (remote - EU)", [], ["Europe"]),
    # A part that is not wholly a place, or a place inside the role's name, is not read
    ("Head of European and UK Policy", [], []),
    ("Manager - Digital Marketing", [], []),
    ("Software Engineer, Python - Mid / Senior", [], []),
    ("Forward Deployed Engineer - (East coast based)", [], []),
    ("Executive Assistant & Accountability Partner (Full-Time, Remote, ET Hours)", [], []),
    ("Enterprise Account Executive, Southwest", [], []),
    ("Senior Ecommerce Creative Strategist Philippines", [], []),
]


@pytest.mark.parametrize(("title", "places", "areas"), TITLE_CASES)
def test_places_named_in_the_title_when_the_location_is_empty(title: str, places: Places,
                                                               areas: list[str]) -> None:
    where = parse_location(None, title=title)
    assert [(loc.country, loc.region, loc.city) for loc in where.locations] == places
    assert where.remote_regions == areas


def test_a_stated_location_wins_over_the_title() -> None:
    """The title's place is a fallback: a location field or structured place that names one decides."""
    assert parse_location("London", title="Backend Engineer (Berlin)").locations == [L(country="GB", city="London")]
    assert parse_location(None, places=[{"country": "FR"}], title="Backend Engineer (Berlin)").locations == [
        L(country="FR")]
    assert parse_location("Remote", title="Backend Developer - Remote, UK").locations == [L(country="GB")]


def test_a_listing_without_a_location_takes_the_place_its_title_names() -> None:
    from aggregator.model import RawListing
    from aggregator.normalise import normalise

    listing = normalise(RawListing(source="rss", external_id="1", title="Senior Python Engineer (Berlin)"))
    assert listing.locations == [L(country="DE", city="Berlin")]
