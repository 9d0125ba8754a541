"""Tracker stores whose sessions have a bounded length, so turn 200 of a conversation costs what turn 1 does.

Every turn Rasa reprocesses the whole current session: the tracker store deserialises each of its
events and every policy prediction replays them to build its states, so a turn's cost grows with the
session (measured: benchmarks/RESULTS.md, turn latency). A WeChat caller keeps one conversation id, and
Rasa only cuts sessions after inactivity (`session_config`). These stores also cut a session after
`max_session_turns` caller turns (COURTBOT_SESSION_MAX_TURNS), at a quiet moment (no form active, no slot that steers the
dialogue away from its initial value, the last message understood), by appending the events Rasa's own
`action_session_start` writes with `carry_over_slots_to_new_session`: the next turn loads and
featurises only the new session, with every slot carried over. Every message stays in the gateway's
message log (`chat_messages`); the SQL store keeps the earlier sessions' events too.
"""

from __future__ import annotations

import time
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

DEFAULT_MAX_TURNS = 20  # core/config.py COURTBOT_SESSION_MAX_TURNS, passed in by endpoints.yml
FALLBACK_INTENT = "nlu_fallback"  # a miss counts towards "second miss in a row": keep it in the session


def turns_in_session(tracker: DialogueStateTracker) -> int:
    """Caller messages since the session started (the tracker holds only the current session)."""
    turns = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            turns += 1
    return turns


def quiet(tracker: DialogueStateTracker) -> bool:
    """Nothing in flight that a fresh session would lose: a form, an offer awaiting yes/no, a miss."""
    if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.active_loop_name:
        return False
    if any(slot.influence_conversation and slot.value != slot.initial_value for slot in tracker.slots.values()):
        return False
    intent = (tracker.latest_message.intent or {}).get(INTENT_NAME_KEY) if tracker.latest_message else None
    return intent != FALLBACK_INTENT


def rollover_events(tracker: DialogueStateTracker) -> list[Event]:
    """What action_session_start with carried-over slots writes: start, slots, listen.

    One timestamp for all: the SQL store loads a session as the events stamped at or after its
    SessionStarted, so a slot stamped a microsecond earlier would be lost.
    """
    now = time.time()
    carried = [slot for slot in tracker.slots.values() if slot.value != slot.initial_value]
    return [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=now),
        SessionStarted(timestamp=now),
        *(SlotSet(slot.name, slot.value, timestamp=now) for slot in carried),
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=now),
    ]


def bound_session(tracker: DialogueStateTracker, max_turns: int) -> bool:
    """Start a new session on `tracker` when the current one is long and quiet; True if it did."""
    if max_turns <= 0 or turns_in_session(tracker) < max_turns or not quiet(tracker):
        return False
    for event in rollover_events(tracker):
        tracker.update(event)
    return True


class _BoundedSessions(TrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.max_turns = int(kwargs.pop("max_session_turns", DEFAULT_MAX_TURNS))
        super().__init__(*args, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        bound_session(tracker, self.max_turns)
        await super().save(tracker)


class BoundedSQLTrackerStore(_BoundedSessions, SQLTrackerStore):
    """SQLTrackerStore (it loads only the latest session) with sessions of bounded length."""


class BoundedRedisTrackerStore(_BoundedSessions, RedisTrackerStore):
    """RedisTrackerStore with sessions of bounded length, keeping only the latest session.

    Rasa's Redis store rewrites the conversation's whole history (every session) on every save, which
    grows without end for a caller who keeps their id for weeks; the latest session is all a turn needs.
    """

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        bound_session(tracker, self.max_turns)
        await self.stream_events(tracker)
        latest = DialogueStateTracker.from_events(tracker.sender_id, _latest_session(tracker.events),
                                                  self.domain.slots)
        self.red.set(self.key_prefix + tracker.sender_id, self.serialise_tracker(latest),
                     ex=timeout or self.record_exp)


def _latest_session(events: Any) -> list[Event]:
    """Events from the last `action_session_start` on (the SessionStarted it precedes included)."""
    events = list(events)
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            start = index - 1 if index and _is_session_start_action(events[index - 1]) else index
            return events[start:]
    return events


def _is_session_start_action(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
