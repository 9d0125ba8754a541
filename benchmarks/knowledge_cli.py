"""The evaluation contract, timed: `./courtbot kb import` of the 1,234 LeCoQA items, then 300 queries through
`kb search --jsonl` and 300 texts through `kb classify --jsonl`, on an empty scratch store (`--data-dir`)
with a cold embedding cache (`COURTBOT_CACHE` in a fresh folder), as an evaluator runs them.
Writes the `knowledge-cli` section of RESULTS.md.

    python benchmarks/knowledge_cli.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.knowledge_lecoqa import DATA, as_record  # noqa: E402
from benchmarks.results import write_section  # noqa: E402

QUERIES = 300


def courtbot(args: list[str], stdin: str, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run([str(REPO / "courtbot"), "kb", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=REPO, check=False)
    if done.returncode != 0:
        sys.exit(f"kb {args[0]} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started, done


def main() -> None:
    items = [i for i in json.loads(DATA.read_text()) if isinstance(i["问题"], str) and i["问题"].strip()]
    records = [{k: v for k, v in as_record(i).items() if k in ("id", "question", "answer", "tags", "dispute_type")}
               for i in items]
    # Queries an evaluator would send: the questions' keywords and the first half of each question, not the stored text.
    queries = [{"id": n, "query": f"{i['问题'][: max(8, len(i['问题']) // 2)]} {i['关键词'] or ''}".strip()}
               for n, i in enumerate(items[:QUERIES])]
    texts = [{"id": q["id"], "text": q["query"]} for q in queries]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "faq.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        env = {**os.environ, "COURTBOT_CACHE": str(Path(tmp) / "cache"), "OMP_NUM_THREADS": "1"}
        env.pop("DATABASE_URL", None)
        store = ["--data-dir", str(Path(tmp) / "store")]
        t_import, _ = courtbot(["import", "--kind", "faq", str(source), *store], "", env)
        t_search, searched = courtbot(["search", "--kind", "faq", "--k", "10", "--jsonl", *store],
                                      "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), env)
        t_classify, classified = courtbot(["classify", "--jsonl", *store],
                                          "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts), env)
    answers = [json.loads(line) for line in searched.stdout.splitlines()]
    labels = [json.loads(line) for line in classified.stdout.splitlines()]
    assert [a["id"] for a in answers] == [q["id"] for q in queries] and all(a["results"] for a in answers)
    assert len(labels) == len(texts)
    total = t_import + t_search + t_classify
    body = (
        f"Empty scratch store (`--data-dir`), cold embedding cache, default encoder; load average {load:.1f} on 2 shared "
        f"cores when it started. {len(records)} LeCoQA items as FAQ lines `{{\"id\",\"question\",\"answer\",\"tags\","
        f"\"dispute_type\"}}`; {len(queries)} queries (first half of a question and its keywords), top 10; the same "
        f"{len(texts)} texts classified. Each step is one `./courtbot kb …` process (start-up, models and indexes "
        "included); every query got its answer line, in order.\n\n"
        "| step | seconds |\n|---|---|\n"
        f"| `kb import --kind faq` ({len(records)} items: validate, tokenise, embed, index) | {t_import:.0f} |\n"
        f"| `kb search --kind faq --k 10 --jsonl` ({len(queries)} queries) | {t_search:.0f} |\n"
        f"| `kb classify --jsonl` ({len(texts)} texts) | {t_classify:.0f} |\n"
        f"| **total** | **{total:.0f}** ({total / 60:.1f} min) |"
    )
    write_section("knowledge-cli", "Knowledge base: the evaluation CLI on an empty store", body)
    print(body)


if __name__ == "__main__":
    main()
