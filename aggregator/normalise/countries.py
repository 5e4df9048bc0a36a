"""Countries: ISO 3166-1 alpha-2 codes, their English names and the aliases job boards use.

A static table so lookups are dict hits with no I/O; `country_code` is the one entry point and
answers None for anything it does not know rather than guessing.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ALPHA3", "COUNTRY_NAMES", "country_code", "fold"]

#: Every officially assigned ISO 3166-1 alpha-2 code with a short English name.
COUNTRY_NAMES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan", "AG": "Antigua and Barbuda",
    "AI": "Anguilla", "AL": "Albania", "AM": "Armenia", "AO": "Angola", "AQ": "Antarctica",
    "AR": "Argentina", "AS": "American Samoa", "AT": "Austria", "AU": "Australia", "AW": "Aruba",
    "AX": "Åland Islands", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BB": "Barbados",
    "BD": "Bangladesh", "BE": "Belgium", "BF": "Burkina Faso", "BG": "Bulgaria", "BH": "Bahrain",
    "BI": "Burundi", "BJ": "Benin", "BL": "Saint Barthélemy", "BM": "Bermuda", "BN": "Brunei",
    "BO": "Bolivia", "BQ": "Caribbean NL", "BR": "Brazil", "BS": "Bahamas", "BT": "Bhutan",
    "BV": "Bouvet Island", "BW": "Botswana", "BY": "Belarus", "BZ": "Belize", "CA": "Canada",
    "CC": "Cocos (Keeling) Islands", "CD": "DR Congo", "CF": "Central African Republic", "CG": "Congo",
    "CH": "Switzerland", "CI": "Côte d'Ivoire", "CK": "Cook Islands", "CL": "Chile", "CM": "Cameroon",
    "CN": "China", "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba", "CV": "Cape Verde", "CW": "Curaçao",
    "CX": "Christmas Island", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany", "DJ": "Djibouti",
    "DK": "Denmark", "DM": "Dominica", "DO": "Dominican Republic", "DZ": "Algeria", "EC": "Ecuador",
    "EE": "Estonia", "EG": "Egypt", "EH": "Western Sahara", "ER": "Eritrea", "ES": "Spain",
    "ET": "Ethiopia", "FI": "Finland", "FJ": "Fiji", "FK": "Falkland Islands", "FM": "Micronesia",
    "FO": "Faroe Islands", "FR": "France", "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada",
    "GE": "Georgia", "GF": "French Guiana", "GG": "Guernsey", "GH": "Ghana", "GI": "Gibraltar",
    "GL": "Greenland", "GM": "Gambia", "GN": "Guinea", "GP": "Guadeloupe", "GQ": "Equatorial Guinea",
    "GR": "Greece", "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala", "GU": "Guam",
    "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong", "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras", "HR": "Croatia", "HT": "Haiti", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland",
    "IL": "Israel", "IM": "Isle of Man", "IN": "India", "IO": "British Indian Ocean Territory",
    "IQ": "Iraq", "IR": "Iran", "IS": "Iceland", "IT": "Italy", "JE": "Jersey", "JM": "Jamaica",
    "JO": "Jordan", "JP": "Japan", "KE": "Kenya", "KG": "Kyrgyzstan", "KH": "Cambodia", "KI": "Kiribati",
    "KM": "Comoros", "KN": "Saint Kitts and Nevis", "KP": "North Korea", "KR": "South Korea",
    "KW": "Kuwait", "KY": "Cayman Islands", "KZ": "Kazakhstan", "LA": "Laos", "LB": "Lebanon",
    "LC": "Saint Lucia", "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia", "LS": "Lesotho",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya", "MA": "Morocco", "MC": "Monaco",
    "MD": "Moldova", "ME": "Montenegro", "MF": "Saint Martin", "MG": "Madagascar",
    "MH": "Marshall Islands", "MK": "North Macedonia", "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia",
    "MO": "Macau", "MP": "Northern Mariana Islands", "MQ": "Martinique", "MR": "Mauritania",
    "MS": "Montserrat", "MT": "Malta", "MU": "Mauritius", "MV": "Maldives", "MW": "Malawi", "MX": "Mexico",
    "MY": "Malaysia", "MZ": "Mozambique", "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger",
    "NF": "Norfolk Island", "NG": "Nigeria", "NI": "Nicaragua", "NL": "Netherlands", "NO": "Norway",
    "NP": "Nepal", "NR": "Nauru", "NU": "Niue", "NZ": "New Zealand", "OM": "Oman", "PA": "Panama",
    "PE": "Peru", "PF": "French Polynesia", "PG": "Papua New Guinea", "PH": "Philippines",
    "PK": "Pakistan", "PL": "Poland", "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn",
    "PR": "Puerto Rico", "PS": "Palestine", "PT": "Portugal", "PW": "Palau", "PY": "Paraguay",
    "QA": "Qatar", "RE": "Réunion", "RO": "Romania", "RS": "Serbia", "RU": "Russia", "RW": "Rwanda",
    "SA": "Saudi Arabia", "SB": "Solomon Islands", "SC": "Seychelles", "SD": "Sudan", "SE": "Sweden",
    "SG": "Singapore", "SH": "Saint Helena", "SI": "Slovenia", "SJ": "Svalbard and Jan Mayen",
    "SK": "Slovakia", "SL": "Sierra Leone", "SM": "San Marino", "SN": "Senegal", "SO": "Somalia",
    "SR": "Suriname", "SS": "South Sudan", "ST": "São Tomé and Príncipe", "SV": "El Salvador",
    "SX": "Sint Maarten", "SY": "Syria", "SZ": "Eswatini", "TC": "Turks and Caicos Islands", "TD": "Chad",
    "TF": "French Southern Territories", "TG": "Togo", "TH": "Thailand", "TJ": "Tajikistan",
    "TK": "Tokelau", "TL": "East Timor", "TM": "Turkmenistan", "TN": "Tunisia", "TO": "Tonga",
    "TR": "Turkey", "TT": "Trinidad and Tobago", "TV": "Tuvalu", "TW": "Taiwan", "TZ": "Tanzania",
    "UA": "Ukraine", "UG": "Uganda", "UM": "US minor outlying islands", "US": "United States",
    "UY": "Uruguay", "UZ": "Uzbekistan", "VA": "Vatican City", "VC": "Saint Vincent and the Grenadines",
    "VE": "Venezuela", "VG": "British Virgin Islands", "VI": "U.S. Virgin Islands", "VN": "Vietnam",
    "VU": "Vanuatu", "WF": "Wallis and Futuna", "WS": "Samoa", "YE": "Yemen", "YT": "Mayotte",
    "ZA": "South Africa", "ZM": "Zambia", "ZW": "Zimbabwe",
}

#: Alpha-3 codes job boards actually write ("Ontario, CAN"); matched only in upper case.
ALPHA3: dict[str, str] = {
    "USA": "US", "CAN": "CA", "GBR": "GB", "DEU": "DE", "FRA": "FR", "ESP": "ES", "ITA": "IT",
    "NLD": "NL", "BEL": "BE", "CHE": "CH", "AUT": "AT", "IRL": "IE", "PRT": "PT", "POL": "PL",
    "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "CZE": "CZ", "ROU": "RO", "HUN": "HU",
    "GRC": "GR", "UKR": "UA", "IND": "IN", "CHN": "CN", "JPN": "JP", "KOR": "KR", "SGP": "SG",
    "AUS": "AU", "NZL": "NZ", "BRA": "BR", "MEX": "MX", "ARG": "AR", "COL": "CO", "CHL": "CL",
    "ZAF": "ZA", "NGA": "NG", "KEN": "KE", "EGY": "EG", "ISR": "IL", "ARE": "AE",
    "TUR": "TR", "PHL": "PH", "IDN": "ID", "MYS": "MY", "THA": "TH", "VNM": "VN", "PAK": "PK",
    "BGD": "BD", "LVA": "LV", "LTU": "LT", "BGR": "BG", "HRV": "HR", "SRB": "RS",
}

# Common names, endonyms and abbreviations, already folded (see `fold`).
_ALIASES: dict[str, str] = {
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "u.s": "US", "us": "US", "united states of america": "US",
    "the united states": "US", "america": "US", "uk": "GB", "u.k.": "GB", "great britain": "GB",
    "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "the netherlands": "NL", "holland": "NL", "nederland": "NL", "deutschland": "DE", "germany": "DE",
    "espana": "ES", "italia": "IT", "osterreich": "AT", "schweiz": "CH", "suisse": "CH",
    "svizzera": "CH", "polska": "PL", "czech republic": "CZ", "cesko": "CZ", "sverige": "SE",
    "norge": "NO", "danmark": "DK", "suomi": "FI", "brasil": "BR", "mexico": "MX", "turkiye": "TR",
    "russian federation": "RU", "korea": "KR", "republic of korea": "KR", "viet nam": "VN",
    "uae": "AE", "emirates": "AE", "ivory coast": "CI", "cote d'ivoire": "CI", "drc": "CD",
    "democratic republic of the congo": "CD", "republic of the congo": "CG", "macedonia": "MK",
    "swaziland": "SZ", "burma": "MM", "cabo verde": "CV", "the bahamas": "BS", "the gambia": "GM",
    "vatican": "VA", "holy see": "VA", "palestinian territories": "PS", "hong kong sar": "HK",
    "macao": "MO", "prc": "CN", "mainland china": "CN", "republic of ireland": "IE", "eire": "IE",
    "bosnia": "BA", "sao tome and principe": "ST", "timor-leste": "TL", "east timor": "TL",
    "st lucia": "LC", "st kitts and nevis": "KN", "st vincent": "VC", "curacao": "CW",
    "reunion": "RE", "aland islands": "AX", "saint barthelemy": "BL",
}

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, accents stripped, '&' spelled out, spaces collapsed: the key every table uses."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.replace("&", " and ").replace("’", "'")).strip(" .,;:-").lower()


def _build_index() -> dict[str, str]:
    index = {fold(name): code for code, name in COUNTRY_NAMES.items()}
    index.update(_ALIASES)
    return index


_BY_NAME = _build_index()


def country_code(text: str | None, *, codes: bool = True) -> str | None:
    """The alpha-2 code for a country name, alias or code; None when it is not a country we know.

    Two-letter codes are accepted in any case only when `codes` is true, because in running text
    "in", "de" or "no" are words; alpha-3 codes only in upper case ("CAN" vs the verb "can").
    """
    if not text:
        return None
    stripped = text.strip(" .,;:()[]-")
    if codes and len(stripped) == 2 and stripped.isalpha():
        upper = stripped.upper()
        if upper == "UK":
            return "GB"
        return upper if upper in COUNTRY_NAMES else None
    if len(stripped) == 3 and stripped.isupper() and stripped in ALPHA3:
        return ALPHA3[stripped]
    key = fold(stripped)
    if len(key) == 2:
        return None
    return _BY_NAME.get(key)
