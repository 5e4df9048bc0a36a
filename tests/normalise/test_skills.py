"""Skill extraction: canonical names, aliases, and no false positives for names that are also words."""

from __future__ import annotations

import pytest

from aggregator.normalise.skills import extract_skills
from aggregator.normalise.skills_taxonomy import SKILLS, Rule


def test_taxonomy_is_large_and_unique() -> None:
    names = [skill.name for skill in SKILLS]
    assert len(names) >= 80
    assert len(set(names)) == len(names)
    assert all(skill.context for skill in SKILLS if skill.rule is not Rule.CASED and skill.forms)


# (description text, expected skills) — exact sets, so a stray match fails the row.
TEXT_CASES: list[tuple[str, set[str]]] = [
    # aliases and canonical spelling
    ("We build APIs with django and fastapi.", {"Django", "FastAPI"}),
    ("Postgres, MySQL and MongoDB in production", {"PostgreSQL", "MySQL", "MongoDB"}),
    ("Our queues: RabbitMQ; Kafka; Celery workers", {"RabbitMQ", "Kafka", "Celery"}),
    ("Deploys on k8s with Terraform", {"Kubernetes", "Terraform"}),
    ("Amazon Web Services and Google Cloud Platform", {"AWS", "GCP"}),
    ("Microsoft Azure functions", {"Azure"}),
    ("Node.js, Vue.js and ReactJS on the front", {"Node.js", "Vue.js", "React"}),
    ("C/C++ and C# experience", {"C", "C++", "C#"}),
    ("ASP.NET and .NET Core services", {".NET"}),
    ("CI/CD pipelines in GitHub Actions", {"CI/CD", "GitHub Actions"}),
    ("CI / CD with GitLab CI", {"CI/CD", "GitLab CI"}),
    ("Testing with pytest and mypy", {"pytest", "mypy"}),
    ("scikit-learn, sklearn, NumPy, pandas", {"scikit-learn", "NumPy", "Pandas"}),
    ("Apache Spark and PySpark jobs", {"Spark"}),
    ("Apache Airflow DAGs", {"Airflow"}),
    ("Elasticsearch or OpenSearch clusters", {"Elasticsearch", "OpenSearch"}),
    ("Auth with OAuth 2.0, OIDC and JWT", {"OAuth", "OpenID Connect", "JWT"}),
    ("gRPC and protobuf between services", {"gRPC", "Protocol Buffers"}),
    ("GraphQL and RESTful APIs", {"GraphQL", "REST"}),
    ("Django REST Framework (DRF) experience", {"Django", "Django REST Framework", "REST"}),
    ("SQLAlchemy models and Alembic migrations", {"SQLAlchemy", "Alembic"}),
    ("asyncio, aiohttp and Starlette", {"asyncio", "aiohttp", "Starlette"}),
    ("Pydantic v2 validation", {"Pydantic"}),
    ("Served by Gunicorn and Uvicorn behind Nginx", {"Gunicorn", "Uvicorn", "Nginx"}),
    ("Observability: Prometheus, Grafana, Datadog, Sentry", {"Prometheus", "Grafana", "Datadog", "Sentry"}),
    ("OpenTelemetry tracing", {"OpenTelemetry"}),
    ("DynamoDB and SQS on AWS", {"DynamoDB", "SQS", "AWS"}),
    ("BigQuery, Redshift and ClickHouse", {"BigQuery", "Redshift", "ClickHouse"}),
    ("python3 scripts", {"Python"}),
    ("Ruby on Rails monolith", {"Ruby on Rails", "Ruby"}),
    ("Spring Boot microservices", {"Spring Boot", "Java", "Microservices"}),
    ("websockets and Redis pub/sub", {"WebSockets", "Redis"}),
    ("Docker Compose for local dev", {"Docker"}),
    ("golang services", {"Go"}),
    # ambiguous names in a list or near a context word: taken
    ("Experience with Python, R, SQL", {"Python", "R", "SQL"}),
    ("Languages: Go, Rust or Python", {"Go", "Rust", "Python"}),
    ("We process big data with Spark and Kafka.", {"Spark", "Kafka"}),
    ("Our services are written in Go and gRPC.", {"Go", "gRPC"}),
    ("We build APIs in Flask.", {"Flask"}),
    ("Python web frameworks (e.g. FastAPI, Flask, Django)", {"Python", "FastAPI", "Flask", "Django"}),
    ("Tech stack:\n- Python\n- Go\n- Rust", {"Python", "Go", "Rust"}),
    ("Helm charts for Kubernetes", {"Helm", "Kubernetes"}),
    ("Snowflake warehouse and dbt models", {"Snowflake", "dbt"}),
    ("embedded C programming on firmware", {"C"}),
    ("Statistics in R and Python", {"R", "Python"}),
    ("Go developers wanted", {"Go"}),
    # ambiguous names in prose: not taken
    ("Go above and beyond for our customers.", set()),
    ("We are ready to go live.", set()),
    ("Series C funded startup.", set()),
    ("Vitamin C and a flask of coffee", set()),
    ("Bring a flask of coffee. Flask of water on the table.", set()),
    ("We spark innovation.", set()),
    ("Spark joy in your team.", set()),
    ("Rust never sleeps.", set()),
    ("Prevent rust on the pipes.", set()),
    ("The rest of the team is remote.", set()),
    ("Our R&D department", set()),
    ("Reports to the C-level team and VP-level peers", set()),
    ("Go-to-market strategy", set()),
    ("Plan A, B or C", set()),
    ("improving airflow in the building", set()),
    ("She is at the helm of the company.", set()),
    ("react quickly to incidents", set()),
    ("Uncover insights: Go beyond surface-level results.", set()),
    ("Where This Can Go\n\nYou will own the engineering roadmap", set()),
    ("guard rails for the team", set()),
    ("DBT (dialectical behaviour therapy) sessions", set()),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_skills_in_text(text: str, expected: set[str]) -> None:
    assert set(extract_skills("", [], text)) == expected


TITLE_CASES: list[tuple[str, set[str]]] = [
    ("Senior Go Developer", {"Go"}),
    ("Go-To-Market Lead", set()),
    ("Backend Engineer (Python/Django)", {"Python", "Django"}),
    ("Flask Developer", {"Flask"}),
    ("Senior Rust Engineer", {"Rust"}),
    ("Spark Data Engineer", {"Spark"}),
    ("Sales Lead, Spark Program", set()),
]


@pytest.mark.parametrize(("title", "expected"), TITLE_CASES)
def test_skills_in_title(title: str, expected: set[str]) -> None:
    assert set(extract_skills(title, [], "")) == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["go", "spark", "flask"], {"Go", "Spark", "Flask"}),
        (["r", "c"], {"R", "C"}),
        (["python", "django", "backend"], {"Python", "Django"}),
        (["aws lambda", "Golang"], {"AWS", "Go"}),
        (["marketing", "sales"], set()),
        # A compound in a tag is not the letter or word it starts with (Lever's team "Advertising R&D")
        (["Engineering", "Advertising R&D"], set()),
        (["go-to-market", "C-level"], set()),
    ],
)
def test_tags_are_a_trusted_context(tags: list[str], expected: set[str]) -> None:
    assert set(extract_skills("", tags, "")) == expected


def test_output_is_sorted_and_deduplicated() -> None:
    skills = extract_skills("Django Developer", ["python", "Django"], "Redis, AWS, asyncio, django, Celery")
    assert skills == ["AWS", "Celery", "Django", "Python", "Redis", "asyncio"]
    assert skills == sorted(set(skills))


def test_longest_match_wins() -> None:
    assert extract_skills("", [], "React Native apps") == ["React"]
    assert extract_skills("", [], "Spark SQL queries") == ["Spark"]


def test_html_and_odd_input_do_not_break_matching() -> None:
    assert extract_skills("", [], "Django.Flask") == ["Django"]
    assert extract_skills("", [], "") == []
    assert extract_skills("", ["", "  "], "\x00\ufeffpython") == ["Python"]
