from bot.bootstrap import build_deps
from bot.core.config import Settings
from bot.runtime.wsgi import health_report


def test_health_is_503_when_the_database_is_unreachable() -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    deps = build_deps(Settings(database_url=unreachable, anonymity_key="k" * 32))
    status, body = health_report(deps)
    assert status == 503
    assert body["database"] == "unreachable"


def test_health_is_200_with_a_database(database_url: str) -> None:
    deps = build_deps(Settings(database_url=database_url, anonymity_key="k" * 32))
    status, body = health_report(deps)
    assert (status, body["status"]) == (200, "ok")
