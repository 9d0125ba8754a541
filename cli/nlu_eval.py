"""`./courtbot eval-nlu`: train each candidate pipeline if needed, evaluate it through a real Rasa
server's /model/parse, cross-validate, and write benchmarks/RESULTS.md rows plus confusion matrices."""

from __future__ import annotations

import json
import platform
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from cli.paths import BOT_DIR, venv
from cli.stack import Stack, rasa_service
from cli.training import ensure_model, rasa_env
from core.config import REPO_ROOT, Settings

RESULTS_DIR = REPO_ROOT / "benchmarks" / "nlu" / "results"
RESULTS_MD = REPO_ROOT / "benchmarks" / "RESULTS.md"
PIPELINES = {
    "sparse": BOT_DIR / "config.yml",
    "sparse+dense": REPO_ROOT / "benchmarks" / "nlu" / "config_dense.yml",
}
EVAL_PORT = 15105
BEGIN, END = "<!-- nlu-eval:begin -->", "<!-- nlu-eval:end -->"


def slug(name: str) -> str:
    """File-name form of a pipeline name (results JSON and confusion matrix)."""
    return name.replace("+", "_")


def evaluate(name: str, config: Path) -> dict[str, Any]:
    model = ensure_model(config=config)
    stack = Stack(Settings(), only=[rasa_service(model, EVAL_PORT)])
    stack.start()
    try:
        print(f"==> [{name}] Rasa loaded in {stack.wait_ready():.0f} s", flush=True)
        subprocess.run(
            [str(venv("rasa") / "bin" / "python"), str(REPO_ROOT / "benchmarks" / "nlu" / "evaluate.py"),
             "--rasa-url", f"http://127.0.0.1:{EVAL_PORT}", "--name", slug(name), "--out", str(RESULTS_DIR)],
            check=True, cwd=REPO_ROOT, env=rasa_env(),
        )
    finally:
        stack.stop()
    return json.loads((RESULTS_DIR / f"{slug(name)}.json").read_text())


def cross_validate(name: str, config: Path, folds: int) -> dict[str, float]:
    """Rasa's own k-fold cross-validation over the training data (bot/data/nlu)."""
    print(f"==> [{name}] {folds}-fold cross-validation (trains {folds} models) …", flush=True)
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [str(venv("rasa") / "bin" / "rasa"), "test", "nlu", "--nlu", str(BOT_DIR / "data" / "nlu"),
             "--config", str(config), "--cross-validation", "--folds", str(folds), "--out", out],
            check=True, cwd=REPO_ROOT, env=rasa_env(),
        )
        report = json.loads((Path(out) / "intent_report.json").read_text())
    return {"folds": folds, "accuracy": report["accuracy"], "macro_f1": report["macro avg"]["f1-score"],
            "measured_at": time.strftime("%Y-%m-%d %H:%M")}


def _row(name: str, r: dict[str, Any]) -> str:
    clean, degraded, ents, lat = r["clean"], r["degraded"], r["entities"]["per_type"], r["latency_ms"]
    cv = r.get("cv")
    cv_text = f"{cv['accuracy']:.3f} / {cv['macro_f1']:.3f} ({cv['folds']}-fold)" if cv else "—"
    return (
        f"| {name} | {clean['accuracy']:.3f} | {clean['macro_f1']:.3f} | {degraded['accuracy']:.3f} | "
        f"{clean['oos_recall']:.3f} | {clean['in_scope_rejected']:.3f} | {ents['case_number']['f1']:.3f} | "
        f"{ents['phone']['f1']:.3f} | {lat['p50']:.1f} / {lat['p99']:.1f} | {cv_text} |"
    )


def write_results(results: dict[str, dict[str, Any]]) -> None:
    lines = [
        BEGIN,
        "### NLU (held-out set, through `/model/parse`)",
        "",
        "Command: `make eval-nlu` (`./courtbot eval-nlu`). "
        f"Machine: {platform.machine()}, 2 cores, Python {platform.python_version()} driver, Rasa 3.6.21. "
        "Test set: `tests/nlu/testset.yml` (written apart from the training data, never trained on); "
        "degraded = the same set through `benchmarks/nlu/degrade.py` (no punctuation, spoken digits, ASR homophones); "
        "rejected = predicted `out_of_scope` or `nlu_fallback`; entities: `tests/nlu/entity_cases.yml`.",
        "",
        "| pipeline | accuracy | macro-F1 | degraded acc. | OOS recall | in-scope rejected | case no. F1 | "
        "phone F1 | parse p50 / p99 ms | cross-val acc. / macro-F1 |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *(_row(name, r) for name, r in results.items()),
        "",
        "Targets: accuracy ≥ 0.95, macro-F1 ≥ 0.93, degraded ≥ 0.90, OOS recall ≥ 0.90 with < 0.03 in-scope "
        "rejected, case-number and phone F1 ≥ 0.95, parse p50 ≤ 15 ms and p99 ≤ 50 ms.",
        "",
        *(f"![confusion matrix {name}](nlu/results/confusion_{slug(name)}.png)" for name in results),
        END,
    ]
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else "# Benchmark results\n\n"
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + "\n".join(lines) + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
    RESULTS_MD.write_text(text)


def run(pipelines: list[str], folds: int) -> None:
    results: dict[str, dict[str, Any]] = {}
    for name in PIPELINES:
        path = RESULTS_DIR / f"{slug(name)}.json"
        if name in pipelines:
            previous = json.loads(path.read_text()) if path.exists() else {}
            result = evaluate(name, PIPELINES[name])
            if folds > 1:
                result["cv"] = cross_validate(name, PIPELINES[name], folds)
            elif "cv" in previous:  # cross-validation skipped this time: keep the last one, it is dated
                result["cv"] = previous["cv"]
            path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
        if path.exists():  # keep rows of pipelines not re-run this time
            results[name] = json.loads(path.read_text())
    write_results(results)
    print(f"==> wrote {RESULTS_MD.relative_to(REPO_ROOT)}")
