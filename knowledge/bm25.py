"""Okapi BM25 over pre-tokenised documents, as one sparse matrix of term weights.

Scoring a query is one sparse column sum, so top-10 over 100k documents stays in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, doc in enumerate(documents):
            for term in doc:
                rows.append(row)
                cols.append(vocab.setdefault(term, len(vocab)))
        self.vocab = vocab
        if not rows:
            self.weights = sparse.csc_matrix((self.size, 0), dtype=np.float32)
            return
        tf = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(self.size, len(vocab))
        )
        tf.sum_duplicates()
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = max(float(lengths.mean()), 1e-9)
        df = np.bincount(tf.indices, minlength=len(vocab))
        idf = np.log1p((self.size - df + 0.5) / (df + 0.5)).astype(np.float32)
        # Per-entry BM25 weight: idf * tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl)).
        norm = np.repeat(k1 * (1 - b + b * lengths / avg), np.diff(tf.indptr)).astype(np.float32)
        data = tf.data * (k1 + 1) / (tf.data + norm) * idf[tf.indices]
        self.weights = sparse.csr_matrix((data, tf.indices, tf.indptr), shape=tf.shape).tocsc()

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for the query tokens (a repeated token counts once per use)."""
        cols = [self.vocab[t] for t in query if t in self.vocab]
        if not cols:
            return np.zeros(self.size, dtype=np.float32)
        counts = np.bincount(cols, minlength=self.weights.shape[1]).astype(np.float32)
        picked = np.flatnonzero(counts)
        return np.asarray(self.weights[:, picked] @ counts[picked]).ravel()
