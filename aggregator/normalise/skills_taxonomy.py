"""The skills taxonomy of the Python backend field: canonical names, their aliases and, for names that
are also ordinary words or letters ("Go", "R", "Spark", "Flask"), the rule that must hold before one
counts as a skill.

This module is data only; `aggregator.normalise.skills` compiles it into a lookup table once.
Aliases are matched case-insensitively on word boundaries and may span up to three words
("Apache Spark", "Google Cloud Platform"). Guarded forms are matched with their exact case and
then checked against the rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Rule(enum.Enum):
    """How much evidence a guarded form needs, besides its exact case, to count as the skill."""

    #: The exact case is enough ("REST" the style, not "the rest"; "dbt" the tool, not DBT the therapy).
    CASED = "cased"
    #: A capitalised name: enough mid-sentence, but at the start of a sentence (where every word is
    #: capitalised) it needs a list or a context word too ("Flask of coffee" is not Flask).
    NAME = "name"
    #: Always needs a list of other skills around it or a context word nearby ("Python, R, SQL",
    #: "Go developer", "Spark on big data" — not "Go above and beyond" or "Series C").
    STRICT = "strict"


@dataclass(frozen=True, slots=True)
class Skill:
    """One canonical skill.

    `aliases` are unambiguous spellings, matched in any case. `forms` are ambiguous spellings,
    matched only in the exact case written here and only when `rule` holds; tags stated by the
    source are trusted and accept them in any case.
    """

    name: str
    aliases: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    rule: Rule = Rule.CASED
    #: Lower-case words that, near a guarded form, show it is meant as the skill.
    context: frozenset[str] = frozenset()
    #: Skills that naming this one names too ("Django REST Framework" is Django and REST).
    implies: tuple[str, ...] = ()


_PROGRAMMING = frozenset({
    "programming", "language", "languages", "developer", "developers", "engineer", "engineers",
    "code", "codebase", "written",
})
_DATA = frozenset({
    "data", "big", "hadoop", "etl", "elt", "databricks", "hive", "kafka", "airflow", "scala", "pipeline",
    "pipelines", "streaming", "batch", "emr", "lakehouse", "flink", "dataframe", "dataframes", "sql",
    "cluster", "clusters", "distributed", "presto", "trino", "warehouse", "warehousing", "dbt",
})
_PY_WEB = frozenset({
    "python", "django", "fastapi", "api", "apis", "web", "framework", "frameworks", "developer",
    "engineer", "backend", "sqlalchemy", "app", "apps", "application", "microservices", "rest",
})
_FRONTEND = frozenset({
    "javascript", "typescript", "frontend", "front", "redux", "components", "hooks", "developer",
    "engineer", "native", "ui", "js", "rxjs", "framework",
})

SKILLS: tuple[Skill, ...] = (
    # Languages
    Skill("Python", aliases=("python", "python3", "python 3", "python2", "cpython")),
    Skill("Go", aliases=("golang", "go lang"), forms=("Go",), rule=Rule.STRICT,
          context=_PROGRAMMING | {"backend", "microservices", "services", "goroutines", "gin", "grpc"}),
    Skill("Rust", aliases=("rustlang", "rust-lang"), forms=("Rust",), rule=Rule.STRICT,
          context=_PROGRAMMING | {"backend", "systems", "tokio", "cargo", "wasm", "webassembly"}),
    Skill("C", forms=("C",), rule=Rule.STRICT,
          context=_PROGRAMMING | {"embedded", "firmware", "kernel", "compiler", "compilers"}),
    Skill("C++", aliases=("c++", "cpp")),
    Skill("C#", aliases=("c#", "csharp", "c sharp")),
    Skill("R", forms=("R",), rule=Rule.STRICT,
          context=frozenset({"statistics", "statistical", "rstudio", "tidyverse", "cran", "shiny",
                             "programming", "language", "languages", "sas", "stata", "spss", "matlab",
                             "ggplot2"})),
    Skill("Java", aliases=("java",)),
    Skill("Kotlin", aliases=("kotlin",)),
    Skill("Scala", aliases=("scala",)),
    Skill("JavaScript", aliases=("javascript", "ecmascript", "js", "es6")),
    Skill("TypeScript", aliases=("typescript",)),
    Skill("Ruby", aliases=("ruby",)),
    Skill("PHP", aliases=("php",)),
    Skill("Elixir", aliases=("elixir",)),
    Skill("Bash", aliases=("bash", "shell scripting", "shell scripts")),
    Skill("SQL", aliases=("sql",)),
    Skill("Cython", aliases=("cython",)),
    # Python web and async
    Skill("Django", aliases=("django",)),
    Skill("Django REST Framework", aliases=("django rest framework", "django-rest-framework", "drf"),
          implies=("Django", "REST")),
    Skill("Flask", aliases=("flask-restful", "flask-restx"), forms=("Flask",), rule=Rule.NAME,
          context=_PY_WEB),
    Skill("FastAPI", aliases=("fastapi", "fast api")),
    Skill("aiohttp", aliases=("aiohttp",)),
    Skill("Starlette", aliases=("starlette",)),
    Skill("Tornado", forms=("Tornado",), rule=Rule.STRICT,
          context=frozenset({"python", "web", "framework", "asyncio", "async", "server", "django", "flask"})),
    Skill("asyncio", aliases=("asyncio", "async io", "async/await")),
    Skill("Pydantic", aliases=("pydantic",)),
    Skill("SQLAlchemy", aliases=("sqlalchemy", "sql alchemy")),
    Skill("Alembic", aliases=("alembic",)),
    Skill("Celery", aliases=("celery",)),
    Skill("Gunicorn", aliases=("gunicorn",)),
    Skill("Uvicorn", aliases=("uvicorn",)),
    Skill("Jinja", aliases=("jinja", "jinja2")),
    Skill("pytest", aliases=("pytest", "py.test")),
    Skill("mypy", aliases=("mypy",)),
    # Data and ML in Python
    Skill("NumPy", aliases=("numpy",)),
    Skill("Pandas", aliases=("pandas",)),
    Skill("SciPy", aliases=("scipy",)),
    Skill("scikit-learn", aliases=("scikit-learn", "scikit learn", "sklearn")),
    Skill("PyTorch", aliases=("pytorch",)),
    Skill("TensorFlow", aliases=("tensorflow",)),
    Skill("Jupyter", aliases=("jupyter", "jupyterlab")),
    Skill("Polars", aliases=("polars",)),
    Skill("Dask", aliases=("dask",)),
    Skill("Airflow", aliases=("apache airflow",), forms=("Airflow", "airflow"), rule=Rule.STRICT,
          context=frozenset({"dags", "dag", "data", "pipeline", "pipelines", "etl", "orchestration",
                             "python", "spark", "dbt", "kafka", "workflows"})),
    Skill("Spark", aliases=("apache spark", "pyspark", "spark sql"), forms=("Spark",), rule=Rule.STRICT,
          context=_DATA),
    Skill("Hadoop", aliases=("hadoop",)),
    Skill("Flink", aliases=("flink",)),
    Skill("dbt", aliases=("data build tool", "dbt-core"), forms=("dbt",), rule=Rule.CASED),
    Skill("Databricks", aliases=("databricks",)),
    # Storage
    Skill("PostgreSQL", aliases=("postgresql", "postgres", "postgre", "psql", "postgis")),
    Skill("MySQL", aliases=("mysql",)),
    Skill("MariaDB", aliases=("mariadb",)),
    Skill("SQLite", aliases=("sqlite", "sqlite3")),
    Skill("MongoDB", aliases=("mongodb", "mongo")),
    Skill("Redis", aliases=("redis",)),
    Skill("Memcached", aliases=("memcached", "memcache")),
    Skill("Cassandra", aliases=("cassandra",)),
    Skill("DynamoDB", aliases=("dynamodb", "dynamo db")),
    Skill("Elasticsearch", aliases=("elasticsearch", "elastic search")),
    Skill("OpenSearch", aliases=("opensearch",)),
    Skill("ClickHouse", aliases=("clickhouse",)),
    Skill("Snowflake", forms=("Snowflake",), rule=Rule.NAME,
          context=frozenset({"data", "warehouse", "sql", "dbt", "bigquery", "redshift", "etl", "analytics"})),
    Skill("BigQuery", aliases=("bigquery", "big query")),
    Skill("Redshift", aliases=("redshift",)),
    Skill("Neo4j", aliases=("neo4j",)),
    Skill("NoSQL", aliases=("nosql",)),
    # Messaging
    Skill("Kafka", aliases=("kafka", "apache kafka")),
    Skill("RabbitMQ", aliases=("rabbitmq", "rabbit mq")),
    Skill("SQS", aliases=("sqs",)),
    # Infrastructure and delivery
    Skill("Docker", aliases=("docker", "dockerfile", "docker-compose", "docker compose")),
    Skill("Kubernetes", aliases=("kubernetes", "k8s", "eks", "gke", "aks")),
    Skill("Helm", forms=("Helm", "helm"), rule=Rule.STRICT,
          context=frozenset({"kubernetes", "k8s", "chart", "charts", "argo", "argocd", "manifests",
                             "kustomize"})),
    Skill("Terraform", aliases=("terraform",)),
    Skill("Ansible", aliases=("ansible",)),
    Skill("Pulumi", aliases=("pulumi",)),
    Skill("AWS", aliases=("aws", "amazon web services")),
    Skill("GCP", aliases=("gcp", "google cloud", "google cloud platform")),
    Skill("Azure", aliases=("azure", "microsoft azure")),
    Skill("Heroku", aliases=("heroku",)),
    Skill("Linux", aliases=("linux", "ubuntu", "debian")),
    Skill("Nginx", aliases=("nginx",)),
    Skill("Git", aliases=("git",)),
    Skill("GitHub Actions", aliases=("github actions",)),
    Skill("GitLab CI", aliases=("gitlab ci", "gitlab-ci", "gitlab ci/cd")),
    Skill("Jenkins", aliases=("jenkins",)),
    Skill("CI/CD", aliases=("ci/cd", "cicd", "ci cd", "ci-cd", "continuous integration",
                            "continuous delivery", "continuous deployment")),
    Skill("Serverless", aliases=("serverless",)),
    Skill("Microservices", aliases=("microservices", "microservice", "micro-services",
                                    "microservice architecture")),
    # Observability
    Skill("Prometheus", aliases=("prometheus",)),
    Skill("Grafana", aliases=("grafana",)),
    Skill("Datadog", aliases=("datadog",)),
    Skill("Sentry", aliases=("sentry",)),
    Skill("OpenTelemetry", aliases=("opentelemetry", "otel")),
    # APIs and protocols
    Skill("REST", aliases=("restful", "rest api", "rest apis", "rest-api", "rest-apis", "rest-ful"),
          forms=("REST",), rule=Rule.CASED),
    Skill("GraphQL", aliases=("graphql",)),
    Skill("gRPC", aliases=("grpc",)),
    Skill("Protocol Buffers", aliases=("protobuf", "protobufs", "protocol buffers")),
    Skill("WebSockets", aliases=("websocket", "websockets", "web sockets")),
    Skill("OpenAPI", aliases=("openapi", "swagger")),
    Skill("JWT", aliases=("jwt", "jwts", "json web token", "json web tokens")),
    Skill("OAuth", aliases=("oauth", "oauth2", "oauth 2", "oauth 2.0", "oauth2.0")),
    Skill("OpenID Connect", aliases=("openid connect", "oidc")),
    # Web front of the stack, named in many backend listings
    Skill("HTML", aliases=("html", "html5")),
    Skill("CSS", aliases=("css", "css3")),
    Skill("React", aliases=("react.js", "reactjs", "react js", "react native"), forms=("React",),
          rule=Rule.NAME, context=_FRONTEND),
    Skill("Vue.js", aliases=("vue", "vue.js", "vuejs")),
    Skill("Angular", aliases=("angularjs",), forms=("Angular",), rule=Rule.NAME, context=_FRONTEND),
    Skill("Node.js", aliases=("node.js", "nodejs", "node js")),
    Skill("Ruby on Rails", aliases=("ruby on rails", "rubyonrails"), forms=("Rails",), rule=Rule.NAME,
          context=frozenset({"ruby", "developer", "engineer", "activerecord", "framework"}), implies=("Ruby",)),
    Skill("Laravel", aliases=("laravel",), implies=("PHP",)),
    Skill("Spring Boot", aliases=("spring boot", "spring framework"), implies=("Java",)),
    Skill(".NET", aliases=(".net", "dotnet", "asp.net", ".net core")),
    # Practices
    Skill("TDD", aliases=("tdd", "test-driven development", "test driven development")),
)
