"""Migrate (Alembic) and seed the demo court once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def scratch_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new database on that PostgreSQL server (tests, benchmarks), migrated, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from core.config import Settings

    admin_url = make_url(Settings(DATABASE_URL=server_url).sqlalchemy_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(today: date | None = None) -> int:
    from cases.seed import seed_demo_court

    with get_session_factory().begin() as session:
        return seed_demo_court(session, today or court_today())
