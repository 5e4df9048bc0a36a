"""Seniority (title, then level field, then years asked for) and employment type."""

from __future__ import annotations

import pytest

from aggregator.normalise.seniority import LEVELS, employment_type, seniority

TITLES: list[tuple[str, str | None]] = [
    ("Software Engineering Intern", "intern"),
    ("Internship - Backend (Python)", "intern"),
    ("Werkstudent Softwareentwicklung", "intern"),
    ("Junior Python Developer", "junior"),
    ("Jr. Backend Engineer", "junior"),
    ("Graduate Software Engineer", "junior"),
    ("Entry level Django developer", "junior"),
    ("Entry-Level Data Engineer", "junior"),
    ("Customer Outreach Specialist I", "junior"),
    ("Mid-level Backend Engineer", "mid"),
    ("Mid Python Developer", "mid"),
    ("Intermediate Software Developer", "mid"),
    ("Software Engineer II", "mid"),
    ("Software Engineer III", "senior"),
    ("Senior Backend Engineer", "senior"),
    ("Sr. Python Developer", "senior"),
    ("Sr Software Engineer - Backend", "senior"),
    ("Staff Software Engineer", "lead"),
    ("Senior Staff Engineer", "lead"),
    ("Staff Applied Research Scientist", "lead"),
    ("Lead Python Engineer", "lead"),
    ("Tech Lead (Django)", "lead"),
    ("Team Lead, Platform", "lead"),
    ("Head of Engineering", "lead"),
    ("Director of Engineering", "lead"),
    ("Principal Engineer", "principal"),
    ("Distinguished Engineer", "principal"),
    ("VP of Engineering", "principal"),
    ("CTO", "principal"),
    ("CFO", "principal"),  # every chief, not only the technical ones (a RemoteOK CFO ad read lead from years)
    ("CISO, Remote", "principal"),
    # ranges read as their lower bound
    ("Junior/Mid Python Developer", "junior"),
    ("Software Engineer, Python - Mid / Senior", "mid"),
    ("Senior to Lead Backend Engineer", "senior"),
    # words that are not levels here
    ("Backend Engineer", None),
    ("Internal Tools Engineer", None),
    ("International Sales Rep", None),
    ("Lead Generation Specialist", None),
    ("Staff Accountant", None),
    ("Senior Living Community Manager", None),
    ("Account Executive, Mid Market - UKI", None),
    ("Mid Market Account Executive", None),
    ("Senior Account Executive, Mid-Market", "senior"),
    # the person a role works for is not its level
    ("Executive Assistant to the CTO", None),
    ("Executive Assistant to the VP of Engineering", None),
    ("Office of the CTO - Software Engineer", None),
    ("Staff Engineer, Office of the CTO", "lead"),
    ("Senior Executive Assistant to the Chief Executive Officer", "senior"),
    ("Chief of Staff", None),
    ("Chief Technology Officer", "principal"),
    ("VP of Engineering", "principal"),
    ("Data Entry Clerk", None),
    ("Mid-market Account Executive", None),
    ("Engineer, World War II Museum", None),
]


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_seniority_from_title(title: str, expected: str | None) -> None:
    assert seniority(title) == expected


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("Mid-level", "mid"),
        ("Entry-level", "junior"),
        ("Senior", "senior"),
        ("Senior, Director", "senior"),
        ("Executive", "principal"),
        ("Any", None),
        ("Manager", None),
        ("Midweight", "mid"),
        # The LinkedIn ladder (Workable, SmartRecruiters)
        ("Internship", "intern"),
        ("Entry level", "junior"),
        ("Associate", "mid"),
        ("Mid-Senior level", "senior"),
        ("Director", "lead"),
        ("Not Applicable", None),
    ],
)
def test_seniority_from_the_sources_level_field(hint: str, expected: str | None) -> None:
    assert seniority("Backend Engineer", hint=hint) == expected


def test_title_wins_over_hint_and_text() -> None:
    assert seniority("Staff Engineer", hint="Senior", text="2+ years of experience") == "lead"
    assert seniority("Engineer", hint="Junior", text="10+ years of experience") == "junior"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You have 1 year of experience with Python.", "junior"),
        ("0-2 years experience", "junior"),
        ("2+ years of professional experience", "mid"),
        ("3-5 years of experience building APIs", "mid"),
        ("3 to 5 yrs of backend experience", "mid"),
        ("5+ years of experience with Python.", "senior"),
        ("Experience: 4+ years", "senior"),
        ("five years of experience in software", "senior"),
        ("at least 7 years in software development", "senior"),
        ("minimum of 6 years of industry experience", "senior"),
        ("8+ years of hands-on experience", "lead"),
        ("Experience: 10+ yrs", "lead"),
        ("12+ years of professional experience", "principal"),
        ("2 years of experience with Docker and 8+ years of backend experience", "lead"),
        ("We were founded 12 years ago.", None),
        ("Our 401k vests over 4 years.", None),
        ("In 2024 years of work paid off.", None),
        ("", None),
    ],
)
def test_seniority_from_years_of_experience(text: str, expected: str | None) -> None:
    assert seniority("Backend Engineer", text=text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("full_time", "full_time"),
        ("Full-Time", "full_time"),
        ("FULL_TIME", "full_time"),
        ("FullTime", "full_time"),
        ("Full time", "full_time"),
        ("full-time", "full_time"),
        ("Vollzeit", "full_time"),
        ("Part Time", "part_time"),
        ("part_time", "part_time"),
        ("Part-time", "part_time"),
        ("Contractor", "contract"),
        ("contract", "contract"),
        ("Freelance", "contract"),
        ("Intern", "internship"),
        ("Internship", "internship"),
        ("TEMPORARY", "temporary"),
        ("Fixed-term", "temporary"),
        ("Permanent", None),
        ("Other", None),
        ("", None),
        (None, None),
        ("full-time, contract", "full_time"),
        (["FULL_TIME", "PART_TIME"], "full_time"),
        (["professional / experienced", "full time"], "full_time"),
    ],
)
def test_employment_type_vocabularies(value: str | list[str] | None, expected: str | None) -> None:
    assert employment_type(value) == expected


@pytest.mark.parametrize(
    ("value", "title", "expected"),
    [
        (None, "Backend Engineer (Contract)", "contract"),
        (None, "Python Contractor", "contract"),
        (None, "Part-time Django Developer", "part_time"),
        (None, "Software Engineering Intern", "internship"),
        (None, "Contract Manager", None),
        (None, "Backend Engineer", None),
        ("FullTime", "Software Engineering Intern", "internship"),
        ("Contract", "Backend Engineer (Full-time)", "contract"),
    ],
)
def test_employment_type_from_title(value: str | None, title: str, expected: str | None) -> None:
    assert employment_type(value, title=title) == expected


def test_levels_are_the_contracts_enum() -> None:
    assert LEVELS == ("intern", "junior", "mid", "senior", "lead", "principal")
