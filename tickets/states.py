"""The ticket lifecycle as an explicit state machine (接听 → 交办 → 办理 → 反馈 → 回访 → 办结).

Pure: no database. The service asks `transition()` before changing anything, so an illegal action
raises and nothing is written.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    FED_BACK = "fed_back"
    REVISITED = "revisited"
    CLOSED = "closed"
    MERGED = "merged"


class Action(str, Enum):
    OPEN = "open"  # the bot (or a person) registered the ticket; not a transition
    ACCEPT = "accept"  # take the ticket (an operator or handler starts working on it)
    ASSIGN = "assign"  # 交办 / reassign to a department and person
    RETURN = "return"  # 退回: the department says it is not theirs; back to the operators
    NOTE = "note"
    ADD_DETAILS = "add_details"  # the caller added details (bot)
    FEEDBACK = "feedback"  # 反馈 the answer to the caller
    REVISIT = "revisit"  # 回访 reached the caller: satisfaction 1–5
    REVISIT_FAILED = "revisit_failed"  # could not reach the caller
    REVISIT_ASKED = "revisit_asked"  # the bot asked the caller for satisfaction, or queued a phone revisit
    CLOSE = "close"
    REOPEN = "reopen"  # the caller is unsatisfied
    ESCALATE = "escalate"  # 督办 by hand
    REMIND = "remind"  # 催办 / escalation by the scheduler
    MERGE = "merge"  # this ticket duplicates another
    ABSORB = "absorb"  # the other side of a merge


OPEN = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.FED_BACK, Status.REVISITED})
WORKING = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS})

# action → (statuses it may start from, resulting status; None = unchanged)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.ACCEPT: (frozenset({Status.RECEIVED, Status.ASSIGNED}), Status.IN_PROGRESS),
    Action.ASSIGN: (WORKING, Status.ASSIGNED),
    Action.RETURN: (frozenset({Status.ASSIGNED, Status.IN_PROGRESS}), Status.RECEIVED),
    Action.NOTE: (OPEN | {Status.CLOSED}, None),
    Action.ADD_DETAILS: (OPEN, None),
    Action.FEEDBACK: (frozenset({Status.IN_PROGRESS}), Status.FED_BACK),
    Action.REVISIT: (frozenset({Status.FED_BACK}), Status.REVISITED),
    Action.REVISIT_FAILED: (frozenset({Status.FED_BACK}), None),
    Action.REVISIT_ASKED: (frozenset({Status.FED_BACK}), None),
    Action.CLOSE: (frozenset({Status.REVISITED}), Status.CLOSED),
    Action.REOPEN: (frozenset({Status.FED_BACK, Status.REVISITED, Status.CLOSED}), Status.IN_PROGRESS),
    Action.ESCALATE: (OPEN, None),
    Action.REMIND: (OPEN, None),
    Action.MERGE: (WORKING, Status.MERGED),
    Action.ABSORB: (OPEN, None),
}

# The 12368 step each action belongs to, for the audit trail.
STEP: dict[Action, str] = {
    Action.OPEN: "接听",
    Action.ACCEPT: "接听", Action.ASSIGN: "交办", Action.RETURN: "交办", Action.NOTE: "办理",
    Action.ADD_DETAILS: "接听", Action.FEEDBACK: "反馈", Action.REVISIT: "回访",
    Action.REVISIT_FAILED: "回访", Action.REVISIT_ASKED: "回访", Action.CLOSE: "办结", Action.REOPEN: "督办", Action.ESCALATE: "督办",
    Action.REMIND: "督办", Action.MERGE: "办结", Action.ABSORB: "办理",
}

ACTION_LABELS: dict[Action, str] = {
    Action.OPEN: "登记",
    Action.ACCEPT: "受理", Action.ASSIGN: "交办", Action.RETURN: "退回", Action.NOTE: "备注",
    Action.ADD_DETAILS: "补充情况", Action.FEEDBACK: "反馈", Action.REVISIT: "回访",
    Action.REVISIT_FAILED: "回访未接通", Action.REVISIT_ASKED: "发起回访", Action.CLOSE: "办结", Action.REOPEN: "重新办理",
    Action.ESCALATE: "督办", Action.REMIND: "催办", Action.MERGE: "合并", Action.ABSORB: "并入重复工单",
}


class IllegalTransition(Exception):
    def __init__(self, status: str, action: str) -> None:
        from tickets.categories import status_label

        # Action is a str enum, so the plain code finds its label.
        super().__init__(f"工单当前状态为“{status_label(status)}”，不能执行“{ACTION_LABELS.get(action, action)}”。")
        self.status = status
        self.action = action


def allowed(status: str, action: Action) -> bool:
    sources, _ = TRANSITIONS[action]
    return status in {s.value for s in sources}


def transition(status: str, action: Action) -> str:
    """The status after `action`, or IllegalTransition (nothing may change then)."""
    if not allowed(status, action):
        raise IllegalTransition(status, action.value)
    _, target = TRANSITIONS[action]
    return status if target is None else target.value


def available_actions(status: str) -> list[Action]:
    """What a person may do next (the bot's and scheduler's own actions left out)."""
    internal = (Action.ABSORB, Action.REMIND, Action.ADD_DETAILS, Action.REVISIT_ASKED)
    return [a for a in TRANSITIONS if a not in internal and allowed(status, a)]
