"""The shipped `/vpe ask` models: trained on today's data, and loaded without surprises."""

from __future__ import annotations

import gzip
import json

import pytest

from bot.qa.classifier import MODEL_PATH, OUT, TopicModel
from bot.qa.knowledge import load_knowledge
from bot.qa.training import current_digest


def test_the_shipped_model_was_trained_on_todays_examples_and_dev_questions() -> None:
    # Fails after a change to content/knowledge.toml, tests/data/ask_labelled.toml or the
    # analysis (lexicon, stemming): run `python -m bot.qa.training` and commit the model.
    model = TopicModel.load()
    assert model.digest == current_digest(load_knowledge())


def test_the_model_knows_every_topic_and_an_out_of_domain_class() -> None:
    model = TopicModel.load()
    assert set(model.classes) == {e.id for e in load_knowledge().entries} | {OUT}


def test_a_model_of_another_format_is_refused() -> None:
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    with pytest.raises(ValueError, match="format"):
        TopicModel(data | {"format": 99})
    with pytest.raises(ValueError, match="line up"):
        TopicModel(data | {"idf": data["idf"][:-1]})
