"""`/vpe ask` as deployed by default (ASK_VECTORS unset: on, the package being installed),
through signed requests to `vpe-bot serve`: the model of sentence vectors loads on the first
question the classifier is unsure of, once, and such questions are answered in the asker's
language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.e2e.conftest import clean_workspace, serve_bot
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess
from tests.support.slack import SlackWorkspace


@pytest.fixture(scope="module")
def vectors_bot(
    fake_slack: FakeSlack, e2e_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BotProcess, str]]:
    yield from serve_bot(fake_slack, e2e_database, tmp_path_factory, WEB_CONCURRENCY="1")


@pytest.fixture
def workspace(
    fake_slack: FakeSlack, vectors_bot: tuple[BotProcess, str], e2e_engine: Engine
) -> Iterator[SlackWorkspace]:
    yield from clean_workspace(fake_slack, vectors_bot, e2e_engine)


LOADED = "sentence-vector model loaded for the second opinion"


def test_the_vectors_load_on_the_first_unsure_question_which_they_answer(
    workspace: SlackWorkspace, vectors_bot: tuple[BotProcess, str]
) -> None:
    sure = workspace.command_reply("ask who owns delivery?")
    assert "Delivery" in sure.body["text"]
    assert LOADED not in vectors_bot[0].output(), "a question the model is sure of needs none"
    unsure = workspace.command_reply(
        "ask honestly who is supposed to care that half the team is miserable"
    )
    assert "*Team management*" in unsure.body["text"]
    assert LOADED in vectors_bot[0].output()
    question = "franchement qui est censé s'inquiéter que la moitié de l'équipe déprime"
    french = workspace.command_reply(f"ask {question}")
    assert french.body["response_type"] == "ephemeral"
    assert "*Management des équipes*" in french.body["text"]
    assert vectors_bot[0].output().count(LOADED) == 1, "one model per process"
