"""Help, routing and locks come from one declaration per subcommand: they cannot drift."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_bolt import App

from bot.bootstrap import bootstrap
from bot.core.config import Settings
from bot.handlers import register_all
from bot.handlers.help import command_docs, help_rows
from bot.handlers.routing import Router


@pytest.fixture(scope="module")
def router() -> Iterator[Router]:
    services = bootstrap(Settings(database_url="sqlite://", anonymity_key="k" * 32))
    app = App(token="xoxb-test", signing_secret="s", token_verification_enabled=False)
    yield register_all(app, services)
    services.deps.engine.dispose()


def test_every_declared_subcommand_routes_by_each_of_its_words(router: Router) -> None:
    for command in router.commands:
        for word in command.words:
            for sub in command.subcommands:
                for verb in sub.verbs or ("",):
                    args = (verb, "x") if verb else ()
                    assert router.find(word, args) is sub, (word, verb)


def test_every_routed_subcommand_has_a_help_row_and_every_row_a_subcommand(
    router: Router,
) -> None:
    declared = {sub.help for sub in router.subcommands()}
    documented = [doc.id for doc in command_docs()]
    assert len(documented) == len(set(documented)), "a help row is written twice"
    assert declared == set(documented)


def test_a_help_row_is_locked_exactly_when_its_subcommands_are(router: Router) -> None:
    by_row: dict[str, set[bool]] = {}
    for sub in router.subcommands():
        by_row.setdefault(sub.help, set()).add(sub.restricted)
    assert all(len(flags) == 1 for flags in by_row.values()), by_row
    rows = {row.usage: row.restricted for row in help_rows(router.subcommands(), "en")}
    for doc in command_docs():
        assert rows[doc.usage] == by_row[doc.id].pop()


def test_the_leadership_commands_are_the_ones_the_readme_marks(router: Router) -> None:
    locked = {sub.help for sub in router.subcommands() if sub.restricted}
    assert locked == {
        "roles.set",
        "owners.change",
        "leaders.change",
        "pulse.now",
        "pulse.schedule",
        "pulse.close",
        "pulse.share",
        "results",
        "results.comments",
        "results.teams",
        "teams.add",
        "teams.remove",
        "teams.manager",
        "settings.change",
        "signals",
        "digest",
        "org.set",
        "events",
        "export",
        "ask.review",
        "ask.teach",
        "handover",
        "handover.edit",
        "report",
        "action.add",
        "settings.holidays",
        "delivery",
        "delivery.sync",
        "sources",
    }


def test_only_the_leadership_team_itself_is_for_admins_and_owners_alone(router: Router) -> None:
    own_lock = {sub.help: sub.lock.__name__ for sub in router.subcommands() if sub.lock}
    assert own_lock == {"leaders.change": "require_admin"}


def test_words_that_are_no_command_go_to_the_fallback(router: Router) -> None:
    assert router.find("who", ("owns", "delivery?")) is None
    assert router.find("pulse", ("frobnicate",)) is None  # its usage, not a subcommand


def test_the_router_refuses_declarations_it_could_not_route() -> None:
    from bot.handlers.routing import Command, Subcommand

    with pytest.raises(ValueError, match="usage"):
        Router([Command(("x",), (Subcommand("x", ("a",), print),))], print, bool)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two commands"):
        Router(
            [Command(("x",), (Subcommand("x", (), print),)), Command(("x",), (), "u")],  # type: ignore[arg-type]
            print,  # type: ignore[arg-type]
            bool,  # type: ignore[arg-type]
        )


def test_command_docs_are_bilingual() -> None:
    for doc in command_docs():
        assert doc.usage.startswith("/vpe")
        assert doc.does["en"]
        assert doc.does["fr"]
