"""The TEDPolicy variant of benchmarks/dialogue_policy.py is today's bot plus TEDPolicy and stories, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks.dialogue_policy import STORIES, TED, build_variants, ted_config
from cli.paths import BOT_DIR

# Rasa's own intents and actions a story may name without the domain listing them.
RASA_INTENTS = {"nlu_fallback"}
RASA_ACTIONS = {"action_deactivate_loop", "action_listen"}


def _policies(config_text: str) -> list[dict[str, object]]:
    return yaml.safe_load(config_text)["policies"]


def test_ted_is_added_to_the_rules_not_instead_of_them() -> None:
    original = (BOT_DIR / "config.yml").read_text(encoding="utf-8")
    changed = ted_config(original, epochs=7)
    ted = [p for p in _policies(changed) if p["name"] == "TEDPolicy"]
    assert ted == [{"name": "TEDPolicy", "max_history": 5, "epochs": 7, "random_seed": 42}]
    assert [p for p in _policies(changed) if p["name"] != "TEDPolicy"] == _policies(original)
    assert yaml.safe_load(changed)["pipeline"] == yaml.safe_load(original)["pipeline"]  # same NLU in both


def test_a_config_with_ted_already_is_refused() -> None:
    with pytest.raises(ValueError, match="TEDPolicy"):
        ted_config(ted_config((BOT_DIR / "config.yml").read_text(encoding="utf-8"), epochs=1), epochs=1)


def test_stories_name_only_what_the_domain_has() -> None:
    domain = yaml.safe_load((BOT_DIR / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]} | RASA_INTENTS
    actions = set(domain["actions"]) | set(domain["responses"]) | set(domain["forms"]) | RASA_ACTIONS
    slots = set(domain["slots"]) | {"requested_slot"}
    stories = yaml.safe_load(STORIES.read_text(encoding="utf-8"))["stories"]
    assert 10 <= len(stories) <= 20
    for story in stories:
        for step in story["steps"]:
            assert step.get("intent", "greet") in intents, (story["story"], step)
            assert step.get("action", "action_listen") in actions, (story["story"], step)
            assert step.get("active_loop") in set(domain["forms"]) | {None}, (story["story"], step)
            for slot in step.get("slot_was_set", []):
                assert set(slot) <= slots, (story["story"], slot)


def test_the_variant_differs_from_the_copy_only_by_stories_and_ted(tmp_path: Path) -> None:
    variants = build_variants(tmp_path, epochs=3)
    rules, ted = (v.bot_dir for v in variants.values())
    files = {p.relative_to(rules) for p in rules.rglob("*") if p.is_file()}
    assert {p.relative_to(ted) for p in ted.rglob("*") if p.is_file()} == files | {Path("data/stories.yml")}
    for relative in files - {Path("config.yml")}:
        assert (ted / relative).read_bytes() == (rules / relative).read_bytes(), relative
    assert any(p["name"] == "TEDPolicy" for p in _policies((variants[TED].bot_dir / "config.yml").read_text()))
    assert not any(p["name"] == "TEDPolicy" for p in _policies((rules / "config.yml").read_text()))


def test_deciding_policies_counts_who_chose_each_bot_action(tmp_path: Path) -> None:
    import json
    import sqlite3

    from benchmarks.dialogue_policy import deciding_policies

    db = tmp_path / "rasa_tracker.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE events (sender_id TEXT, type_name TEXT, data TEXT)")
        rows = [("action", {"name": "utter_greet", "policy": "RulePolicy"}),
                ("action", {"name": "action_listen", "policy": "TEDPolicy"}),
                ("action", {"name": "case_progress_form", "policy": "followup_action"}),
                ("action", {"name": "action_session_start", "policy": None}),
                ("user", {"text": "你好", "policy": "TEDPolicy"})]  # not an action: not counted
        conn.executemany("INSERT INTO events VALUES ('s', ?, ?)", [(t, json.dumps(d)) for t, d in rows])
    assert deciding_policies(db) == {"RulePolicy": 1, "TEDPolicy": 1, "followup_action": 1, "no policy": 1}
