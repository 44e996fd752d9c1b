from bot.config import Settings
from bot.deps import build_deps
from bot.web import health_report


def test_health_is_503_when_the_database_is_unreachable() -> None:
    deps = build_deps(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    status, body = health_report(deps)
    assert status == 503
    assert body["database"] == "unreachable"


def test_health_is_200_with_a_database(database_url: str) -> None:
    status, body = health_report(build_deps(Settings(database_url=database_url)))
    assert (status, body["status"]) == (200, "ok")
