"""Field values of particular listings in the real captured payloads (../shared/fixtures/real), as a
reader of the listing sees them: each case is a value that was once wrong for that listing.

Skipped, with the reason, when the corpus is absent.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.sources.conftest import listing_by_id, parse_normalised


def test_a_salary_written_with_a_plus_is_a_floor_not_a_cap(real: Callable[[str], bytes]) -> None:
    """wwr-1's Stimulus ad says "Salary: $120k+ based on experience": at least $120k, with no maximum."""
    listing = listing_by_id(parse_normalised("weworkremotely", real("wwr-1.rss")), "stimulus-software-engineer")
    assert (listing.salary_min, listing.salary_max, listing.salary_currency, listing.salary_period) == (
        120_000, None, "USD", "year")


def test_an_ashby_location_naming_a_country_is_that_country_not_its_filler_address(
        real: Callable[[str], bytes]) -> None:
    """ashby-2's Senior Next.js Developer is offered in "Croatia; Romania; Serbia"; the addresses under
    those labels (Zagreb in region "Belgrade", Bucharest in "Balkans", Belgrade in "Novi Sad") made it
    three cities with regions from other countries."""
    listing = listing_by_id(parse_normalised("ashby", real("ashby-2.json"), board="makai-labs"),
                            "bc3d256d-8207-4612-91ba-fc73bf4e4962")
    assert [(loc.country, loc.region, loc.city) for loc in listing.locations] == [
        ("HR", None, None), ("RO", None, None), ("RS", None, None)]


def test_remoteok_keyword_tags_do_not_make_skills(real: Callable[[str], bytes]) -> None:
    """RemoteOK tagged a Data Analyst ad "go" for "Go beyond surface-level results" and a marketing VP
    "c" for "Series C"; both read as the languages. A Go job that says so in its text keeps Go."""
    listings = parse_normalised("remoteok", real("remoteok-1.json"))
    analyst = listing_by_id(listings, "1130731")
    assert analyst.skills == ["Databricks", "SQL"]
    assert "go" not in analyst.tags
    assert listing_by_id(listings, "1130780").skills == []
    assert "Go" in listing_by_id(listings, "1130735").skills  # "microservices in Go"


def test_a_team_named_r_and_d_is_not_the_r_language(real: Callable[[str], bytes]) -> None:
    """lever-1's Android Engineer is in the team "Advertising R&D", which gave it the skill R."""
    listing = listing_by_id(parse_normalised("lever", real("lever-1.json"), board="spotify"),
                            "a0fa7da3-4c3c-4fa2-97bd-7d6eb01eb9e5")
    assert listing.skills == ["Java", "Kotlin"]


def test_a_listing_filed_on_site_that_offers_remote_work_has_no_remote_mode(real: Callable[[str], bytes]) -> None:
    """greenhouse-1's Research Engineer, Pretraining is located "Remote-Friendly (Travel-Required) | San
    Francisco, CA; …" with the Location Type "On-Site"; it read as onsite, against its own location."""
    listing = listing_by_id(parse_normalised("greenhouse", real("greenhouse-1.json"), board="anthropic"),
                            "4616971008")
    assert listing.location_raw is not None and listing.location_raw.startswith("Remote-Friendly")
    assert listing.remote is None


def test_the_mid_market_segment_is_not_a_level(real: Callable[[str], bytes]) -> None:
    """greenhouse-1's "Account Executive, Mid Market - UKI" names the customers it sells to, not a level;
    it read as mid."""
    listing = listing_by_id(parse_normalised("greenhouse", real("greenhouse-1.json"), board="anthropic"),
                            "4978296008")
    assert listing.title == "Account Executive, Mid Market - UKI"
    assert listing.seniority is None


def test_a_us_time_zone_window_does_not_span_the_world(real: Callable[[str], bytes]) -> None:
    """himalayas-1's US jobs state "United States (UTC-10 to UTC-5, UTC+14)"; the window read as UTC-10 to
    UTC+14, every time zone, so a US-hours role looked open to Asia."""
    listing = listing_by_id(parse_normalised("himalayas", real("himalayas-1.json")),
                            "https://himalayas.app/companies/bask-health/jobs/machine-learning-engineer")
    assert (listing.utc_offset_min, listing.utc_offset_max) == (-10, -5)


def test_a_board_s_currency_gives_way_to_the_ad_s_for_the_same_figures(real: Callable[[str], bytes]) -> None:
    """jobicy-1: League's range came as USD from the API; the ad says "$77,400 – $116,200 CAD".
    himalayas-1: Descript's 190,000–300,000 came with no currency; the ad says "$190,000- $300,000/year"."""
    league = listing_by_id(parse_normalised("jobicy", real("jobicy-1.json")), "112853")
    assert (league.salary_min, league.salary_max, league.salary_currency, league.salary_period) == (
        77_400, 116_200, "CAD", "year")
    descript = listing_by_id(
        parse_normalised("himalayas", real("himalayas-1.json")),
        "https://himalayas.app/companies/descript/jobs/staff-applied-research-scientist-472455259")
    assert (descript.salary_min, descript.salary_max, descript.salary_currency) == (190_000, 300_000, "USD")


def test_twice_escaped_ampersands_do_not_leak_into_the_text(real: Callable[[str], bytes]) -> None:
    """lever-2's Marketing Automation and Analytics Manager read "guidelines &amp; processes for MQLs
    &amp; SQLs": Lever's list markup escaped the ampersands twice."""
    listing = listing_by_id(parse_normalised("lever", real("lever-2.json"), board="leverdemo"),
                            "317078f5-1943-44f4-9231-92f80dbdeb69")
    assert listing.description_text is not None
    assert "guidelines & processes for MQLs & SQLs" in listing.description_text
    assert "&amp;" not in listing.description_text


def test_pay_stated_in_the_title(real: Callable[[str], bytes]) -> None:
    """wwr-2's "Senior Independent UX/UI Designer ($110-$190/hr)" had no salary."""
    listing = listing_by_id(parse_normalised("weworkremotely", real("wwr-2.rss")),
                            "a-team-senior-independent-ux-ui-designer-110-190-hr")
    assert (listing.salary_min, listing.salary_max, listing.salary_currency, listing.salary_period) == (
        110, 190, "USD", "hour")


def test_the_currency_of_figures_inside_a_one_line_description(real: Callable[[str], bytes]) -> None:
    """remoteok-1's Graphcore ad is one long line holding "Salary Range: PLN 350,700 - 474,400"; the
    API's 350,700–474,400 had no currency."""
    listing = listing_by_id(parse_normalised("remoteok", real("remoteok-1.json")), "1130779")
    assert (listing.salary_min, listing.salary_max, listing.salary_currency) == (350_700, 474_400, "PLN")


def test_arbeitnow_not_remote_is_not_on_site(real: Callable[[str], bytes]) -> None:
    """Arbeitnow's `remote: false` read as onsite; Moonfare's Director of Data says "This is a hybrid role
    with office attendance required 4 days/week", and DEPT's Senior Product Owner "Hamburg, Berlin, Hybrid"."""
    listings = parse_normalised("arbeitnow", real("arbeitnow-1.json"))
    assert listing_by_id(listings, "director-of-data-berlin-456700").remote is None
    assert listing_by_id(listings, "senior-product-owner-hamburg-berlin-302643").remote is None
