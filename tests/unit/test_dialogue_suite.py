"""The dialogue suite's own machinery: the suite file is well formed and the judge can fail.

The suite's items are held out (tests/unit/test_heldout_overlap.py checks them against training data
and test literals); the cases below use their own made-up dialogues, never the suite's.
"""

from __future__ import annotations

import re

import pytest

from benchmarks.dialogue_suite import (
    KINDS,
    Criterion,
    SuiteError,
    TicketSeen,
    bind,
    failure_kinds,
    judge,
    load_suite,
    parse_dialogue,
    substitute,
    wilson_interval,
)

FIELDS = {"number", "loose", "year", "type", "seq", "status", "cause", "judge", "clerk", "party", "tail", "phones",
          "room", "last_step"}


def test_suite_is_large_covers_every_kind_and_compiles() -> None:
    suite = load_suite()
    assert len(suite) >= 100
    assert {d.kind for d in suite} == set(KINDS)
    assert sum(len(d.turns) > 1 for d in suite) >= 100  # multi-turn, not one-liners
    for dialogue in suite:
        texts = [p for t in dialogue.turns for c in t.expect for p in c.patterns]
        texts += [p for t in dialogue.turns for p in t.forbid] + list(dialogue.forbid)
        texts += [p for c in dialogue.expect for p in c.patterns]
        for text in texts:
            for name, key in re.findall(r"\{([a-z]\w*)\.(\w+)\}", text):
                assert name in dialogue.cases and key in FIELDS, (dialogue.id, text)
            re.compile(text)
        checks = (dialogue.expect, dialogue.forbid, dialogue.tickets, *(t.expect + t.forbid for t in dialogue.turns))
        assert any(checks), f"{dialogue.id} checks nothing"


def test_lockout_dialogues_run_last() -> None:
    suite = load_suite()
    flags = [d.last for d in suite]
    assert flags == sorted(flags)


def _dialogue(**extra: object):
    raw = {"id": "x", "kind": "ticket", "turns": [{"say": "甲", "expect": ["工单号\\d+"]}, {"say": "乙"}]}
    raw.update(extra)
    return parse_dialogue(raw, "made-up.yml")


def test_expectation_must_hold_in_its_own_turn() -> None:
    dialogue = _dialogue()
    assert judge(dialogue, ["已登记，工单号17", "好的"]).passed
    moved = judge(dialogue, ["好的", "已登记，工单号17"])
    assert [f.kind for f in moved.failures] == ["expect"] and moved.failures[0].turn == 1


def test_forbid_anywhere_is_a_safety_failure() -> None:
    dialogue = _dialogue(forbid=["13900001111"])
    verdict = judge(dialogue, ["工单号1", "对方电话13900001111"])
    assert not verdict.passed and not verdict.safe
    assert verdict.failures[0].turn == 2


def test_any_of_and_conversation_level_expect() -> None:
    criterion = Criterion(("第五法庭", "五号庭"))
    assert criterion.holds("在五号庭") and not criterion.holds("在第六法庭")
    dialogue = _dialogue(expect=[{"any": ["第五法庭", "五号庭"]}])
    assert judge(dialogue, ["工单号2", "在五号庭开庭"]).passed
    assert not judge(dialogue, ["工单号2", "请稍候"]).passed


def test_degraded_or_missing_replies_fail() -> None:
    dialogue = _dialogue()
    assert [f.kind for f in judge(dialogue, ["工单号3", "好的"], degraded=[1]).failures] == ["degraded"]
    assert "error" in {f.kind for f in judge(dialogue, ["工单号3"]).failures}
    assert not judge(dialogue, ["工单号3", "Traceback (most recent call last)"]).safe


def test_ticket_expectations() -> None:
    dialogue = _dialogue(tickets={"count": 1, "category": "投诉", "mentions": ["7788"], "case_number": "甲-1"})
    good = TicketSeen("T1", "投诉举报", "窗口态度差\n补充：回电 139****7788", "甲-1")
    assert judge(dialogue, ["工单号4", "好的"], [good]).passed
    dropped = TicketSeen("T1", "投诉举报", "窗口态度差", "甲-1")
    assert "tickets" in {f.kind for f in judge(dialogue, ["工单号4", "好的"], [dropped]).failures}
    two = judge(dialogue, ["工单号4", "好的"], [good, good])
    assert any("2 tickets" in f.detail for f in two.failures) and not two.safe
    none_for_judge = _dialogue(tickets={"forbid_category": "联系法官"})
    assert judge(none_for_judge, ["工单号5", "好的"], [TicketSeen("T2", "转人工", "")]).passed
    assert not judge(none_for_judge, ["工单号5", "好的"], [TicketSeen("T3", "联系法官", "")]).passed
    pair = _dialogue(tickets={"count": 2, "categories": ["投诉", "建议"]})
    assert not judge(pair, ["工单号6", "好的"], [TicketSeen("a", "投诉举报", ""), TicketSeen("b", "投诉举报", "")]).passed


def test_bindings_fill_messages_raw_and_criteria_escaped() -> None:
    raw = {"id": "b", "kind": "one_message", "cases": {"c": {"type": "执"}},
           "turns": [{"say": "查{c.number}", "expect": ["{c.room}"], "forbid": ["{c.phones}"]}]}
    bound = bind(parse_dialogue(raw, "made-up.yml"),
                 {"c": {"number": "（2030）甲执7号", "room": "第(九)庭", "phones": "(?:13000000000)"}})
    assert bound.turns[0].say == "查（2030）甲执7号"
    assert judge(bound, ["在第(九)庭"]).passed
    assert not judge(bound, ["在第九庭"]).passed  # escaped: parentheses are literal
    assert not judge(bound, ["第(九)庭 13000000000"]).passed
    with pytest.raises(SuiteError):
        substitute("{c.room}", {"c": {"room": None}}, True)


def test_malformed_dialogues_are_rejected() -> None:
    with pytest.raises(SuiteError):
        parse_dialogue({"id": "m", "kind": "nonsense", "turns": [{"say": "甲"}]}, "m.yml")
    with pytest.raises(SuiteError):
        parse_dialogue({"id": "m", "kind": "fee", "turns": ["甲"]}, "m.yml")
    with pytest.raises(SuiteError):
        parse_dialogue({"id": "m", "kind": "fee", "turns": [{"say": "甲"}], "tickets": {"cnt": 1}}, "m.yml")


def test_summary_figures() -> None:
    low, high = wilson_interval(90, 100)
    assert 0.82 < low < 0.84 and 0.94 < high < 0.95
    assert wilson_interval(0, 0) == (0.0, 0.0)
    verdicts = [judge(_dialogue(), ["好的", "好的"]), judge(_dialogue(), ["工单号9", "好的"])]
    assert failure_kinds(verdicts) == {"ticket: expect": 1}
