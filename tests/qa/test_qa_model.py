"""The shipped `/vpe ask` models: trained on today's data, and loaded without surprises."""

from __future__ import annotations

import gzip
import json

import pytest

from bot.qa.classifier import MODEL_PATH, OUT, VECTORS_MODEL_PATH, TopicModel
from bot.qa.knowledge import load_knowledge
from bot.qa.training import current_digest


def test_the_shipped_model_was_trained_on_todays_examples_and_dev_questions() -> None:
    # Fails after a change to content/knowledge.toml, tests/data/ask_labelled.toml or the
    # analysis (lexicon, stemming): run `python -m bot.qa.training` and commit the model.
    model = TopicModel.load()
    assert model.digest == current_digest(load_knowledge())


def test_the_second_opinion_was_trained_on_the_same_data_with_vectors() -> None:
    # The same command writes both; a model with vectors of another size would refuse them.
    second = TopicModel.load(VECTORS_MODEL_PATH)
    assert second.digest == current_digest(load_knowledge())
    assert second.classes == TopicModel.load().classes
    assert second.dimensions == 384


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


def test_a_second_opinion_whose_vector_weights_do_not_line_up_is_refused() -> None:
    with gzip.open(VECTORS_MODEL_PATH, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    vectors = data["vectors"] | {"weights": data["vectors"]["weights"][:-1]}
    with pytest.raises(ValueError, match="vector weights"):
        TopicModel(data | {"vectors": vectors})
