"""`./courtbot eval-nlu`: train each candidate pipeline if needed, evaluate it through a real Rasa
server's /model/parse on the held-out sets (and, for comparison, on the first edition of the sets and its
held-out part, taken from git history), cross-validate on the training data, and write the
`nlu-eval` section of benchmarks/RESULTS.md plus confusion matrices."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.nlu.overlap import ENTITY_CASES, TESTSET, OverlapIndex, intent_items, references
from benchmarks.results import write_section
from cli.paths import BOT_DIR, venv
from cli.stack import Stack, rasa_service
from cli.training import ensure_model, rasa_env
from core.config import REPO_ROOT, Settings
from core.rasa_token import rasa_token

RESULTS_DIR = REPO_ROOT / "benchmarks" / "nlu" / "results"
PIPELINES = {
    "sparse": BOT_DIR / "config.yml",
    "sparse+dense": REPO_ROOT / "benchmarks" / "nlu" / "config_dense.yml",
}
# The first edition of tests/nlu/*.yml (overlapping the training data, issue 6) and the last commit whose
# RESULTS.md published figures measured on it. Only read from git, never kept as an evaluation set.
OLD_SETS_COMMIT = "f172240e15ff8bee72e46cb0378e29d55ba6ebef"
PUBLISHED_COMMIT = "283f14da7f2bde786749f292b2a0801e8989b608"
NEW, OLD, OLD_HELD_OUT = "new", "old (first edition), all", "old, held-out part"
TARGETS = (
    "Targets: accuracy ≥ 0.95, macro-F1 ≥ 0.93, degraded ≥ 0.90, OOS recall ≥ 0.90 with < 0.03 in-scope "
    "rejected, case-number and phone F1 ≥ 0.95, parse p50 ≤ 15 ms and p99 ≤ 50 ms."
)


def slug(name: str) -> str:
    """File-name form of a pipeline name (results JSON and confusion matrix)."""
    return name.replace("+", "_")


def _free_port() -> int:
    """A loopback port nobody listens on, so parallel evaluations and stacks do not collide."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _git_show(commit: str, path: str) -> str | None:
    result = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=REPO_ROOT, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def sets_fingerprint() -> str:
    """Which edition of the held-out sets a stored result was measured on."""
    digest = hashlib.sha256(TESTSET.read_bytes() + ENTITY_CASES.read_bytes())
    return digest.hexdigest()[:12]


def prepare_sets(folder: Path) -> tuple[list[str], list[str], dict[str, Any]]:
    """Write the comparison sets to `folder`; return evaluate.py's --also / --also-entities and the counts.

    The held-out part of the old sets is what is left after the overlap rule (benchmarks/nlu/overlap.py)
    against today's training data and unit-test literals.
    """
    index = OverlapIndex(references())
    new_items = intent_items(TESTSET.read_text(encoding="utf-8"))
    new_cases = yaml.safe_load(ENTITY_CASES.read_text(encoding="utf-8"))
    counts: dict[str, Any] = {
        "new_overlapping": sum(index.find(text) is not None for text, _ in new_items),
        "new_entity_overlapping": sum(index.find(case["text"]) is not None for case in new_cases),
    }
    print(f"==> new sets: {len(new_items)} messages ({counts['new_overlapping']} overlap training data or "
          f"test literals), {len(new_cases)} entity cases ({counts['new_entity_overlapping']} overlap)", flush=True)
    old_testset = _git_show(OLD_SETS_COMMIT, "tests/nlu/testset.yml")
    old_entities = _git_show(OLD_SETS_COMMIT, "tests/nlu/entity_cases.yml")
    if old_testset is None or old_entities is None:
        print(f"==> no git history with commit {OLD_SETS_COMMIT[:7]}: old sets not compared", flush=True)
        return [], [], counts

    old_items = intent_items(old_testset)
    found = [index.find(text) for text, _ in old_items]
    held = [item for item, hit in zip(old_items, found, strict=True) if hit is None]
    counts.update(
        old=len(old_items),
        old_duplicates=sum(hit is not None and hit.similarity == 1.0 for hit in found),
        old_near=sum(hit is not None and hit.similarity < 1.0 for hit in found),
        old_held_out=len(held),
    )
    by_intent: dict[str, list[str]] = {}
    for text, intent in held:
        by_intent.setdefault(intent, []).append(text)
    (folder / "old_testset.yml").write_text(old_testset, encoding="utf-8")
    (folder / "old_heldout.yml").write_text(yaml.safe_dump(
        {"version": "3.1", "nlu": [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)}
                                   for i, texts in by_intent.items()]}, allow_unicode=True), encoding="utf-8")

    old_cases = yaml.safe_load(old_entities)
    held_cases = [case for case in old_cases if index.find(case["text"]) is None]
    counts.update(old_entities=len(old_cases), old_entities_held_out=len(held_cases))
    (folder / "old_entities.yml").write_text(old_entities, encoding="utf-8")
    (folder / "old_entities_heldout.yml").write_text(yaml.safe_dump(held_cases, allow_unicode=True), encoding="utf-8")
    print(f"==> old sets ({OLD_SETS_COMMIT[:7]}): {counts['old']} messages, {counts['old_duplicates']} duplicates "
          f"and {counts['old_near']} near duplicates of training data / test literals, {len(held)} held out; "
          f"{len(old_cases)} entity cases, {len(held_cases)} held out", flush=True)
    also = [f"{OLD}={folder / 'old_testset.yml'}", f"{OLD_HELD_OUT}={folder / 'old_heldout.yml'}"]
    also_entities = [f"{OLD}={folder / 'old_entities.yml'}", f"{OLD_HELD_OUT}={folder / 'old_entities_heldout.yml'}"]
    return also, also_entities, counts


def evaluate(name: str, config: Path, also: list[str], also_entities: list[str]) -> dict[str, Any]:
    model = ensure_model(config=config)
    token = rasa_token(Settings())
    port = _free_port()
    stack = Stack(Settings(), only=[rasa_service(model, port, token)])
    print(f"==> [{name}] starting Rasa on 127.0.0.1:{port} …", flush=True)
    stack.start()
    try:
        print(f"==> [{name}] Rasa loaded in {stack.wait_ready():.0f} s", flush=True)
        extra = [arg for spec in also for arg in ("--also", spec)]
        extra += [arg for spec in also_entities for arg in ("--also-entities", spec)]
        subprocess.run(
            [str(venv("rasa") / "bin" / "python"), str(REPO_ROOT / "benchmarks" / "nlu" / "evaluate.py"),
             "--rasa-url", f"http://127.0.0.1:{port}", "--name", slug(name), "--out", str(RESULTS_DIR), *extra],
            check=True, cwd=REPO_ROOT, env={**rasa_env(), "COURTBOT_RASA_TOKEN": token},
        )
    finally:
        stack.stop()
    result = json.loads((RESULTS_DIR / f"{slug(name)}.json").read_text())
    result["model"] = model.name
    return result


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


def _intent_row(pipeline: str, label: str, r: dict[str, Any]) -> str:
    clean, degraded = r["clean"], r["degraded"]
    return (
        f"| {pipeline} | {label} | {clean['n']} | {clean['accuracy']:.3f} | {clean['macro_f1']:.3f} | "
        f"{degraded['accuracy']:.3f} | {clean['oos_recall']:.3f} | {clean['in_scope_rejected']:.3f} |"
    )


def _entity_row(pipeline: str, label: str, r: dict[str, Any]) -> str:
    types = r["per_type"]
    cells = " | ".join(f"{types[k]['f1']:.3f}" for k in ("case_number", "phone", "id_number", "person_name",
                                                           "amount", "date"))
    return f"| {pipeline} | {label} | {r.get('n', '—')} | {cells} |"


def _published() -> str:
    """The figures published before the sets were rewritten, read from git: what the old table claimed."""
    text = _git_show(PUBLISHED_COMMIT, "benchmarks/nlu/results/sparse.json")
    if text is None:
        return ""
    old = json.loads(text)
    cv = old.get("cv") or {}
    return (
        f"Published before the rewrite (sparse, the model of commit {PUBLISHED_COMMIT[:7]}, on the old set, "
        f"from `git show {PUBLISHED_COMMIT[:7]}:benchmarks/nlu/results/sparse.json`, measured "
        f"{old.get('measured_at', '?')}): accuracy {old['clean']['accuracy']:.3f}, macro-F1 "
        f"{old['clean']['macro_f1']:.3f}, degraded {old['degraded']['accuracy']:.3f}, OOS recall "
        f"{old['clean']['oos_recall']:.3f}"
        + (f", cross-validation {cv['accuracy']:.3f} / {cv['macro_f1']:.3f} ({cv['folds']}-fold)" if cv else "")
        + ".\n"
    )


def section_body(results: dict[str, dict[str, Any]], counts: dict[str, Any]) -> str:
    intent_rows, entity_rows, speed_rows = [], [], []
    for pipeline, r in results.items():
        intent_rows.append(_intent_row(pipeline, f"**{NEW}** (held out)", r))
        intent_rows += [_intent_row(pipeline, label, s) for label, s in r.get("sets", {}).items()]
        entity_rows.append(_entity_row(pipeline, f"**{NEW}** (held out)", r["entities"]))
        entity_rows += [_entity_row(pipeline, label, s) for label, s in r.get("entity_sets", {}).items()]
        lat, cv = r["latency_ms"], r.get("cv")
        cv_text = f"{cv['accuracy']:.3f} / {cv['macro_f1']:.3f} ({cv['folds']}-fold, {cv['measured_at']})" if cv else "—"
        speed_rows.append(f"| {pipeline} | {lat['p50']:.1f} / {lat['p95']:.1f} / {lat['p99']:.1f} | {cv_text} | "
                          f"`{r.get('model', '?')}` |")
    old_line = ""
    if "old" in counts:
        old_line = (
            f"Old = the first edition of the sets (`git show {OLD_SETS_COMMIT[:7]}:tests/nlu/testset.yml`, "
            f"`…/entity_cases.yml`): {counts['old']} messages, of which {counts['old_duplicates']} duplicate and "
            f"{counts['old_near']} nearly duplicate today's training data or unit-test literals; the held-out "
            f"part is the other {counts['old_held_out']} (entity cases: {counts['old_entities_held_out']} of "
            f"{counts['old_entities']}). It is only read from git history, never evaluated as a held-out set.\n\n"
        )
    return "\n".join([
        "New = `tests/nlu/testset.yml` and `tests/nlu/entity_cases.yml`, rewritten for issue 6 without looking "
        "at the training data or the model's errors; `tests/unit/test_heldout_overlap.py` keeps them held "
        "out (no item equal to, or with character-3-gram Jaccard ≥ 0.8 to, a training example or unit-test "
        f"literal after normalising). At this run {counts['new_overlapping']} messages and "
        f"{counts['new_entity_overlapping']} entity cases overlapped. Degraded = the same set through "
        "`benchmarks/nlu/degrade.py` (no punctuation, spoken digits, ASR homophones); rejected = predicted "
        "`out_of_scope` or `nlu_fallback`.",
        "",
        old_line + _published(),
        "| pipeline | test set | messages | accuracy | macro-F1 | degraded acc. | OOS recall | in-scope rejected |",
        "|---|---|---|---|---|---|---|---|",
        *intent_rows,
        "",
        "| pipeline | entity set | cases | case no. F1 | phone F1 | ID no. F1 | name F1 | amount F1 | date F1 |",
        "|---|---|---|---|---|---|---|---|---|",
        *entity_rows,
        "",
        "| pipeline | parse p50 / p95 / p99 ms (new sets) | cross-validation on the training data, acc. / macro-F1 "
        "| model |",
        "|---|---|---|---|",
        *speed_rows,
        "",
        TARGETS + " The sober figure is the new set's; cross-validation measures the training data "
        "against itself and is the same whichever test set is used.",
        "",
        *(f"![confusion matrix {name}, new set](nlu/results/confusion_{slug(name)}.png)" for name in results),
    ])


def run(pipelines: list[str], folds: int) -> None:
    fingerprint = sets_fingerprint()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="courtbot-eval-") as tmp:
        also, also_entities, counts = prepare_sets(Path(tmp))
        for name in PIPELINES:
            path = RESULTS_DIR / f"{slug(name)}.json"
            if name in pipelines:
                previous = json.loads(path.read_text()) if path.exists() else {}
                result = evaluate(name, PIPELINES[name], also, also_entities)
                result["sets_fingerprint"] = fingerprint
                if folds > 1:
                    result["cv"] = cross_validate(name, PIPELINES[name], folds)
                elif "cv" in previous:  # cross-validation skipped this time: keep the last one, it is dated
                    result["cv"] = previous["cv"]
                path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
            if path.exists():  # a pipeline not re-run keeps its row, if it was measured on these sets
                stored = json.loads(path.read_text())
                if stored.get("sets_fingerprint") == fingerprint:
                    results[name] = stored
                else:
                    print(f"==> [{name}] stored result is from other test sets: left out", flush=True)
    command = "./courtbot eval-nlu" + "".join(f" --pipeline {p}" for p in pipelines) + f" --cv-folds {folds}"
    write_section("nlu-eval", "NLU (held-out sets, through `/model/parse`)", section_body(results, counts),
                  command=command)
    print("==> wrote benchmarks/RESULTS.md (section nlu-eval)")
