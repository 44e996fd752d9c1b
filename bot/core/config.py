"""One Settings object, read once from the environment and `.env`, then passed in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from urllib.parse import urlparse

from dotenv import dotenv_values
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///vpe-bot.db"
DEFAULT_GITHUB_API_URL = "https://api.github.com"
DEFAULT_LINEAR_API_URL = "https://api.linear.app/graphql"
DEFAULT_JOB_BROKER_URL = "redis://127.0.0.1:6379/0"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message names it and says what to do."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable


class Need(Enum):
    """What a command needs from Slack, so that only those variables are required."""

    NOTHING = "nothing"
    BOT_TOKEN = "bot-token"  # noqa: S105 - a label, not a secret
    HTTP = "http"
    RUN = "run"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    log_level: str = "INFO"
    web_concurrency: int = 2
    web_threads: int = 8
    anonymity_key: str | None = field(default=None, repr=False)
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_redirect_uri: str | None = None
    token_encryption_keys: tuple[str, ...] = field(default=(), repr=False)
    uninstall_grace_days: int = 30
    stale_claim_seconds: int = 120
    # Where scheduled jobs run: "inline" (in the scheduler's process), "procrastinate"
    # (PostgreSQL-backed queue) or "dramatiq" (Redis), taken by `vpe-bot worker` processes.
    job_engine: str = "inline"
    job_broker_url: str = field(default=DEFAULT_JOB_BROKER_URL, repr=False)  # dramatiq's Redis
    worker_concurrency: int = 4
    # Delivery sources from the environment (one workspace); `/vpe sources` adds more.
    github_token: str | None = field(default=None, repr=False)
    github_api_url: str = DEFAULT_GITHUB_API_URL
    github_repositories: tuple[str, ...] = ()
    github_teams: tuple[tuple[str, str], ...] = ()  # (owner/repo, team name)
    linear_api_key: str | None = field(default=None, repr=False)
    linear_api_url: str = DEFAULT_LINEAR_API_URL
    linear_teams: tuple[str, ...] = ()
    jira_url: str | None = None
    jira_email: str | None = None
    jira_api_token: str | None = field(default=None, repr=False)
    jira_projects: tuple[str, ...] = ()
    delivery_sync_hours: int = 6
    # `/vpe ask`'s second opinion with sentence vectors (bot/qa/vectors.py): None (unset,
    # "auto") turns it on where its package is installed (Linux x86-64, by default).
    ask_vectors: bool | None = None

    @property
    def oauth(self) -> bool:
        """Distributed to many workspaces (OAuth install) rather than one token."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def _require_oauth(self, need: Need) -> Settings:
        return _oauth_needs(self, need)

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def require(self, need: Need) -> Settings:
        """Check that what `need` calls for is present; raise ConfigError naming what is not."""
        if need is Need.NOTHING:
            return self
        if self.oauth:
            return self._require_oauth(need)
        if not self.slack_bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN",
                "not set. Copy the Bot User OAuth Token (xoxb-…) from your app's "
                "'OAuth & Permissions' page into .env (see README, 'Connect to Slack').",
            )
        if not self.is_sqlite and not self.anonymity_key:
            raise ConfigError(
                "ANONYMITY_KEY",
                "not set, and PostgreSQL needs it to keep pulse answers anonymous. Generate one "
                "with `python -c 'import secrets; print(secrets.token_hex(32))'` and keep it "
                "in the environment, never in the database.",
            )
        http = need is Need.HTTP or (need is Need.RUN and not self.socket_mode)
        if http and not self.slack_signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET",
                "not set, and HTTP mode needs it to verify requests. Copy the Signing Secret "
                "from your app's 'Basic Information' page into .env, or set SLACK_APP_TOKEN "
                "to use Socket Mode instead.",
            )
        return self


def _oauth_needs(settings: Settings, need: Need) -> Settings:
    # Installations keep every workspace's bot token in the database: never in clear. A key
    # file beside the database (as for ANONYMITY_KEY) would travel with its backups; the
    # key belongs in the environment, as on PostgreSQL, where this mode belongs.
    if not settings.token_encryption_keys:
        raise ConfigError(
            "TOKEN_ENCRYPTION_KEYS",
            "not set, and with SLACK_CLIENT_ID the bot stores every workspace's token: it "
            "encrypts them with this key. Generate one with `python -c 'from "
            "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'` and "
            "keep it in the environment, out of database backups.",
        )
    if need is not Need.BOT_TOKEN and not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            "not set: with SLACK_CLIENT_ID (installs in many workspaces) the bot serves HTTP and "
            "must verify requests. Copy the Signing Secret from 'Basic Information'.",
        )
    if not settings.is_sqlite and not settings.anonymity_key:
        raise ConfigError("ANONYMITY_KEY", "is required with PostgreSQL (see .env.example).")
    return settings


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Settings:
    """Read settings from `environ` (default: os.environ) over the values of a `.env` file.

    Real environment variables win over the file. Raises ConfigError on a malformed value.
    """
    file_values = dotenv_values(env_file or Path.cwd() / ".env")
    merged: dict[str, str] = {k: v for k, v in file_values.items() if v is not None}
    merged.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = merged.get(name, "").strip()
        return value or None

    return Settings(
        database_url=_database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        slack_bot_token=_token(get("SLACK_BOT_TOKEN"), "SLACK_BOT_TOKEN", "xoxb-"),
        slack_signing_secret=_signing_secret(get("SLACK_SIGNING_SECRET")),
        slack_app_token=_token(get("SLACK_APP_TOKEN"), "SLACK_APP_TOKEN", "xapp-"),
        slack_api_url=_api_url(get("SLACK_API_URL") or DEFAULT_SLACK_API_URL),
        port=_int(get("PORT"), "PORT", 3000, 1, 65535),
        log_level=_log_level(get("LOG_LEVEL") or "INFO"),
        web_concurrency=_int(get("WEB_CONCURRENCY"), "WEB_CONCURRENCY", 2, 1, 64),
        web_threads=_int(get("WEB_THREADS"), "WEB_THREADS", 8, 1, 256),
        anonymity_key=_anonymity_key(get("ANONYMITY_KEY")),
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
        slack_redirect_uri=get("SLACK_REDIRECT_URI"),
        token_encryption_keys=_fernet_keys(get("TOKEN_ENCRYPTION_KEYS")),
        stale_claim_seconds=_int(get("STALE_CLAIM_SECONDS"), "STALE_CLAIM_SECONDS", 120, 5, 86400),
        uninstall_grace_days=_int(get("UNINSTALL_GRACE_DAYS"), "UNINSTALL_GRACE_DAYS", 30, 0, 3650),
        job_engine=_job_engine(get("JOB_ENGINE"), get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        job_broker_url=_broker_url(get("JOB_BROKER_URL") or DEFAULT_JOB_BROKER_URL),
        worker_concurrency=_int(get("WORKER_CONCURRENCY"), "WORKER_CONCURRENCY", 4, 1, 64),
        github_token=get("GITHUB_TOKEN"),
        github_api_url=_source_url(get("GITHUB_API_URL") or DEFAULT_GITHUB_API_URL, "GITHUB"),
        github_repositories=_repositories(get("GITHUB_REPOSITORIES")),
        github_teams=_team_map(get("GITHUB_TEAMS")),
        linear_api_key=get("LINEAR_API_KEY"),
        linear_api_url=_source_url(get("LINEAR_API_URL") or DEFAULT_LINEAR_API_URL, "LINEAR"),
        linear_teams=_names(get("LINEAR_TEAMS")),
        jira_url=_jira_url(get("JIRA_URL")),
        jira_email=get("JIRA_EMAIL"),
        jira_api_token=get("JIRA_API_TOKEN"),
        jira_projects=_names(get("JIRA_PROJECTS")),
        delivery_sync_hours=_int(get("DELIVERY_SYNC_HOURS"), "DELIVERY_SYNC_HOURS", 6, 1, 168),
        ask_vectors=_auto_switch(get("ASK_VECTORS"), "ASK_VECTORS"),
    )


def _job_engine(value: str | None, database_url: str) -> str:
    engine = (value or "inline").lower()
    if engine not in ("inline", "procrastinate", "dramatiq"):
        raise ConfigError(
            "JOB_ENGINE", "should be 'inline' (the default), 'procrastinate' or 'dramatiq'."
        )
    if engine == "procrastinate" and database_url.startswith("sqlite"):
        raise ConfigError(
            "JOB_ENGINE",
            "procrastinate keeps its jobs in PostgreSQL: set DATABASE_URL to a PostgreSQL "
            "database, or leave JOB_ENGINE unset to run jobs in one process on SQLite.",
        )
    if engine == "dramatiq" and database_url.startswith("sqlite"):
        raise ConfigError(
            "JOB_ENGINE",
            "workers share their claims and rate budgets through PostgreSQL: set DATABASE_URL "
            "to a PostgreSQL database, or leave JOB_ENGINE unset to run jobs in one process "
            "on SQLite.",
        )
    return engine


def _broker_url(value: str) -> str:
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("JOB_BROKER_URL", "should be a Redis URL, like redis://127.0.0.1:6379/0.")
    return value


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in (value or "").split(",") if part.strip()))


def _repositories(value: str | None) -> tuple[str, ...]:
    names = _names(value)
    for name in names:
        owner, _, repo = name.partition("/")
        if not owner or not repo or "/" in repo:
            raise ConfigError(
                "GITHUB_REPOSITORIES",
                f"{name!r} is not a repository: list them as owner/repo,owner/repo.",
            )
    return names


def _team_map(value: str | None) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in _names(value):
        source, _, team = part.partition("=")
        if not source.strip() or not team.strip():
            raise ConfigError(
                "GITHUB_TEAMS", f"{part!r} should read owner/repo=Team (comma-separated)."
            )
        pairs.append((source.strip(), team.strip()[:80]))
    return tuple(pairs)


def _jira_url(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(
            "JIRA_URL", "should be your site's URL, such as https://acme.atlassian.net."
        )
    return value.rstrip("/")


def _source_url(value: str, prefix: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(
            f"{prefix}_API_URL",
            "should be an http(s) URL such as https://api.github.com "
            "(GitHub Enterprise Server: https://HOST/api/v3).",
        )
    return value.rstrip("/")


def _token(value: str | None, name: str, prefix: str) -> str | None:
    if value is not None and not value.startswith(prefix):
        raise ConfigError(
            name, f"should start with '{prefix}'. Check you copied the right token into .env."
        )
    return value


def _fernet_keys(value: str | None) -> tuple[str, ...]:
    """Comma-separated Fernet keys, newest first: the first encrypts, all decrypt (rotation)."""
    if value is None:
        return ()
    keys = tuple(key.strip() for key in value.split(",") if key.strip())
    for key in keys:
        if len(key) != 44 or not key.endswith("="):
            raise ConfigError(
                "TOKEN_ENCRYPTION_KEYS",
                "should hold Fernet keys (44 characters each, comma-separated). Generate one with "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`.",
            )
    return keys


def _anonymity_key(value: str | None) -> str | None:
    if value is not None and len(value) < 32:
        raise ConfigError(
            "ANONYMITY_KEY",
            "is too short: use at least 32 random characters, e.g. "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`.",
        )
    return value


def _signing_secret(value: str | None) -> str | None:
    if value is not None and (len(value) < 16 or not value.isalnum()):
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            "does not look like a signing secret (a long hex string). Copy it again from "
            "your app's 'Basic Information' page.",
        )
    return value


def _database_url(value: str) -> str:
    # Platforms often hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    if value.startswith("postgres://"):
        value = "postgresql://" + value.removeprefix("postgres://")
    if value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
    try:
        url: URL = make_url(value)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL",
            "is not a database URL. Use sqlite:///vpe-bot.db or "
            "postgresql://user:password@host:5432/dbname.",
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            "DATABASE_URL", f"uses '{url.get_backend_name()}'; only sqlite and postgresql work."
        )
    return value


def _api_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(
            "SLACK_API_URL", "should be an http(s) URL such as https://slack.com/api/."
        )
    return value if value.endswith("/") else value + "/"


def _int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(name, f"should be a whole number, got {value!r}.") from None
    if not low <= number <= high:
        raise ConfigError(name, f"should be between {low} and {high}, got {number}.")
    return number


def _auto_switch(value: str | None, name: str) -> bool | None:
    """on, off, or None for auto (unset, empty or "auto")."""
    word = (value or "").strip().lower()
    if word in ("", "auto"):
        return None
    if word in ("on", "true", "yes", "1"):
        return True
    if word in ("off", "false", "no", "0"):
        return False
    raise ConfigError(
        name,
        f"should be 'on', 'off' or 'auto' (it is {value!r}); unset means auto: on where "
        "its package is installed.",
    )


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"should be one of {', '.join(LOG_LEVELS)}.")
    return level


def configure_logging(settings: Settings) -> None:
    from bot.core.logs import configure_logging as configure

    configure(settings.log_level)
