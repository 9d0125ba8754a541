"""FAISS index of one collection: exact (flat inner product) for small collections, IVF above a
configurable size. Items are addressed by a stable 63-bit id derived from the item id, so an edit
removes and re-adds one vector without touching the rest."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np

faiss.omp_set_num_threads(1)  # the host's cores are shared by every process; searches are tiny


def vector_id(item_id: str) -> int:
    return int.from_bytes(hashlib.sha1(item_id.encode()).digest()[:8], "big") >> 1


class VectorIndex:
    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def approximate(self) -> bool:
        return "IVF" in type(faiss.downcast_index(self.index)).__name__

    @classmethod
    def build(cls, dim: int, ids: Sequence[str], vectors: np.ndarray, ann_threshold: int, nprobe: int = 16) -> VectorIndex:
        """A new index of `vectors`; IVF (trained on them) when there are at least `ann_threshold`."""
        if len(ids) >= ann_threshold:
            nlist = max(1, min(len(ids), int(4 * math.sqrt(len(ids)))))
            ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            ivf.train(vectors)
            ivf.nprobe = min(nprobe, nlist)
            index = cls(dim, ivf)
        else:
            index = cls(dim)
        index.add(ids, vectors)
        return index

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        if len(ids):
            self.remove(ids)
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.array([vector_id(i) for i in ids], dtype=np.int64))

    def remove(self, ids: Sequence[str]) -> None:
        if len(ids):
            self.index.remove_ids(np.array([vector_id(i) for i in ids], dtype=np.int64))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(vector id, cosine) of the k nearest; `allowed` (vector ids) restricts the search to those items."""
        if len(self) == 0 or k <= 0:
            return []
        params = None
        if allowed is not None:
            if not len(allowed):
                return []
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
            params = faiss.SearchParametersIVF(sel=selector, nprobe=faiss.downcast_index(self.index).nprobe) if self.approximate else faiss.SearchParameters(sel=selector)
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        faiss.write_index(self.index, str(tmp))
        tmp.replace(path)  # atomic: a crash leaves the old file or the new one, never half of one

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorIndex:
        return cls(dim, faiss.read_index(str(path)))
