"""Evaluate a running Rasa server's NLU on the held-out set, through its real `/model/parse`.

Runs in the Rasa env (matplotlib, scikit-learn). `./courtbot eval-nlu` starts the server and calls:

    python benchmarks/nlu/evaluate.py --rasa-url http://127.0.0.1:15105 --name sparse --out benchmarks/nlu/results

Measures: intent accuracy and macro-F1 on tests/nlu/testset.yml; the same on a speech-degraded copy
(benchmarks/nlu/degrade.py); out-of-scope recall and in-scope rejection; entity precision/recall/F1 per
type on tests/nlu/entity_cases.yml; /model/parse latency p50/p95/p99. Writes <name>.json and
confusion_<name>.png. `--also NAME=PATH` and `--also-entities NAME=PATH` evaluate further intent and
entity sets the same way (the first edition of the sets, and its held-out part), reported under "sets"
and "entity_sets"; latency is measured on the main sets only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
from degrade import degrade  # noqa: E402

REJECTED = {"out_of_scope", "nlu_fallback"}
ENTITY_TYPES = ("case_number", "phone", "id_number", "person_name", "amount", "date")


def load_testset(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text())
    items = []
    for block in data["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            text = line.strip()
            if text.startswith("- "):
                items.append((text[2:].strip(), block["intent"]))
    return items


def parse_all(url: str, texts: list[str]) -> tuple[list[dict[str, Any]], list[float]]:
    session = requests.Session()
    # Rasa's HTTP API wants its token (`./courtbot eval-nlu` passes it in the environment, never argv).
    session.params = {"token": os.environ.get("COURTBOT_RASA_TOKEN", "")}
    results, latencies = [], []
    for i, text in enumerate(texts):
        started = time.perf_counter()
        response = session.post(f"{url}/model/parse", json={"text": text}, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        results.append(response.json())
        if (i + 1) % 100 == 0:
            print(f"  parsed {i + 1}/{len(texts)}", file=sys.stderr, flush=True)
    return results, latencies


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def intent_metrics(texts: list[str], gold: list[str], predicted: list[str]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    in_scope = [p for g, p in zip(gold, predicted, strict=True) if g != "out_of_scope"]
    oos = [p for g, p in zip(gold, predicted, strict=True) if g == "out_of_scope"]
    per_intent = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    return {
        "n": len(gold),
        "accuracy": accuracy_score(gold, predicted),
        "macro_f1": f1_score(gold, predicted, labels=labels, average="macro", zero_division=0),
        "per_intent_f1": {label: round(float(f), 4) for label, f in zip(labels, per_intent, strict=True)},
        "oos_recall": sum(p in REJECTED for p in oos) / max(len(oos), 1),
        "in_scope_rejected": sum(p in REJECTED for p in in_scope) / max(len(in_scope), 1),
        "fallback_rate": sum(p == "nlu_fallback" for p in predicted) / len(predicted),
        "errors": [
            {"text": t, "gold": g, "predicted": p}
            for t, g, p in zip(texts, gold, predicted, strict=True) if g != p
        ],
    }



def entity_metrics(cases: list[dict[str, Any]], parses: list[dict[str, Any]]) -> dict[str, Any]:
    def norm(kind: str, value: Any) -> str:
        if kind == "amount":
            return str(float(value))
        return str(value)

    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in ENTITY_TYPES}
    misses = []
    for case, parsed in zip(cases, parses, strict=True):
        gold = {(k, norm(k, v)) for k, v in (case.get("entities") or {}).items() if k in counts}
        got = {(e["entity"], norm(e["entity"], e["value"])) for e in parsed.get("entities", []) if e["entity"] in counts}
        for kind in counts:
            g = {x for x in gold if x[0] == kind}
            p = {x for x in got if x[0] == kind}
            counts[kind]["tp"] += len(g & p)
            counts[kind]["fp"] += len(p - g)
            counts[kind]["fn"] += len(g - p)
        if gold != got:
            misses.append({"text": case["text"], "gold": sorted(gold), "got": sorted(got)})
    report = {}
    for kind, c in counts.items():
        precision = c["tp"] / max(c["tp"] + c["fp"], 1)
        recall = c["tp"] / max(c["tp"] + c["fn"], 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        report[kind] = {**c, "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    return {"per_type": report, "misses": misses}


def confusion_png(gold: list[str], predicted: list[str], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(gold) | set(predicted))
    matrix = confusion_matrix(gold, predicted, labels=labels)
    fig, ax = plt.subplots(figsize=(11, 9))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels=labels, rotation=60, ha="right")
    ax.set_yticks(range(len(labels)), labels=labels)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(j, i, matrix[i, j], ha="center", va="center",
                        color="white" if matrix[i, j] > matrix.max() / 2 else "black", fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rasa-url", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--testset", type=Path, default=REPO / "tests" / "nlu" / "testset.yml")
    parser.add_argument("--entity-cases", type=Path, default=REPO / "tests" / "nlu" / "entity_cases.yml")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--also", action="append", default=[], metavar="NAME=PATH", help="another intent set")
    parser.add_argument("--also-entities", action="append", default=[], metavar="NAME=PATH",
                        help="another entity set")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    items = load_testset(args.testset)
    texts, gold = [t for t, _ in items], [i for _, i in items]
    # Warm-up so the first-call cost is not counted as parse latency.
    parse_all(args.rasa_url, texts[:20])

    print(f"[{args.name}] clean test set: {len(texts)} messages", file=sys.stderr)
    parses, latencies = parse_all(args.rasa_url, texts)
    predicted = [p["intent"]["name"] for p in parses]
    clean = intent_metrics(texts, gold, predicted)
    confusion_png(gold, predicted, args.out / f"confusion_{args.name}.png", f"courtbot NLU — {args.name} (held-out)")

    print(f"[{args.name}] speech-degraded test set", file=sys.stderr)
    degraded_texts = [degrade(t, args.seed + i) for i, t in enumerate(texts)]
    degraded_parses, more_latencies = parse_all(args.rasa_url, degraded_texts)
    degraded = intent_metrics(degraded_texts, gold, [p["intent"]["name"] for p in degraded_parses])

    cases = yaml.safe_load(args.entity_cases.read_text())
    print(f"[{args.name}] entity cases: {len(cases)}", file=sys.stderr)
    entity_parses, entity_latencies = parse_all(args.rasa_url, [c["text"] for c in cases])
    entities = entity_metrics(cases, entity_parses)

    sets = {}
    for name, path in (spec.split("=", 1) for spec in args.also):
        items = load_testset(Path(path))
        set_texts, set_gold = [t for t, _ in items], [i for _, i in items]
        print(f"[{args.name}] intent set {name}: {len(set_texts)} messages, clean and degraded", file=sys.stderr)
        set_parses, _ = parse_all(args.rasa_url, set_texts)
        set_degraded = [degrade(t, args.seed + i) for i, t in enumerate(set_texts)]
        degraded_set_parses, _ = parse_all(args.rasa_url, set_degraded)
        sets[name] = {
            "clean": intent_metrics(set_texts, set_gold, [p["intent"]["name"] for p in set_parses]),
            "degraded": intent_metrics(set_degraded, set_gold, [p["intent"]["name"] for p in degraded_set_parses]),
        }
    entity_sets = {}
    for name, path in (spec.split("=", 1) for spec in args.also_entities):
        set_cases = yaml.safe_load(Path(path).read_text()) or []
        print(f"[{args.name}] entity set {name}: {len(set_cases)}", file=sys.stderr)
        set_parses, _ = parse_all(args.rasa_url, [c["text"] for c in set_cases])
        entity_sets[name] = {"n": len(set_cases), **entity_metrics(set_cases, set_parses)}

    all_latencies = latencies + more_latencies + entity_latencies
    result = {
        "name": args.name,
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "clean": clean,
        "degraded": degraded,
        "entities": {"n": len(cases), **entities},
        "sets": sets,
        "entity_sets": entity_sets,
        "latency_ms": {
            "n": len(all_latencies),
            "p50": round(percentile(all_latencies, 50), 2),
            "p95": round(percentile(all_latencies, 95), 2),
            "p99": round(percentile(all_latencies, 99), 2),
            "mean": round(statistics.mean(all_latencies), 2),
        },
    }
    (args.out / f"{args.name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps({k: result[k] for k in ("name", "latency_ms")}, ensure_ascii=False))
    print(f"accuracy={clean['accuracy']:.4f} macro_f1={clean['macro_f1']:.4f} "
          f"degraded_accuracy={degraded['accuracy']:.4f} oos_recall={clean['oos_recall']:.4f} "
          f"in_scope_rejected={clean['in_scope_rejected']:.4f} "
          f"case_number_f1={entities['per_type']['case_number']['f1']} phone_f1={entities['per_type']['phone']['f1']}")


if __name__ == "__main__":
    main()
