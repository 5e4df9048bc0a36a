"""Which broad areas contain a country, in the location normaliser's own names.

A remote role "open to EMEA" must reach a subscriber who can work from Germany, so an alert's
countries are widened, when it is saved, to the areas of `aggregator.normalise.location.AREAS`
that contain them. "Worldwide" is not listed: a worldwide role matches every country anyway.
"""

from __future__ import annotations

__all__ = ["AREA_COUNTRIES", "regions_of"]


def _codes(text: str) -> list[str]:
    return text.split()


_EUROPE = _codes(
    "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV "
    "MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK"
)
_MIDDLE_EAST = _codes("AE BH EG IL IQ IR JO KW LB OM PS QA SA SY TR YE")
_AFRICA = _codes(
    "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW "
    "MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW"
)
_NORTH_AMERICA = _codes("US CA BM GL PM")
_LATIN_AMERICA = _codes(
    "AR BO BR CL CO CR CU DO EC GT HN HT MX NI PA PE PR PY SV UY VE BZ GY SR GF AG AI AW BB BL BQ BS CW DM "
    "GD GP JM KN KY LC MF MQ MS SX TC TT VC VG VI FK"
)
_ASIA = _codes(
    "AF AM AZ BD BN BT CN GE HK ID IN JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH TJ TL TM TW UZ VN"
)
_OCEANIA = _codes("AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS")
_NORDICS = _codes("DK FI FO IS NO SE AX GL SJ")

#: Area name → ISO 3166-1 alpha-2 codes it contains.
AREA_COUNTRIES: dict[str, frozenset[str]] = {
    "Europe": frozenset(_EUROPE),
    "Middle East": frozenset(_MIDDLE_EAST),
    "Africa": frozenset(_AFRICA),
    "EMEA": frozenset(_EUROPE + _MIDDLE_EAST + _AFRICA),
    "North America": frozenset(_NORTH_AMERICA),
    "Latin America": frozenset(_LATIN_AMERICA),
    "Americas": frozenset(_NORTH_AMERICA + _LATIN_AMERICA),
    "Asia": frozenset(_ASIA),
    "Oceania": frozenset(_OCEANIA),
    "APAC": frozenset(_ASIA + _OCEANIA),
    "Nordics": frozenset(_NORDICS),
}


def regions_of(countries: list[str]) -> list[str]:
    """The sorted areas containing at least one of `countries` (ISO alpha-2 codes)."""
    wanted = set(countries)
    return sorted(area for area, members in AREA_COUNTRIES.items() if members & wanted)
