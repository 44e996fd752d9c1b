from pathlib import Path

import pytest

from bot.core.config import ConfigError, Need, load_settings

NO_FILE = Path("/nonexistent/.env")
TOKENS = {"SLACK_BOT_TOKEN": "xoxb-1-2-3", "SLACK_SIGNING_SECRET": "0123456789abcdef0123"}


def test_defaults_need_nothing_installed() -> None:
    settings = load_settings({}, env_file=NO_FILE)
    assert settings.database_url == "sqlite:///vpe-bot.db"
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.socket_mode


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=4000\nLOG_LEVEL=debug\n")
    settings = load_settings({"PORT": "5000"}, env_file=env_file)
    assert settings.port == 5000
    assert settings.log_level == "DEBUG"


def test_platform_postgres_urls_get_a_driver() -> None:
    settings = load_settings({"DATABASE_URL": "postgres://u:p@db:5432/x"}, env_file=NO_FILE)
    assert settings.database_url == "postgresql+psycopg://u:p@db:5432/x"


def test_api_url_gets_a_trailing_slash() -> None:
    settings = load_settings({"SLACK_API_URL": "http://127.0.0.1:9/api"}, env_file=NO_FILE)
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("PORT", "http", "whole number"),
        ("PORT", "70000", "between 1 and 65535"),
        ("LOG_LEVEL", "loud", "one of"),
        ("DATABASE_URL", "mysql://x/y", "only sqlite and postgresql"),
        ("DATABASE_URL", "not a url", "not a database URL"),
        ("SLACK_BOT_TOKEN", "xapp-oops", "should start with 'xoxb-'"),
        ("SLACK_APP_TOKEN", "xoxb-oops", "should start with 'xapp-'"),
        ("SLACK_API_URL", "slack.com", "http(s) URL"),
        ("SLACK_SIGNING_SECRET", "short", "does not look like"),
    ],
)
def test_malformed_values_name_the_variable(variable: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({variable: value}, env_file=NO_FILE)
    assert raised.value.variable == variable
    assert says in str(raised.value)


def test_http_mode_requires_the_signing_secret() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}, env_file=NO_FILE)
    with pytest.raises(ConfigError) as raised:
        settings.require(Need.HTTP)
    assert raised.value.variable == "SLACK_SIGNING_SECRET"


def test_socket_mode_run_needs_no_signing_secret() -> None:
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, env_file=NO_FILE
    )
    assert settings.require(Need.RUN) is settings


def test_every_mode_requires_the_bot_token() -> None:
    settings = load_settings({}, env_file=NO_FILE)
    for need in (Need.RUN, Need.HTTP, Need.BOT_TOKEN):
        with pytest.raises(ConfigError) as raised:
            settings.require(need)
        assert raised.value.variable == "SLACK_BOT_TOKEN"


def test_secrets_stay_out_of_repr() -> None:
    settings = load_settings(TOKENS, env_file=NO_FILE)
    assert "xoxb" not in repr(settings)
    assert TOKENS["SLACK_SIGNING_SECRET"] not in repr(settings)


def test_jobs_run_in_process_unless_an_engine_is_asked_for() -> None:
    settings = load_settings({}, env_file=Path("/nonexistent"))
    assert settings.job_engine == "inline"
    pg = {"DATABASE_URL": "postgresql://db/vpe", "JOB_ENGINE": "Procrastinate"}
    assert load_settings(pg, env_file=Path("/nonexistent")).job_engine == "procrastinate"
    broker = {**pg, "JOB_ENGINE": "dramatiq", "JOB_BROKER_URL": "redis://:pw@cache:6379/2"}
    on_redis = load_settings(broker, env_file=Path("/nonexistent"))
    assert (on_redis.job_engine, on_redis.job_broker_url) == ("dramatiq", broker["JOB_BROKER_URL"])
    assert ":pw@" not in repr(on_redis), "the broker's password stays out of logs"
    assert settings.job_broker_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({"JOB_ENGINE": "procrastinate"}, "keeps its jobs in PostgreSQL"),
        ({"JOB_ENGINE": "dramatiq"}, "share their claims and rate budgets through PostgreSQL"),
        ({"JOB_ENGINE": "celery"}, "'inline' (the default), 'procrastinate' or 'dramatiq'"),
        ({"JOB_BROKER_URL": "amqp://rabbit"}, "should be a Redis URL"),
        ({"WORKER_CONCURRENCY": "0"}, "WORKER_CONCURRENCY"),
    ],
)
def test_a_job_engine_sqlite_cannot_carry_is_refused(environ: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environ, env_file=Path("/nonexistent"))
    assert says in str(refused.value)


def test_the_second_opinion_is_automatic_unless_switched() -> None:
    # None: on where its package is installed (bot/qa/vectors.py, tests/qa/test_qa_vectors.py).
    nowhere = Path("/nonexistent")
    assert load_settings({}, env_file=nowhere).ask_vectors is None
    assert load_settings({"ASK_VECTORS": " Auto "}, env_file=nowhere).ask_vectors is None
    assert load_settings({"ASK_VECTORS": ""}, env_file=nowhere).ask_vectors is None
    assert load_settings({"ASK_VECTORS": "On"}, env_file=nowhere).ask_vectors is True
    assert load_settings({"ASK_VECTORS": "off"}, env_file=nowhere).ask_vectors is False
    with pytest.raises(ConfigError) as refused:
        load_settings({"ASK_VECTORS": "maybe"}, env_file=nowhere)
    assert "ASK_VECTORS: should be 'on', 'off' or 'auto'" in str(refused.value)
