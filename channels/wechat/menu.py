"""The menu definition (menu.json) and what each CLICK key tells the bot."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MENU_FILE = Path(__file__).with_name("menu.json")


@dataclass(frozen=True)
class MenuItem:
    key: str
    name: str
    intent: str  # the intent the phrase is meant to reach (checked against the model by the tests)
    says: str  # sent to the bot as if the user typed it, so every action sees ordinary text


def _clicks(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for button in buttons:
        out.extend(_clicks(button["sub_button"]) if "sub_button" in button else [button])
    return [b for b in out if b.get("type") == "click"]


@lru_cache
def menu_items() -> dict[str, MenuItem]:
    menu = json.loads(MENU_FILE.read_text(encoding="utf-8"))
    return {b["key"]: MenuItem(b["key"], b["name"], b["intent"], b["says"]) for b in _clicks(menu["button"])}


def wechat_menu() -> dict[str, Any]:
    """The menu as WeChat's menu/create API takes it (our own fields removed)."""
    def clean(button: dict[str, Any]) -> dict[str, Any]:
        if "sub_button" in button:
            return {"name": button["name"], "sub_button": [clean(b) for b in button["sub_button"]]}
        return {k: v for k, v in button.items() if k in ("type", "name", "key", "url")}

    menu = json.loads(MENU_FILE.read_text(encoding="utf-8"))
    return {"button": [clean(b) for b in menu["button"]]}
