"""Is this a Python backend role? Labelled titles and descriptions, and the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.model import Listing
from aggregator.normalise import normalise
from aggregator.normalise.classify import is_python_backend
from aggregator.normalise.skills import extract_skills
from scrapers import sources
from scrapers.sources.base import ParseContext

REAL = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real"

DJANGO_TEXT = "You will build our platform with Python and Django on PostgreSQL, with Celery workers."
GO_TEXT = "Our services are written in Go. You know Go, gRPC and Kubernetes; Go experience required."
JAVA_TEXT = "Our stack is Java and Kotlin with Spring Boot. Python scripting is a plus. Java 17."

# (title, tags, description, is a Python backend role)
LABELLED: list[tuple[str, list[str], str, bool]] = [
    ("Backend Engineer (Python)", [], "", True),
    ("Django Developer", [], "", True),
    ("Senior Python Developer", [], "", True),
    ("FastAPI Engineer", [], "", True),
    ("Python Backend Engineer", [], "", True),
    ("Lead Python Backend Engineer", [], "", True),
    ("Full Stack Engineer (Django)", [], "", True),
    ("Full Stack Developer (Django/React)", [], "", True),
    ("Senior Software Engineer", [], DJANGO_TEXT, True),
    ("Software Engineer", ["python", "backend"], "", True),
    ("Backend Engineer", [], DJANGO_TEXT, True),
    ("Back-End Developer", [], "We use Flask and SQLAlchemy.", True),
    ("Senior Software Engineer, AI", [], "Python services with FastAPI and Pydantic.", True),
    ("API Engineer", [], "Python, Python and more Python.", True),
    ("Senior Python Developer (AI)", [], "", True),
    # Hacker News posts hire several at once
    ("Senior Python engineers", [], "", True),
    ("Django developers", [], "", True),
    ("Python Data Scientists", [], "", False),
    ("Python Tutors", [], "", False),
    # not Python backend roles
    ("Frontend React Developer", [], "Our backend is Python/Django.", False),
    ("Data Analyst (Excel)", [], "Some Python is a plus.", False),
    ("Marketing Manager", [], "Familiarity with Python is a plus.", False),
    ("iOS Engineer", [], "Swift and a little Python tooling.", False),
    ("Android Engineer", [], DJANGO_TEXT, False),
    ("Data Scientist (Python)", [], DJANGO_TEXT, False),
    ("Machine Learning Engineer", [], DJANGO_TEXT, False),
    ("QA Automation Engineer (Python)", [], "", False),
    ("DevOps Engineer", [], "Python scripts, Terraform and AWS.", False),
    ("Python Tutor", [], "", False),
    ("Python Annotator", [], "", False),
    ("Java Developer", [], "Python python python", False),
    ("Backend Engineer", [], GO_TEXT, False),
    ("Software Engineer", [], JAVA_TEXT, False),
    ("Backend Engineer", [], "", False),
    ("Senior Ruby on Rails Engineer", [], "", False),
    ("React Developer", [], "Our backend is Django and Python.", False),
    ("Customer Support Specialist", ["python"], DJANGO_TEXT, False),
    ("Mentor - Software Engineering Career Track", [], DJANGO_TEXT, False),
]


@pytest.mark.parametrize(("title", "tags", "text", "expected"), LABELLED)
def test_labelled_listings(title: str, tags: list[str], text: str, expected: bool) -> None:
    skills = extract_skills(title, tags, text)
    assert is_python_backend(title, skills, tags, text) is expected


def test_backend_in_title_overrides_other_role_words() -> None:
    assert is_python_backend("Backend Engineer, Machine Learning Platform (Python)", [], [], "")


def _real(source: str, name: str) -> list[Listing]:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real payload {name} not present (the corpus lives in ../shared/fixtures/real)")
    page = sources.get(source).parse(path.read_bytes(), ParseContext())
    return [normalise(raw) for raw in page.listings]


def test_real_pythonorg_feed_is_mostly_python_backend() -> None:
    listings = {listing.title: listing for listing in _real("pythonorg", "pythonorg-1.rss")}
    assert listings["Lead Python Backend Engineer"].python_backend is True
    assert listings["Lead Python Backend Engineer"].seniority == "lead"
    assert listings["Full Stack Engineer (Django)"].python_backend is True
    assert {"Django", "Django REST Framework", "Python"} <= set(listings["Full Stack Engineer (Django)"].skills)
    assert listings["Machine Learning Engineer for Agentic AI"].python_backend is False
    assert listings["Python Annotator"].python_backend is False


def test_real_remotive_feed() -> None:
    listings = {listing.external_id: listing for listing in _real("remotive", "remotive-1.json")}
    data_lead = listings["2069747"]
    assert data_lead.title == "Tech Lead Databricks Data Engineer"
    assert data_lead.seniority == "lead"
    assert data_lead.employment_type == "full_time"
    assert {"Airflow", "Databricks", "Spark", "Python", "Scala"} <= set(data_lead.skills)
    assert data_lead.python_backend is False
    assert data_lead.posted_at is not None and data_lead.posted_at.isoformat() == "2025-12-14T20:45:33+00:00"
    assert listings["2088265"].employment_type == "contract"
