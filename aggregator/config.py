"""Settings from `HIREWIRE_*` variables and the TOML file, validated once at start-up.

Every value is a plain typed field with a default; a bad value raises `ConfigError` naming the
setting, which the command line prints as one line. Nothing here is global: callers pass
`Settings` along.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import getaddresses
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import platformdirs

from aggregator.delivery_policy import DeliveryPolicy
from aggregator.errors import ConfigError
from aggregator.forwarded import Network, parse_networks
from aggregator.ssrf import names_private_host
from scrapers import sources as registry

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object, setting: str) -> float:
    """Seconds in "90s", "30m", "6h" or "1d", from the TOML file or an environment variable.

    The unit is required: a bare number (`every = 6`) is seconds to a parser and may be hours to
    whoever wrote it, and a source read every 6 s instead of every 6 h is hammered. So a number
    without a unit is refused with the spellings to choose from, not guessed.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match:
        raise ConfigError(setting, f"{value!r} is not a duration such as 30s, 30m, 6h or 1d")
    number, unit = match.groups()
    if unit is None:
        raise ConfigError(setting, f"{number} has no unit: write \"{number}s\", \"{number}m\", \"{number}h\" "
                                   f"or \"{number}d\"")
    seconds = float(number) * _UNIT[unit]
    if seconds <= 0:
        raise ConfigError(setting, "must be greater than zero")
    return seconds


def default_data_dir() -> Path:
    """The user's data directory; /var/lib/hirewire for root, as for any system daemon.

    (The embedded PostgreSQL runs as an unprivileged user when started by root and must be able to
    traverse every folder above its data, which a home directory like /root does not allow.)
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib/hirewire")
    return Path(platformdirs.user_data_dir("hirewire"))


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """One source's effective settings: its adapter's defaults overridden by the TOML table."""

    name: str
    enabled: bool
    url: str
    every: float
    rate: float
    burst: int
    concurrency: int
    max_pages: int
    robots: bool
    boards: tuple[str, ...]
    feeds: tuple[str, ...]
    pages: tuple[str, ...]
    content_types: tuple[str, ...]
    #: Keep listings that are not Python backend roles (default: only Python backend).
    keep_all: bool = False
    #: Send If-None-Match / If-Modified-Since (a switch for servers that get caching wrong).
    conditional: bool = True

    def missing_targets(self) -> str | None:
        """What to configure when the source has nothing to read (an ATS source with no boards, a
        generic one left at its placeholder URL); None when it has something."""
        where = f"[sources.{self.name}]"
        if self.feeds or self.pages:
            return None
        if "{board}" in self.url and not self.boards:
            return f"no boards to read: set boards = [\"…\"] under {where}"
        if self.name in _GENERIC and self.url == registry.get(self.name).defaults.url:
            what = "feeds" if self.name == "rss" else "pages"
            return f"no {what} to read: set {what} = [\"https://…\"] under {where}"
        return None

    def start_urls(self) -> list[tuple[str, str | None]]:
        """The URLs a run starts from, each with the board it was built for."""
        if self.feeds:
            return [(url, None) for url in self.feeds]
        if self.pages:
            return [(url, None) for url in self.pages]
        if "{board}" in self.url:
            return [(self.url.replace("{board}", board), board) for board in self.boards]
        return [(self.url, None)]


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent_contact: str = "https://github.com/hirewire/hirewire"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    max_attempts: int = 4
    max_retry_after: float = 600.0
    backoff_base: float = 1.0
    #: Upper bound on how far a failing source's schedule is pushed back.
    max_backoff: float = 24 * 3600.0
    #: How long a worker's per-host concurrency slot outlives the worker if it dies (renewed while alive).
    lease: float = 30.0
    #: robots.txt verdicts are reused this long (RFC 9309: at most 24 h); an unreachable one only briefly.
    robots_ttl: float = 24 * 3600.0
    robots_error_ttl: float = 600.0
    #: Whether any fetch may reach loopback, private and link-local addresses (never cloud metadata).
    #: Off, only a source configured on such an address literal (or localhost) is read there; a feed,
    #: sitemap, redirect or DNS answer cannot steer the crawler into the operator's network.
    allow_private: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = field(default_factory=lambda: default_data_dir())
    config_path: Path | None = None
    smtp_url: str | None = None
    mail_from: str = "hirewire <alerts@localhost>"
    public_url: str = "http://127.0.0.1:8080"
    secret_key: str = ""
    allow_private_destinations: bool = False
    api_key: str | None = None
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    log_format: str = "auto"
    #: Prefix for every Redis key hirewire writes (queue, rate limits, locks); lets runs share a server.
    redis_prefix: str = "hirewire"
    #: Size of the asyncpg statement cache; 0 behind pgbouncer in transaction mode.
    statement_cache_size: int = 100
    #: Days the raw item of a posting is kept for re-parsing; the sweep deletes older ones.
    raw_retention_days: int = 30
    #: Days the record of each fetch attempt (`fetch_runs`) is kept; the sweep deletes older ones.
    fetch_log_days: int = 30
    #: Connections one batch of new jobs is matched on at once (PostgreSQL runs each on one core).
    match_connections: int = 2
    #: Seconds a worker may go without a heartbeat before other workers run its jobs again.
    dead_worker_after: float = 30.0
    #: Reverse proxies whose X-Forwarded-For is believed when telling API clients apart.
    trusted_proxies: tuple[Network, ...] = ()
    fetch: FetchSettings = field(default_factory=FetchSettings)
    delivery: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    sources: Mapping[str, SourceSettings] = field(default_factory=dict)

    @property
    def queue_name(self) -> str:
        return f"{self.redis_prefix}:queue"

    def source(self, name: str) -> SourceSettings:
        return self.sources[name]

    def with_urls(self, database_url: str, redis_url: str) -> Settings:
        return replace(self, database_url=database_url, redis_url=redis_url)


def _bool(value: object, setting: str) -> bool:
    """true/false from TOML; also 1/0, yes/no, on/off as text (environment variables are text).

    A TOML number (`enabled = 1`) is refused rather than read as a truth value: it is as likely a
    slip for something else, and the file has true and false for this.
    """
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise ConfigError(setting, f"{value!r} is not true or false")
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(setting, f"{value!r} is not true or false")


def _url(value: str, setting: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.netloc or parts.query or parts.path):
        raise ConfigError(setting, f"must be a URL with scheme {' or '.join(schemes)}")
    return value


#: The query parameters an SMTP URL may carry (what `workers.notify.smtp.parse_smtp_url` reads).
_SMTP_PARAMETERS = ("cafile", "starttls")
_MAIL_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")


def _port(url: str, setting: str) -> None:
    """A URL's port, when it has one, is a number a socket can use (the drivers raise a bare ValueError)."""
    try:
        port = urlsplit(url).port
    except ValueError:
        port = 0
    if port == 0:
        raise ConfigError(setting, "the port must be a number from 1 to 65535")


def _smtp_url(value: str) -> str:
    """An SMTP URL the sender can use: a host, a numeric port, only the parameters it knows.

    Checked here because the sender only reads it when the first message goes out, where a typo
    would surface as failed deliveries instead of a line at start-up. Messages never repeat the
    URL: it may carry the relay's password.
    """
    setting = "HIREWIRE_SMTP_URL"
    _url(value, setting, ("smtp", "smtps"))
    _port(value, setting)
    parts = urlsplit(value)
    if not parts.hostname:
        raise ConfigError(setting, "names no host: smtp://user:password@host:port")
    for name, values in parse_qs(parts.query, keep_blank_values=True).items():
        if name not in _SMTP_PARAMETERS:
            raise ConfigError(setting, f"unknown parameter {name!r} (known: {', '.join(_SMTP_PARAMETERS)})")
        # Exactly the spellings the sender tells apart: any other would quietly mean no STARTTLS.
        if name == "starttls" and values[-1].lower() not in ("1", "true", "yes", "0", "false", "no", ""):
            raise ConfigError(setting, f"starttls={values[-1]!r} is not true or false")
    return value


def _mail_from(value: str) -> str:
    """`Name <address>` or a bare address: the sender of every email, so it must have one address."""
    addresses = getaddresses([value])
    if "\r" in value or "\n" in value or len(addresses) != 1 or not _MAIL_ADDRESS.match(addresses[0][1]):
        raise ConfigError("HIREWIRE_MAIL_FROM",
                          f"{value!r} is not an address such as \"hirewire <alerts@example.org>\"")
    return value


def parse_int(value: Any, setting: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`, or a ConfigError naming the setting."""
    if isinstance(value, float) and not value.is_integer():  # int() would quietly drop the fraction
        raise ConfigError(setting, f"{value!r} is not a whole number")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(setting, f"{value!r} is not a whole number") from None
    if isinstance(value, bool) or not low <= number <= high:
        raise ConfigError(setting, f"must be between {low} and {high}")
    return number


def parse_float(value: Any, setting: str, low: float) -> float:
    """A number of at least `low`; NaN and infinity (which TOML and float() both accept) are none."""
    if isinstance(value, bool):
        raise ConfigError(setting, f"{value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(setting, f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ConfigError(setting, f"{value!r} is not a finite number")
    if number < low:
        raise ConfigError(setting, f"must be at least {low}")
    return number


def _strings(value: Any, setting: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(setting, "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


#: Sources with no endpoint of their own: they read the feeds or pages the operator lists.
_GENERIC = ("rss", "jsonld")
_SOURCE_KEYS = {"enabled", "url", "every", "rate", "burst", "concurrency", "max_pages", "robots", "boards",
                "feeds", "pages", "keep_all", "conditional", "content_types"}


def _source_settings(name: str, table: Mapping[str, Any]) -> SourceSettings:
    defaults = registry.get(name).defaults
    where = f"sources.{name}"
    unknown = set(table) - _SOURCE_KEYS
    if unknown:
        raise ConfigError(f"{where}.{sorted(unknown)[0]}", f"unknown key (known: {', '.join(sorted(_SOURCE_KEYS))})")
    url = table.get("url", defaults.url)
    if not isinstance(url, str):
        raise ConfigError(f"{where}.url", "must be a string")
    _url(url, f"{where}.url", ("http", "https"))
    feeds = _strings(table["feeds"], f"{where}.feeds") if "feeds" in table else ()
    pages = _strings(table["pages"], f"{where}.pages") if "pages" in table else ()
    for i, extra in enumerate((*feeds, *pages)):
        _url(extra, f"{where}.{'feeds' if i < len(feeds) else 'pages'}", ("http", "https"))
    generic = name in _GENERIC
    enabled_default = not generic and not ("{board}" in defaults.url and not defaults.boards)
    boards = _strings(table["boards"], f"{where}.boards") if "boards" in table else defaults.boards
    if "{board}" in url and boards:
        enabled_default = True
    if generic and (feeds or pages):
        enabled_default = True
    settings = SourceSettings(
        name=name,
        enabled=_bool(table.get("enabled", enabled_default), f"{where}.enabled"),
        url=url,
        every=parse_duration(table.get("every", defaults.every), f"{where}.every"),
        rate=parse_float(table.get("rate", defaults.rate), f"{where}.rate", 0.001),
        burst=parse_int(table.get("burst", defaults.burst), f"{where}.burst", 1, 1000),
        concurrency=parse_int(table.get("concurrency", defaults.concurrency), f"{where}.concurrency", 1, 100),
        max_pages=parse_int(table.get("max_pages", defaults.max_pages), f"{where}.max_pages", 1, 10_000),
        robots=_bool(table.get("robots", defaults.robots), f"{where}.robots"),
        boards=boards,
        feeds=feeds,
        pages=pages,
        content_types=(_strings(table["content_types"], f"{where}.content_types")
                       if "content_types" in table else defaults.content_types),
        keep_all=_bool(table.get("keep_all", False), f"{where}.keep_all"),
        conditional=_bool(table.get("conditional", True), f"{where}.conditional"),
    )
    if settings.enabled and (missing := settings.missing_targets()):
        raise ConfigError(f"{where}.enabled", f"the source is enabled but has {missing}")
    return settings


_TABLES = ("sources", "fetch", "delivery")
_FETCH_KEYS = {"contact", "connect_timeout", "read_timeout", "total_timeout", "max_bytes", "max_redirects",
               "max_attempts", "max_retry_after", "backoff_base", "max_backoff", "lease", "robots_ttl",
               "robots_error_ttl"}
#: The `[delivery]` keys, each with the environment variable that overrides it.
_DELIVERY_KEYS = {"retry_schedule": "HIREWIRE_DELIVERY_RETRY_SCHEDULE", "lease": "HIREWIRE_DELIVERY_LEASE",
                  "webhook_timeout": "HIREWIRE_WEBHOOK_TIMEOUT", "smtp_timeout": "HIREWIRE_SMTP_TIMEOUT",
                  "smtp_connections": "HIREWIRE_SMTP_CONNECTIONS", "webhook_rate": "HIREWIRE_WEBHOOK_RATE",
                  "webhook_concurrency": "HIREWIRE_WEBHOOK_CONCURRENCY"}


def _table(document: Mapping[str, Any], name: str, known: set[str] | dict[str, str]) -> Mapping[str, Any]:
    """A top-level table of the file, refusing keys it does not know (a typo would be silently ignored)."""
    table = document.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(name, "must be a table")
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(f"{name}.{sorted(unknown)[0]}", f"unknown key (known: {', '.join(sorted(known))})")
    return table


def _delivery_policy(table: Mapping[str, Any], env: Callable[[str], str | None]) -> DeliveryPolicy:
    """The `[delivery]` table, each key overridden by its environment variable; errors name where it came from."""

    def setting(key: str) -> tuple[Any, str]:
        variable = _DELIVERY_KEYS[key]
        if (value := env(variable)) is not None:
            return value, variable
        return table.get(key), f"delivery.{key}"

    base = DeliveryPolicy()
    value, where = setting("retry_schedule")
    schedule = base.schedule
    if value is not None:
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list):
            raise ConfigError(where, "must be a list of delays such as 5s, 1m, 1h")
        schedule = tuple(parse_duration(part, where) for part in parts if not isinstance(part, str) or part.strip())
        if not schedule:
            raise ConfigError(where, "must list at least one delay")

    def seconds(key: str, default: float) -> float:
        value, where = setting(key)
        return default if value is None else parse_duration(value, where)

    def count(key: str, default: int, most: int) -> int:
        value, where = setting(key)
        return default if value is None else parse_int(value, where, 1, most)

    def rate(key: str, default: float) -> float:
        value, where = setting(key)
        return default if value is None else parse_float(value, where, 0.001)

    policy = DeliveryPolicy(
        schedule=schedule,
        lease=seconds("lease", base.lease),
        webhook_timeout=seconds("webhook_timeout", base.webhook_timeout),
        smtp_timeout=seconds("smtp_timeout", base.smtp_timeout),
        smtp_connections=count("smtp_connections", base.smtp_connections, 64),
        destination_rate=rate("webhook_rate", base.destination_rate),
        destination_concurrency=count("webhook_concurrency", base.destination_concurrency, 1000))
    longest = max(policy.webhook_timeout, policy.smtp_timeout)
    if policy.lease <= longest:
        raise ConfigError(setting("lease")[1], f"must exceed the longest send ({longest:g} s), or a slow send "
                                               "could be claimed and sent twice")
    return policy


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError("HIREWIRE_CONFIG", f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError("HIREWIRE_CONFIG", f"{path}: a directory, not a TOML file") from None
    except OSError as exc:
        raise ConfigError("HIREWIRE_CONFIG", f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError("HIREWIRE_CONFIG", f"{path}: not UTF-8 text, so not TOML") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("HIREWIRE_CONFIG", f"{path}: invalid TOML ({exc})") from None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings for this process; raises ConfigError naming the first bad setting."""
    env = os.environ if env is None else env

    def get(name: str) -> str | None:
        value = env.get(name)
        return value if value not in (None, "") else None

    config_path = Path(p) if (p := get("HIREWIRE_CONFIG")) else None
    document = _read_toml(config_path) if config_path else {}
    source_tables = document.get("sources", {})
    if not isinstance(source_tables, dict):
        raise ConfigError("sources", "must be a table of [sources.NAME] tables")
    for name, table in source_tables.items():
        if name not in registry.NAMES:
            raise ConfigError(f"sources.{name}", f"unknown source (known: {', '.join(registry.NAMES)})")
        if not isinstance(table, dict):
            raise ConfigError(f"sources.{name}", "must be a table")
    sources = {name: _source_settings(name, source_tables.get(name, {})) for name in registry.NAMES}

    for name in document:
        if name not in _TABLES:
            raise ConfigError(name, f"unknown table (known: {', '.join(_TABLES)})")
    fetch_table = _table(document, "fetch", _FETCH_KEYS)
    delivery = _delivery_policy(_table(document, "delivery", _DELIVERY_KEYS), get)
    base = FetchSettings()

    def seconds(key: str, default: float) -> float:
        return parse_duration(fetch_table[key], f"fetch.{key}") if key in fetch_table else default

    contact = fetch_table.get("contact", base.user_agent_contact)
    if not isinstance(contact, str) or not contact.strip():
        raise ConfigError("fetch.contact", "must be a non-empty string (a URL or an email address)")
    allow_private = _bool(get("HIREWIRE_ALLOW_PRIVATE_DESTINATIONS") or "false", "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS")
    fetch = FetchSettings(
        allow_private=allow_private,
        user_agent_contact=contact,
        connect_timeout=parse_float(fetch_table.get("connect_timeout", base.connect_timeout),
                                    "fetch.connect_timeout", 0.01),
        read_timeout=parse_float(fetch_table.get("read_timeout", base.read_timeout), "fetch.read_timeout", 0.01),
        total_timeout=parse_float(fetch_table.get("total_timeout", base.total_timeout), "fetch.total_timeout", 0.01),
        max_bytes=parse_int(fetch_table.get("max_bytes", base.max_bytes), "fetch.max_bytes", 1024, 1 << 31),
        max_redirects=parse_int(fetch_table.get("max_redirects", base.max_redirects), "fetch.max_redirects", 0, 30),
        max_attempts=parse_int(fetch_table.get("max_attempts", base.max_attempts), "fetch.max_attempts", 1, 20),
        max_retry_after=parse_float(fetch_table.get("max_retry_after", base.max_retry_after),
                                    "fetch.max_retry_after", 0),
        backoff_base=parse_float(fetch_table.get("backoff_base", base.backoff_base), "fetch.backoff_base", 0),
        max_backoff=seconds("max_backoff", base.max_backoff),
        lease=parse_float(fetch_table.get("lease", base.lease), "fetch.lease", 1),
        robots_ttl=min(seconds("robots_ttl", base.robots_ttl), 86400.0),
        robots_error_ttl=seconds("robots_error_ttl", base.robots_error_ttl),
    )

    database_url = get("HIREWIRE_DATABASE_URL")
    if database_url:
        _url(database_url, "HIREWIRE_DATABASE_URL", ("postgres", "postgresql"))
    redis_url = get("HIREWIRE_REDIS_URL")
    if redis_url:
        _url(redis_url, "HIREWIRE_REDIS_URL", ("redis", "rediss", "unix"))
        _port(redis_url, "HIREWIRE_REDIS_URL")
    smtp_url = get("HIREWIRE_SMTP_URL")
    if smtp_url:
        _smtp_url(smtp_url)
    mail_from = _mail_from(get("HIREWIRE_MAIL_FROM") or "hirewire <alerts@localhost>")
    public_url = get("HIREWIRE_PUBLIC_URL") or "http://127.0.0.1:8080"
    _url(public_url, "HIREWIRE_PUBLIC_URL", ("http", "https"))
    log_format = get("HIREWIRE_LOG_FORMAT") or "auto"
    if log_format not in ("auto", "json", "console"):
        raise ConfigError("HIREWIRE_LOG_FORMAT", "must be auto, json or console")
    prefix = get("HIREWIRE_REDIS_PREFIX") or "hirewire"
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", prefix):
        raise ConfigError("HIREWIRE_REDIS_PREFIX", "letters, digits and _.:- only, at most 64")

    try:
        trusted_proxies = parse_networks(get("HIREWIRE_TRUSTED_PROXIES") or "")
    except ValueError as exc:
        raise ConfigError("HIREWIRE_TRUSTED_PROXIES", str(exc)) from None
    data_dir = Path(d) if (d := get("HIREWIRE_DATA_DIR")) else default_data_dir()
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        data_dir=data_dir,
        config_path=config_path,
        smtp_url=smtp_url,
        mail_from=mail_from,
        public_url=public_url.rstrip("/"),
        secret_key=get("HIREWIRE_SECRET_KEY") or "",
        allow_private_destinations=allow_private,
        api_key=get("HIREWIRE_API_KEY"),
        api_host=get("HIREWIRE_API_HOST") or "127.0.0.1",
        api_port=parse_int(get("HIREWIRE_API_PORT") or 8080, "HIREWIRE_API_PORT", 0, 65535),
        log_format=log_format,
        redis_prefix=prefix,
        statement_cache_size=parse_int(get("HIREWIRE_STATEMENT_CACHE_SIZE") or 100, "HIREWIRE_STATEMENT_CACHE_SIZE",
                                  0, 100_000),
        raw_retention_days=parse_int(get("HIREWIRE_RAW_RETENTION_DAYS") or 30, "HIREWIRE_RAW_RETENTION_DAYS", 0, 36500),
        fetch_log_days=parse_int(get("HIREWIRE_FETCH_LOG_DAYS") or 30, "HIREWIRE_FETCH_LOG_DAYS", 1, 36500),
        match_connections=parse_int(get("HIREWIRE_MATCH_CONNECTIONS") or 2, "HIREWIRE_MATCH_CONNECTIONS", 1, 32),
        dead_worker_after=parse_duration(get("HIREWIRE_DEAD_WORKER_AFTER") or "30s", "HIREWIRE_DEAD_WORKER_AFTER"),
        trusted_proxies=trusted_proxies,
        fetch=fetch,
        delivery=delivery,
        sources=sources,
    )


def mail_warnings(settings: Settings) -> list[str]:
    """What about the mail settings will hurt subscribers, though hirewire runs: said at start-up.

    Not errors, since a mail catcher on loopback (development, the compose file's Mailpit) is a
    fine setup; but in production each of these means mail that cannot be acted on or never arrives.
    """
    if not settings.smtp_url:
        return []
    warnings = []
    if names_private_host(settings.public_url):
        warnings.append(f"HIREWIRE_PUBLIC_URL is {settings.public_url}: the confirm and unsubscribe links in emails "
                        "point at this machine or a private network, which subscribers cannot open; set it to "
                        "where the API is reached")
    elif urlsplit(settings.public_url).scheme != "https":
        warnings.append("HIREWIRE_PUBLIC_URL is not https: mailbox providers expect an https one-click unsubscribe "
                        "link (RFC 8058) from bulk senders")
    sender = settings.mail_from.rsplit("@", 1)[-1].rstrip(">").lower()
    if sender == "localhost" or sender.endswith(".localhost"):
        warnings.append(f"HIREWIRE_MAIL_FROM is {settings.mail_from!r}: relays and inboxes refuse mail from a "
                        "localhost address; set a sender on your own domain")
    return warnings
