"""The multi-turn dialogue suite (tests/dialogues/*.yml): loading, case bindings and judging.

Pure logic, no network: `benchmarks/dialogues.py` runs the dialogues through the stack and hands
the replies and tickets here; tests/unit/test_dialogue_judging.py tests the judging itself. The
format is described in tests/dialogues/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SUITE_DIR = Path(__file__).resolve().parent.parent / "tests" / "dialogues"
KINDS = (
    "court_info", "followup", "capabilities", "case_progress", "one_message", "mediation_case",
    "form_side_question", "form_correction", "form_cancel", "ticket", "judge_message", "injection",
    "fee", "legal", "handoff",
)  # fmt: skip
# Every reply of every dialogue: the public never sees a stack trace or an internal error.
GLOBAL_FORBID = (r"Traceback|Exception|Error|NoneType|\{[a-z_]+\}",)
_PLACEHOLDER = re.compile(r"\{([a-z]\w*)\.(\w+)\}")
_TICKET_KEYS = {"count", "max", "category", "categories", "mentions", "case_number", "verified", "forbid_category"}


class SuiteError(ValueError):
    """The suite file is malformed (a bug in the suite, not a failure of the bot)."""


# ------------------------------------------------------------------ criteria
@dataclass(frozen=True)
class Criterion:
    """A reply must match one of `patterns` (a plain regex is a one-pattern criterion)."""

    patterns: tuple[str, ...]

    def holds(self, text: str) -> bool:
        return any(re.search(p, text) for p in self.patterns)

    def describe(self) -> str:
        return " | ".join(self.patterns)


def _criteria(raw: Any, where: str) -> tuple[Criterion, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SuiteError(f"{where}: expected a list of criteria")
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(Criterion((item,)))
        elif isinstance(item, dict) and set(item) == {"any"} and isinstance(item["any"], list):
            out.append(Criterion(tuple(str(p) for p in item["any"])))
        else:
            raise SuiteError(f"{where}: a criterion is a regex string or {{any: [regex, …]}}, not {item!r}")
    return tuple(out)


def _patterns(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise SuiteError(f"{where}: forbid is a list of regex strings")
    return tuple(raw)


# ------------------------------------------------------------------ dialogues
@dataclass(frozen=True)
class Turn:
    say: str
    expect: tuple[Criterion, ...] = ()
    forbid: tuple[str, ...] = ()


@dataclass(frozen=True)
class TicketSpec:
    count: int | None = None
    max: int | None = None
    category: str | None = None  # regex every ticket's category matches
    categories: tuple[str, ...] = ()  # one ticket per regex, in any order
    mentions: tuple[str, ...] = ()  # regexes found in the tickets' stored text (details attached)
    case_number: str | None = None
    verified: bool | None = None
    forbid_category: str | None = None


@dataclass(frozen=True)
class Dialogue:
    id: str
    kind: str
    turns: tuple[Turn, ...]
    source: str
    expect: tuple[Criterion, ...] = ()  # over all replies of the conversation
    forbid: tuple[str, ...] = ()  # in no reply of the conversation
    tickets: TicketSpec | None = None
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    safety: bool = False  # forbids and ticket checks here are hard safety properties
    last: bool = False  # runs after the others (it fails identity checks on purpose)


def _ticket_spec(raw: Any, where: str) -> TicketSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not set(raw) <= _TICKET_KEYS:
        raise SuiteError(f"{where}: tickets takes {sorted(_TICKET_KEYS)}")
    return TicketSpec(
        count=raw.get("count"), max=raw.get("max"), category=raw.get("category"),
        categories=tuple(raw.get("categories") or ()), mentions=tuple(raw.get("mentions") or ()),
        case_number=raw.get("case_number"), verified=raw.get("verified"),
        forbid_category=raw.get("forbid_category"),
    )


def parse_dialogue(raw: dict[str, Any], source: str) -> Dialogue:
    where = f"{source}:{raw.get('id', '?')}"
    if not isinstance(raw.get("id"), str) or raw.get("kind") not in KINDS:
        raise SuiteError(f"{where}: needs an id and a kind out of {KINDS}")
    turns = []
    for turn in raw.get("turns") or []:
        if not isinstance(turn, dict) or not isinstance(turn.get("say"), str) or not turn["say"].strip():
            raise SuiteError(f"{where}: every turn is a mapping with a non-empty `say`")
        turns.append(Turn(turn["say"], _criteria(turn.get("expect"), where), _patterns(turn.get("forbid"), where)))
    if not turns:
        raise SuiteError(f"{where}: no turns")
    cases = raw.get("cases") or {}
    if not isinstance(cases, dict) or not all(isinstance(v, dict) and "type" in v for v in cases.values()):
        raise SuiteError(f"{where}: cases maps a name to {{type: …}}")
    return Dialogue(
        id=raw["id"], kind=raw["kind"], turns=tuple(turns), source=source,
        expect=_criteria(raw.get("expect"), where), forbid=_patterns(raw.get("forbid"), where),
        tickets=_ticket_spec(raw.get("tickets"), where), cases=cases,
        safety=bool(raw.get("safety")), last=bool(raw.get("last")),
    )


def load_suite(directory: Path = SUITE_DIR) -> list[Dialogue]:
    """Every dialogue of every *.yml file, the `last: true` ones at the end; ids are unique."""
    dialogues: list[Dialogue] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("dialogues") or []:
            dialogues.append(parse_dialogue(raw, path.name))
    ids = [d.id for d in dialogues]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SuiteError(f"duplicate dialogue ids: {duplicates}")
    return sorted(dialogues, key=lambda d: d.last)


# ------------------------------------------------------------------ case bindings
Binding = dict[str, str | None]  # field → value, e.g. number, party, tail, room, phones (a regex)


def substitute(text: str, bindings: dict[str, Binding], as_regex: bool) -> str:
    """Fill {name.field}; values are regex-escaped inside criteria, except `phones` (already a regex)."""

    def fill(match: re.Match[str]) -> str:
        name, key = match.group(1), match.group(2)
        if name not in bindings or key not in bindings[name]:
            raise SuiteError(f"unknown placeholder {match.group(0)}")
        value = bindings[name][key]
        if value is None:
            raise SuiteError(f"{match.group(0)} has no value for this case")
        return value if (not as_regex or key == "phones") else re.escape(value)

    return _PLACEHOLDER.sub(fill, text)


def bind(dialogue: Dialogue, bindings: dict[str, Binding]) -> Dialogue:
    """The dialogue with its placeholders filled in from the bound demo cases."""
    if not dialogue.cases:
        return dialogue

    def crit(items: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
        return tuple(Criterion(tuple(substitute(p, bindings, True) for p in c.patterns)) for c in items)

    def pats(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(substitute(p, bindings, True) for p in items)

    turns = tuple(Turn(substitute(t.say, bindings, False), crit(t.expect), pats(t.forbid)) for t in dialogue.turns)
    return Dialogue(
        id=dialogue.id, kind=dialogue.kind, turns=turns, source=dialogue.source, expect=crit(dialogue.expect),
        forbid=pats(dialogue.forbid), tickets=dialogue.tickets, cases={}, safety=dialogue.safety, last=dialogue.last,
    )


# ------------------------------------------------------------------ judging
@dataclass(frozen=True)
class TicketSeen:
    """What the runner read back from the database for one ticket of the conversation."""

    number: str
    category: str
    text: str  # summary, collected details, case number and audit notes, joined
    case_number: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class Failure:
    kind: str  # expect / forbid / tickets / degraded / error
    detail: str
    turn: int | None = None  # 1-based; None for the whole conversation
    safety: bool = False  # a disclosure or a wrong ticket, not merely an unhelpful reply


@dataclass(frozen=True)
class Verdict:
    dialogue: Dialogue
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def safe(self) -> bool:
        return not any(f.safety for f in self.failures)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _judge_tickets(spec: TicketSpec, tickets: list[TicketSeen]) -> list[Failure]:
    failures: list[Failure] = []

    def fail(detail: str) -> None:
        failures.append(Failure("tickets", detail, safety=True))

    n = len(tickets)
    if spec.count is not None and n != spec.count:
        fail(f"{n} tickets opened, expected {spec.count}")
    if spec.max is not None and n > spec.max:
        fail(f"{n} tickets opened, at most {spec.max} expected")
    if spec.category:
        for t in tickets:
            if not re.search(spec.category, t.category):
                fail(f"ticket category {t.category!r} is not /{spec.category}/")
    if spec.categories:
        remaining = [t.category for t in tickets]
        for pattern in spec.categories:
            hit = next((c for c in remaining if re.search(pattern, c)), None)
            if hit is None:
                fail(f"no ticket of category /{pattern}/ among {[t.category for t in tickets]}")
            else:
                remaining.remove(hit)
    if spec.forbid_category:
        for t in tickets:
            if re.search(spec.forbid_category, t.category):
                fail(f"a {t.category} ticket was opened")
    if tickets:
        joined = "\n".join(t.text for t in tickets)
        for pattern in spec.mentions:
            if not re.search(pattern, joined):
                fail(f"the ticket does not carry /{pattern}/ (a detail given later was dropped)")
        if spec.case_number and not any(t.case_number == spec.case_number for t in tickets):
            fail(f"no ticket for case {spec.case_number} (got {[t.case_number for t in tickets]})")
        if spec.verified is not None and not all(t.verified == spec.verified for t in tickets):
            fail(f"ticket caller_verified is not {spec.verified}")
    return failures


def judge(dialogue: Dialogue, replies: list[str], tickets: list[TicketSeen] | None = None,
          degraded: Iterable[int] = ()) -> Verdict:
    """Did the caller get what they needed, with nothing disclosed or ticketed wrongly?

    `replies[i]` is everything the bot said after turn i (joined); `degraded` the 0-based turns the
    gateway had to answer for Rasa; `tickets` the tickets opened for this conversation's sender.
    """
    failures: list[Failure] = []
    if len(replies) != len(dialogue.turns):
        failures.append(Failure("error", f"{len(replies)} replies for {len(dialogue.turns)} turns"))
    for index in sorted(set(degraded)):
        failures.append(Failure("degraded", "the stack did not answer in time", turn=index + 1))
    for index, (turn, reply) in enumerate(zip(dialogue.turns, replies, strict=False)):
        if not reply.strip():
            failures.append(Failure("expect", "empty reply", turn=index + 1))
        for criterion in turn.expect:
            if not criterion.holds(reply):
                failures.append(Failure("expect", f"/{criterion.describe()}/ not in {_short(reply)!r}", turn=index + 1))
        for pattern in (*turn.forbid, *dialogue.forbid):
            if re.search(pattern, reply):
                failures.append(Failure("forbid", f"/{pattern}/ in {_short(reply)!r}", turn=index + 1, safety=True))
        for pattern in GLOBAL_FORBID:
            if re.search(pattern, reply):
                failures.append(Failure("forbid", f"internal text /{pattern}/ shown", turn=index + 1, safety=True))
    everything = "\n".join(replies)
    for criterion in dialogue.expect:
        if not criterion.holds(everything):
            failures.append(Failure("expect", f"/{criterion.describe()}/ in no reply"))
    if dialogue.tickets is not None:
        failures.extend(_judge_tickets(dialogue.tickets, tickets or []))
    return Verdict(dialogue, tuple(failures))


# ------------------------------------------------------------------ summary
def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a success rate: the sober figure beside the headline."""
    if total == 0:
        return (0.0, 0.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * ((p * (1 - p) / total + z * z / (4 * total * total)) ** 0.5) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def failure_kinds(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """How many dialogues failed for each (dialogue kind, failure kind): no item texts."""
    counts: dict[str, int] = {}
    for verdict in verdicts:
        for kind in sorted({f.kind for f in verdict.failures}):
            key = f"{verdict.dialogue.kind}: {kind}"
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def per_kind(verdicts: Iterable[Verdict]) -> dict[str, tuple[int, int]]:
    table: dict[str, tuple[int, int]] = {}
    for verdict in verdicts:
        passed, total = table.get(verdict.dialogue.kind, (0, 0))
        table[verdict.dialogue.kind] = (passed + verdict.passed, total + 1)
    return table

