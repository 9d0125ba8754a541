"""What an action can learn about the conversation from the tracker: channel, transcript, misses."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker

from core.masking import mask_text

FALLBACK_INTENT = "nlu_fallback"


def channel_of(tracker: Tracker) -> str:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return str(metadata.get("channel") or tracker.get_latest_input_channel() or "rest")


def transcript(tracker: Tracker, limit: int = 60) -> list[dict[str, Any]]:
    """User and bot turns in order, as the human agent will read them; phone and ID numbers masked
    (the ticket keeps the caller's contact in its own field)."""
    turns: list[dict[str, Any]] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        stamp = event.get("timestamp")
        turns.append(
            {
                "from": "caller" if kind == "user" else "bot",
                "text": mask_text(event["text"]),
                "at": datetime.fromtimestamp(stamp, timezone.utc).isoformat() if stamp else None,
            }
        )
    return turns[-limit:]


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the latest user messages in a row fell below the NLU confidence threshold."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            break
        misses += 1
    return misses
