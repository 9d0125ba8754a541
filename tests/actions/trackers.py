"""Build rasa-sdk trackers the way Rasa sends them to the action server (no model needed)."""

from __future__ import annotations

import asyncio
import time
import uuid
from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from core.config import REPO_ROOT


@lru_cache
def domain() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text())


def initial_slots() -> dict[str, Any]:
    return {name: spec.get("initial_value") for name, spec in domain()["slots"].items()}


def user_event(text: str, intent: str = "inform", entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or [], "text": text}
    return {"event": "user", "text": text, "parse_data": parse, "timestamp": time.time(),
            "input_channel": "rest", "metadata": {"channel": "web"}}


def bot_event(text: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": time.time()}


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value, "timestamp": time.time()}


class Conversation:
    """A conversation's events and slots, advanced by applying what actions return."""

    def __init__(self, sender: str | None = None) -> None:
        self.sender = sender or f"test-{uuid.uuid4().hex[:8]}"
        self.events: list[dict[str, Any]] = []
        self.slots = initial_slots()
        self.active_loop: dict[str, Any] = {}
        self.latest_message: dict[str, Any] = {}

    def user(self, text: str, intent: str = "inform", **slots: Any) -> Conversation:
        """A user message, followed by the slot events Rasa's extraction would add."""
        event = user_event(text, intent)
        self.events.append(event)
        self.latest_message = {**event["parse_data"], "metadata": event["metadata"]}
        for name, value in slots.items():
            self.set(name, value)
        return self

    def set(self, name: str, value: Any) -> None:
        self.slots[name] = value
        self.events.append(slot_event(name, value))

    def activate(self, form: str, requested_slot: str | None = None) -> Conversation:
        if self.active_loop.get("name") != form:
            # Rasa records the activation once, after the message that started the form; the slots extracted
            # from that message stay the last events, which the validation action validates.
            users = [i for i, event in enumerate(self.events) if event["event"] == "user"]
            at = users[-1] + 1 if users else len(self.events)
            self.events.insert(at, {"event": "active_loop", "name": form, "timestamp": time.time()})
        self.active_loop = {"name": form}
        self.slots["requested_slot"] = requested_slot
        return self

    def tracker(self) -> Tracker:
        return Tracker(
            sender_id=self.sender,
            slots=dict(self.slots),
            latest_message=self.latest_message,
            events=list(self.events),
            paused=False,
            followup_action=None,
            active_loop=self.active_loop,
            latest_action_name="action_listen",
        )

    def run(self, action: Action) -> tuple[list[str], list[dict[str, Any]]]:
        """Run an action; apply its slot events; return (bot texts, events)."""
        dispatcher = CollectingDispatcher()
        result = action.run(dispatcher, self.tracker(), domain())
        events = asyncio.run(result) if asyncio.iscoroutine(result) else result
        texts = []
        for message in dispatcher.messages:
            text = message.get("text") or _response_text(message.get("response"))
            texts.append(text)
            self.events.append(bot_event(text))
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
                self.events.append(event)  # as Rasa records them, after the action's messages
        return texts, events


def _response_text(name: str | None) -> str:
    if not name:
        return ""
    return domain()["responses"][name][0]["text"]
