"""Bounded sessions (rasa_runtime/tracker_store.py) with Rasa's real tracker and SQL/Redis stores."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_runtime.tracker_store import BoundedSQLTrackerStore, bound_session, turns_in_session

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain.yml"))


def _tracker(turns: int, intent: str = "filing_help") -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events("web:t", [ActionExecuted("action_session_start"), SessionStarted(),
                                                         ActionExecuted("action_listen")], DOMAIN.slots)
    tracker.update(SlotSet("verified_case", "（2030）甲民初1号"))
    for i in range(turns):
        tracker.update(UserUttered(f"问题{i}", {"name": intent, "confidence": 0.9}))
        tracker.update(ActionExecuted("utter_filing_help"))
        tracker.update(BotUttered("答复"))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def test_long_quiet_session_restarts_with_slots_carried_over() -> None:
    tracker = _tracker(30)
    assert bound_session(tracker, 30)
    assert isinstance(tracker.events[-3], SessionStarted)
    assert tracker.get_slot("verified_case") == "（2030）甲民初1号"
    assert turns_in_session(tracker) == 0
    assert tracker.latest_action_name == "action_listen"
    assert len(tracker.applied_events()) == 2  # the carried slot and the listen: all that is replayed now


def test_short_or_busy_sessions_are_left_alone() -> None:
    assert not bound_session(_tracker(29), 30)
    in_form = _tracker(40)
    in_form.update(ActiveLoop("case_progress_form"))
    in_form.update(ActionExecuted("action_listen"))
    assert not bound_session(in_form, 30)
    offer_pending = _tracker(40)
    offer_pending.update(SlotSet("handoff_offered", True))  # influences the next prediction
    assert not bound_session(offer_pending, 30)
    assert not bound_session(_tracker(40, intent="nlu_fallback"), 30)  # "second miss" must still count


def _round_trip(store: TrackerStore) -> None:
    tracker = _tracker(31)
    tracker.sender_id = f"web:{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(tracker))
    loaded = asyncio.run(store.retrieve(tracker.sender_id))
    assert loaded is not None
    assert turns_in_session(loaded) == 0 and len(loaded.events) <= 6  # the new session only
    assert loaded.get_slot("verified_case") == "（2030）甲民初1号"
    loaded.update(UserUttered("再问一个", {"name": "filing_help", "confidence": 0.9}))
    loaded.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(loaded))
    again = asyncio.run(store.retrieve(tracker.sender_id))
    assert again is not None and turns_in_session(again) == 1


def test_sql_store_loads_only_the_new_session(tmp_path: Path) -> None:
    endpoint = EndpointConfig(type="rasa_runtime.tracker_store.BoundedSQLTrackerStore", dialect="sqlite",
                              db=str(tmp_path / "t.db"), max_session_turns=30)
    store = TrackerStore.create(endpoint, DOMAIN)
    assert isinstance(store, BoundedSQLTrackerStore)  # not Rasa's silent in-memory fallback
    _round_trip(store)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set")
def test_redis_store_keeps_only_the_latest_session() -> None:
    from urllib.parse import urlparse

    from rasa_runtime.tracker_store import BoundedRedisTrackerStore

    url = urlparse(os.environ["REDIS_URL"])
    endpoint = EndpointConfig(type="rasa_runtime.tracker_store.BoundedRedisTrackerStore", url=url.hostname,
                              port=url.port or 6379, db=int(url.path.lstrip("/") or 0),
                              key_prefix=f"testbound{uuid.uuid4().hex[:6]}", max_session_turns=30)
    store = TrackerStore.create(endpoint, DOMAIN)
    assert isinstance(store, BoundedRedisTrackerStore)
    try:
        _round_trip(store)
    finally:
        for key in store.red.keys(store.key_prefix + "*"):
            store.red.delete(key)
