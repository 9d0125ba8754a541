"""The knowledge base: items in the database (the truth), search indexes derived from them.

Each kind is one collection: a FAISS index of its items' embeddings (persisted under
`<data dir>/knowledge/`, a warm start only) and a BM25 matrix built from the tokens stored with each
item. Every process (gateway, action server, CLI) checks a cheap signature of the table before a
search and, when another process changed something, reconciles its indexes with the database by
content hash: only changed items are re-embedded, and embeddings come from a host-wide cache.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.timeutil import utcnow
from knowledge import schema
from knowledge.bm25 import BM25
from knowledge.embeddings import Encoder, VectorCache, embed, load_encoder
from knowledge.fusion import rrf
from knowledge.models import KnowledgeItem, KnowledgeVersion
from knowledge.rerank import rerank
from knowledge.text import NEAR_DUPLICATE, jaccard, near_duplicate, overlap_key, tokens, trigrams
from knowledge.vector_index import VectorIndex, vector_id

SNIPPET_CHARS = 80


@dataclass(frozen=True)
class Hit:
    id: str
    given_id: Any  # the id as imported (see given_id)
    title: str
    score: float  # fused (RRF) score; `dense` is the calibrated one
    snippet: str
    dense: float  # cosine similarity of query and item, 0 when the item was found by BM25 only
    lexical: float
    dispute_type: str | None
    record: dict[str, Any]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "id", "problems"}
    warnings: list[dict[str, Any]] = field(default_factory=list)  # {"row", "id", "problems"}: imported anyway
    duplicates: list[dict[str, Any]] = field(default_factory=list)  # {"row", "id", "similar_to", "similarity"}

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Collection:
    ids: list[str]
    bm25: BM25
    vectors: VectorIndex
    by_vector_id: dict[int, str]
    signature: tuple[Any, ...]
    # Per-row arrays and the vector id → row map, computed once per sync (searches stay O(k) in Python).
    statuses: np.ndarray = field(default_factory=lambda: np.array([]))
    dispute_types: np.ndarray = field(default_factory=lambda: np.array([]))
    position: dict[int, int] = field(default_factory=dict)
    vector_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def snippet(text: str, chars: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[:chars] + "…"


def given_id(item: KnowledgeItem) -> Any:
    """The id as it was given on import (475 stays a number), else the stored one."""
    return item.id if item.external_id is None else item.external_id


def record_of(item: KnowledgeItem) -> dict[str, Any]:
    return {"id": given_id(item), **item.fields, "tags": list(item.tags), "dispute_type": item.dispute_type}


class KnowledgeBase:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        index_dir: Path,
        encoder_spec: str,
        cache_path: Path,
        ann_threshold: int = 20_000,
        progress: bool = False,
        rerank: str = "none",
    ) -> None:
        self.sessions = sessions
        self.index_dir = index_dir
        self.encoder_spec = encoder_spec
        self.cache_path = cache_path
        self.ann_threshold = ann_threshold
        self.progress = progress
        self.rerank = rerank  # "type": hybrid results re-ranked by dispute-type agreement (knowledge/rerank.py)
        self._collections: dict[str, _Collection] = {}
        self._lock = threading.RLock()
        self._cache: VectorCache | None = None
        self._hashes: dict[str, dict[str, str]] = {}  # kind -> item id -> content hash in its index

    # ---------------------------------------------------------------- encoder and cache (lazy)
    @property
    def encoder(self) -> Encoder:
        return load_encoder(self.encoder_spec)

    @property
    def cache(self) -> VectorCache:
        if self._cache is None:
            self._cache = VectorCache(self.cache_path)
        return self._cache

    def _say(self, text: str) -> None:
        if self.progress:
            print(text, file=sys.stderr, flush=True)

    # ---------------------------------------------------------------- writes
    def _apply(
        self, session: Session, kind: str, record: dict[str, Any], status: str, by: str, action: str, external_id: Any = None
    ) -> str:
        """Create or update one item in `session`; returns 'created', 'updated' or 'unchanged'."""
        item = session.get(KnowledgeItem, record["id"])
        fields = {k: v for k, v in record.items() if k not in ("id", "tags", "dispute_type")}
        search_text = schema.search_text_of(kind, record)
        lexical = schema.lexical_text_of(kind, record)
        now = utcnow()
        if item is not None and item.kind != kind:
            raise schema.RecordError([f"id {record['id']} 已被另一类知识（{schema.KIND_NAMES[item.kind]}）使用"])
        if item is not None and (item.fields, item.tags, item.dispute_type, item.status) == (
            fields, record["tags"], record["dispute_type"], status
        ):
            return "unchanged"
        if item is None:
            item = KnowledgeItem(id=record["id"], kind=kind, version=0)
            session.add(item)
            outcome = "created"
        else:
            outcome = "updated"
        if external_id is not None:
            item.external_id = external_id
        item.title = schema.title_of(kind, record)
        item.body = schema.body_of(kind, record)
        item.fields = fields
        item.tags = record["tags"]
        item.dispute_type = record["dispute_type"]
        item.status = status
        item.version += 1
        if item.search_text != search_text or not item.tokens:
            item.tokens = " ".join(tokens(lexical))
        item.search_text = search_text
        item.content_hash = content_hash(search_text)
        item.updated_by = by
        item.updated_at = now
        session.add(KnowledgeVersion(
            item_id=item.id, version=item.version, action=action if outcome == "updated" else "create",
            snapshot={**record, "status": status}, by=by, at=now,
        ))
        return outcome

    def save(self, kind: str, raw: dict[str, Any], by: str, status: str = "draft") -> dict[str, Any]:
        """Create or edit one item (RecordError on invalid input); the index follows at once."""
        record = schema.clean_record(kind, raw)
        if status not in schema.STATUSES:
            raise schema.RecordError([f"未知状态 {status!r}"])
        with self.sessions.begin() as session:
            self._apply(session, kind, record, status, by, "edit")
        self.sync(kind)
        return record

    def set_status(self, item_id: str, status: str, by: str) -> bool:
        if status not in schema.STATUSES:
            raise schema.RecordError([f"未知状态 {status!r}"])
        with self.sessions.begin() as session:
            item = session.get(KnowledgeItem, item_id)
            if item is None:
                return False
            kind = item.kind
            if item.status != status:
                item.status = status
                item.version += 1
                item.updated_by, item.updated_at = by, utcnow()
                action = {"published": "publish", "unpublished": "unpublish"}.get(status, "draft")
                session.add(KnowledgeVersion(item_id=item.id, version=item.version, action=action,
                                             snapshot={**record_of(item), "status": status}, by=by, at=item.updated_at))
        self.sync(kind)
        return True

    def delete(self, item_id: str, by: str) -> bool:
        with self.sessions.begin() as session:
            item = session.get(KnowledgeItem, item_id)
            if item is None:
                return False
            kind = item.kind
            session.add(KnowledgeVersion(item_id=item.id, version=item.version + 1, action="delete",
                                         snapshot={**record_of(item), "status": "deleted"}, by=by, at=utcnow()))
            session.delete(item)
        self.sync(kind)
        return True

    def import_records(
        self,
        kind: str,
        rows: Iterable[Any],
        by: str,
        status: str = "published",
        reject_duplicates: bool = False,
    ) -> ImportReport:
        """All rows or none: every row is validated first; any error (or, with `reject_duplicates`, a
        near duplicate of another item) and nothing is written. Near duplicates are always reported."""
        report = ImportReport()
        records: list[tuple[int, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        external: dict[str, Any] = {}  # ids given as numbers
        for row_no, raw in enumerate(rows, start=1):
            try:
                record = schema.clean_record(kind, raw)
            except schema.RecordError as exc:
                report.errors.append({"row": row_no, "id": str(raw.get("id", "")) if isinstance(raw, dict) else "", "problems": exc.problems})
                continue
            extra = schema.unknown_fields(kind, raw)
            if extra:
                report.warnings.append({"row": row_no, "id": record["id"], "problems": ["已忽略未知字段：" + "、".join(extra)]})
            if record["id"] in seen:
                report.errors.append({"row": row_no, "id": record["id"], "problems": [f"id 与第{seen[record['id']]}行重复"]})
                continue
            seen[record["id"]] = row_no
            records.append((row_no, record))
            raw_id = raw.get("id")
            if not isinstance(raw_id, str):
                external[record["id"]] = raw_id
        if report.errors:
            return report
        if records:
            report.duplicates = self.near_duplicates(kind, records)
            if report.duplicates and reject_duplicates:
                report.errors = [
                    {"row": d["row"], "id": d["id"], "problems": [f"与 {d['similar_to']} 几乎相同（相似度{d['similarity']:.2f}）"]}
                    for d in report.duplicates
                ]
                return report
        with self.sessions.begin() as session:
            for row_no, record in records:
                try:
                    outcome = self._apply(session, kind, record, status, by, "import", external.get(record["id"]))
                except schema.RecordError as exc:
                    report.errors.append({"row": row_no, "id": record["id"], "problems": exc.problems})
                    continue
                setattr(report, outcome, getattr(report, outcome) + 1)
            if report.errors:
                session.rollback()
                report.created = report.updated = report.unchanged = 0
                return report
        self.sync(kind)
        return report

    def near_duplicates(self, kind: str, records: Sequence[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Rows nearly the same as an earlier row or a stored item with another id (text.near_duplicate
        on the title); candidates are each row's nearest neighbours by embedding."""
        titles = [schema.title_of(kind, r) for _, r in records]
        vectors = embed(self.encoder, [schema.search_text_of(kind, r) for _, r in records], "passage", self.cache,
                        progress="duplicates" if self.progress else None)
        grams = [trigrams(t) for t in titles]
        found: list[dict[str, Any]] = []
        by_key: dict[str, int] = {}
        sims = vectors @ vectors.T
        for i, (row_no, record) in enumerate(records):
            key = overlap_key(titles[i])
            earlier = [by_key[key]] if key in by_key else [int(j) for j in np.argsort(-sims[i, :i])[:5]]
            for j in earlier:
                similarity = jaccard(grams[i], grams[j])
                if key == overlap_key(titles[j]) or similarity >= NEAR_DUPLICATE:
                    found.append({"row": row_no, "id": record["id"], "similar_to": records[j][1]["id"], "similarity": similarity})
                    break
            by_key.setdefault(key, i)
        flagged = {d["id"] for d in found}
        collection = self.sync(kind)
        if not len(collection.vectors):
            return found
        with self.sessions() as session:
            stored_titles = dict(session.execute(select(KnowledgeItem.id, KnowledgeItem.title).where(KnowledgeItem.kind == kind)).tuples().all())
        for i, (row_no, record) in enumerate(records):
            if record["id"] in flagged:
                continue
            for vid, _score in collection.vectors.search(vectors[i], 5):
                other = collection.by_vector_id.get(vid)
                if other is None or other == record["id"] or other not in stored_titles:
                    continue
                if near_duplicate(titles[i], stored_titles[other]):
                    found.append({"row": row_no, "id": record["id"], "similar_to": other,
                                  "similarity": jaccard(grams[i], trigrams(stored_titles[other]))})
                    break
        return sorted(found, key=lambda d: d["row"])

    # ---------------------------------------------------------------- reads
    def get(self, item_id: str) -> tuple[KnowledgeItem, dict[str, Any]] | None:
        with self.sessions() as session:
            item = session.get(KnowledgeItem, item_id)
            return (item, record_of(item)) if item else None

    def list_items(self, kind: str | None = None, status: str | None = None, text: str = "", limit: int = 200) -> list[KnowledgeItem]:
        query = select(KnowledgeItem).order_by(KnowledgeItem.updated_at.desc()).limit(limit)
        if kind:
            query = query.where(KnowledgeItem.kind == kind)
        if status:
            query = query.where(KnowledgeItem.status == status)
        if text:
            query = query.where(KnowledgeItem.title.contains(text))
        with self.sessions() as session:
            return list(session.scalars(query))

    def history(self, item_id: str) -> list[KnowledgeVersion]:
        with self.sessions() as session:
            return list(session.scalars(
                select(KnowledgeVersion).where(KnowledgeVersion.item_id == item_id).order_by(KnowledgeVersion.id)
            ))

    def export_records(self, kind: str, status: str | None = None) -> list[dict[str, Any]]:
        query = select(KnowledgeItem).where(KnowledgeItem.kind == kind).order_by(KnowledgeItem.id)
        if status:
            query = query.where(KnowledgeItem.status == status)
        with self.sessions() as session:
            return [record_of(item) for item in session.scalars(query)]

    def count(self, kind: str | None = None) -> int:
        query = select(func.count()).select_from(KnowledgeItem)
        if kind:
            query = query.where(KnowledgeItem.kind == kind)
        with self.sessions() as session:
            return int(session.scalar(query) or 0)

    # ---------------------------------------------------------------- search
    def search(
        self,
        query: str,
        kind: str,
        k: int = 10,
        dispute_type: str | None = None,
        statuses: Sequence[str] = ("published",),
        mode: str = "hybrid",
        depth: int = 50,
        query_vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """Top-k items of `kind` for `query`: BM25 and dense rankings fused by RRF (or one of them).
        `query_vector` is the query's embedding when the caller embedded a batch of queries at once."""
        if kind not in schema.SPECS:
            raise ValueError(kind)
        with self._lock:  # FAISS must not be searched while another thread updates it
            return self._search(query, kind, k, dispute_type, statuses, mode, depth, query_vector)

    def embed_queries(self, queries: Sequence[str]) -> np.ndarray:
        return embed(self.encoder, list(queries), "query", None, progress="queries" if self.progress else None)

    def _search(
        self, query: str, kind: str, k: int, dispute_type: str | None, statuses: Sequence[str], mode: str, depth: int,
        query_vector: np.ndarray | None,
    ) -> list[Hit]:
        collection = self.sync(kind)
        if not collection.ids or not query.strip():
            return []
        allowed_mask = np.isin(collection.statuses, list(statuses))
        if dispute_type is not None:
            allowed_mask &= collection.dispute_types == dispute_type
        if not allowed_mask.any():
            return []
        everything = bool(allowed_mask.all())
        depth = max(depth, k)
        lexical = collection.bm25.scores(tokens(query))
        lexical = np.where(allowed_mask, lexical, -1.0)
        lex_rank = [int(i) for i in np.argsort(-lexical, kind="stable")[:depth] if lexical[i] > 0]
        dense_score: dict[int, float] = {}
        dense_rank: list[int] = []
        if mode != "bm25":
            qvec = query_vector if query_vector is not None else embed(self.encoder, [query], "query", None)[0]
            allowed = None if everything else collection.vector_ids[allowed_mask]
            for vid, score in collection.vectors.search(qvec, depth, allowed):
                if vid in collection.position:
                    dense_rank.append(collection.position[vid])
                    dense_score[collection.position[vid]] = score
        if mode == "bm25":
            fused = {doc: 1.0 / (60 + rank) for rank, doc in enumerate(lex_rank, 1)}
        elif mode == "dense":
            fused = {doc: dense_score[doc] for doc in dense_rank}
        else:
            fused = rrf([lex_rank, dense_rank])
            if self.rerank == "type" and fused:
                docs = list(fused)
                types = [{t} if (t := collection.dispute_types[d]) else set() for d in docs]
                fused = dict(zip(docs, rerank([fused[d] for d in docs], types).tolist(), strict=True))
        best = sorted(fused, key=lambda d: -fused[d])[:k]
        if not best:
            return []
        wanted = [collection.ids[d] for d in best]
        with self.sessions() as session:
            items = {i.id: i for i in session.scalars(select(KnowledgeItem).where(KnowledgeItem.id.in_(wanted)))}
        hits = []
        for doc in best:
            item = items.get(collection.ids[doc])
            if item is None:  # deleted since the last sync
                continue
            hits.append(Hit(item.id, given_id(item), item.title, round(float(fused[doc]), 6), snippet(item.body), round(dense_score.get(doc, 0.0), 4),
                            round(float(max(lexical[doc], 0.0)), 4), item.dispute_type, record_of(item)))
        return hits

    # ---------------------------------------------------------------- index upkeep
    def _signature(self, session: Session, kind: str) -> tuple[Any, ...]:
        row = session.execute(
            select(func.count(), func.max(KnowledgeItem.updated_at), func.sum(KnowledgeItem.version)).where(KnowledgeItem.kind == kind)
        ).one()
        return (int(row[0]), str(row[1]), int(row[2] or 0), self.encoder_spec)

    def _paths(self, kind: str) -> tuple[Path, Path]:
        return self.index_dir / f"{kind}.faiss", self.index_dir / f"{kind}.json"

    def sync(self, kind: str) -> _Collection:
        """This process's indexes of `kind`, brought up to date with the database if it changed."""
        with self._lock:
            with self.sessions() as session:
                signature = self._signature(session, kind)
                current = self._collections.get(kind)
                if current is not None and current.signature == signature:
                    return current
                rows = session.execute(
                    select(KnowledgeItem.id, KnowledgeItem.status, KnowledgeItem.dispute_type, KnowledgeItem.tokens,
                           KnowledgeItem.search_text, KnowledgeItem.content_hash).where(KnowledgeItem.kind == kind).order_by(KnowledgeItem.id)
                ).all()
            vectors, hashes = self._load_vectors(kind, current)
            if vectors is None or self._needs_rebuild(vectors, len(rows)):
                vectors = self._build_all(kind, rows)
                hashes = {r.id: r.content_hash for r in rows}
                changed = True
            else:
                wanted = {r.id: r.content_hash for r in rows}
                stale = [i for i, h in hashes.items() if wanted.get(i) != h]
                missing = [r for r in rows if hashes.get(r.id) != r.content_hash]
                changed = bool(stale or missing)
                vectors.remove(stale)
                for i in stale:
                    del hashes[i]
                if missing:
                    fresh = embed(self.encoder, [r.search_text for r in missing], "passage", self.cache,
                                  progress=f"index {kind}" if self.progress else None)
                    vectors.add([r.id for r in missing], fresh)
                    hashes.update({r.id: r.content_hash for r in missing})
            if changed:
                self._save(kind, vectors, hashes)
                self._say(f"index {kind}: {len(rows)} items")
            collection = _Collection(
                ids=[r.id for r in rows],
                bm25=BM25([r.tokens.split() for r in rows]),
                vectors=vectors,
                by_vector_id={vector_id(r.id): r.id for r in rows},
                signature=signature,
                statuses=np.array([r.status for r in rows], dtype=object),
                dispute_types=np.array([r.dispute_type for r in rows], dtype=object),
                position={vector_id(r.id): n for n, r in enumerate(rows)},
                vector_ids=np.array([vector_id(r.id) for r in rows], dtype=np.int64),
            )
            self._collections[kind] = collection
            return collection

    def _needs_rebuild(self, vectors: VectorIndex, size: int) -> bool:
        """An exact index that grew past the threshold becomes approximate (and back) on rebuild."""
        return vectors.dim != self.encoder.dim or (size >= self.ann_threshold) != vectors.approximate

    def _build_all(self, kind: str, rows: Sequence[Any]) -> VectorIndex:
        vectors = embed(self.encoder, [r.search_text for r in rows], "passage", self.cache,
                        progress=f"index {kind}" if self.progress else None)
        return VectorIndex.build(self.encoder.dim, [r.id for r in rows], vectors, self.ann_threshold)

    def _load_vectors(self, kind: str, current: _Collection | None) -> tuple[VectorIndex | None, dict[str, str]]:
        """The in-memory index, else the persisted one if it was built with this encoder."""
        index_path, manifest_path = self._paths(kind)
        if current is not None:
            return current.vectors, dict(self._hashes.get(kind, {}))
        try:
            manifest = json.loads(manifest_path.read_text())
            if manifest.get("encoder") != self.encoder_spec:
                return None, {}
            vectors = VectorIndex.load(index_path, int(manifest["dim"]))
            if len(vectors) != len(manifest["items"]):
                return None, {}  # torn write: rebuild
            return vectors, dict(manifest["items"])
        except (OSError, ValueError, KeyError, RuntimeError):
            return None, {}

    def _save(self, kind: str, vectors: VectorIndex, hashes: dict[str, str]) -> None:
        self._hashes[kind] = dict(hashes)
        index_path, manifest_path = self._paths(kind)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with open(self.index_dir / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time across processes
            vectors.save(index_path)
            tmp = manifest_path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"encoder": self.encoder_spec, "dim": vectors.dim, "items": hashes}))
            tmp.replace(manifest_path)

    def verify(self) -> dict[str, dict[str, int]]:
        """Compare each persisted index with the database: counts of missing, stale and orphaned entries."""
        report: dict[str, dict[str, int]] = {}
        with self.sessions() as session:
            for kind in schema.KINDS:
                rows = dict(session.execute(select(KnowledgeItem.id, KnowledgeItem.content_hash).where(KnowledgeItem.kind == kind)).tuples().all())
                index_path, manifest_path = self._paths(kind)
                problems = {"items": len(rows), "missing": 0, "stale": 0, "orphaned": 0, "unreadable": 0}
                try:
                    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"items": {}, "encoder": self.encoder_spec}
                    stored: dict[str, str] = manifest["items"]
                    if index_path.exists() and len(VectorIndex.load(index_path, int(manifest["dim"]))) != len(stored):
                        problems["unreadable"] = 1
                    if manifest.get("encoder") != self.encoder_spec:
                        stored = {}
                except (OSError, ValueError, KeyError, RuntimeError):
                    problems["unreadable"], stored = 1, {}
                problems["missing"] = sum(1 for i in rows if i not in stored)
                problems["stale"] = sum(1 for i, h in rows.items() if i in stored and stored[i] != h)
                problems["orphaned"] = sum(1 for i in stored if i not in rows)
                report[kind] = problems
        return report

    def reindex(self, kinds: Sequence[str] = schema.KINDS) -> dict[str, int]:
        """Rebuild every index from the database (embeddings from the cache where possible)."""
        sizes = {}
        for kind in kinds:
            with self._lock:
                self._collections.pop(kind, None)
                self._hashes.pop(kind, None)
                for path in self._paths(kind):
                    path.unlink(missing_ok=True)
                sizes[kind] = len(self.sync(kind).ids)
        return sizes
