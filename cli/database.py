"""Migrate (Alembic) and seed the demo court once."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.config import Config

from core.config import REPO_ROOT
from core.db import get_session_factory
from core.timeutil import court_today


def migrate(url: str | None = None) -> None:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    if url:
        config.attributes["url"] = url
    command.upgrade(config, "head")


def seed(today: date | None = None) -> int:
    from cases.seed import seed_demo_court

    with get_session_factory().begin() as session:
        return seed_demo_court(session, today or court_today())
