"""The shipped `/vpe ask` models: trained on today's data, and loaded without surprises."""

from __future__ import annotations

import base64
import gzip
import json

import pytest

from bot.qa.classifier import (
    MODEL_PATH,
    OUT,
    VECTORS_MODEL_PATH,
    TopicModel,
    pack_weights,
    unpack_weights,
)
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
    short = data["weights"] | {"rows": base64.b64encode(b"\0\0" * 26).decode()}
    with pytest.raises(ValueError, match="line up"):
        TopicModel(data | {"weights": short})


def test_packed_weights_are_within_half_a_step_of_the_trained_ones() -> None:
    rows = [[0.5, -3.25, 1e-6, 0.0], [0.0, 0.0, 0.0, 0.0], [-7.0, 7.0, 2.2, -0.001]]
    integers, scales = unpack_weights(pack_weights(rows))
    assert len(integers) == 12
    assert len(scales) == 3
    for n, row in enumerate(rows):
        for k, weight in enumerate(row):
            found = integers[4 * n + k] * scales[n]
            assert abs(found - weight) <= scales[n] / 2 + 1e-12
        assert max(abs(integers[4 * n + k]) for k in range(4)) in (0, 32767)
    assert list(integers[4:8]) == [0, 0, 0, 0]


def test_a_second_opinion_whose_vector_weights_do_not_line_up_is_refused() -> None:
    with gzip.open(VECTORS_MODEL_PATH, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    vectors = data["vectors"] | {"weights": data["vectors"]["weights"][:-1]}
    with pytest.raises(ValueError, match="vector weights"):
        TopicModel(data | {"vectors": vectors})
