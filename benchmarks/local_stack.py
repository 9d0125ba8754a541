"""The real stack — Rasa, action server, gateway — started for a benchmark on its own ports.

A fresh data directory and database (a temp SQLite file, or a new database on the PostgreSQL
server named by `--database-url`), migrated and seeded with the demo court, so the benchmark can
read what the conversations left behind (tickets) without anyone else's traffic in it.
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cli.stack import Stack
from cli.training import ensure_model
from core.config import Settings


@dataclass(frozen=True)
class RunningStack:
    settings: Settings
    gateway_url: str
    database_url: str


def _fresh_database(server_url: str | None, tmp: Path) -> tuple[str, str | None]:
    """(url of a new empty database, name to drop afterwards or None for SQLite)."""
    if not server_url:
        return f"sqlite:///{tmp / 'courtbot.db'}", None
    admin_url = make_url(Settings(DATABASE_URL=server_url).sqlalchemy_url)
    name = f"courtbot_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.set(database=name).render_as_string(hide_password=False), name


def _drop_database(server_url: str, name: str) -> None:
    engine = create_engine(make_url(Settings(DATABASE_URL=server_url).sqlalchemy_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _migrate_and_seed(database_url: str, data_dir: Path) -> None:
    """Run in this process against the new database only (settings are read from the environment)."""
    import os

    import core.config
    import core.db
    from cli.database import migrate, seed

    os.environ["DATABASE_URL"] = database_url
    os.environ["COURTBOT_DATA_DIR"] = str(data_dir)
    for cache in (core.config.get_settings, core.db.get_engine, core.db.get_session_factory):
        cache.cache_clear()
    migrate(database_url)
    seed()


@contextmanager
def local_stack(port_offset: int, server_database_url: str | None = None, redis_url: str | None = None,
                quiet: bool = True, model: Path | None = None,
                environment: dict[str, str] | None = None) -> Iterator[RunningStack]:
    """The stack on ports shifted by `port_offset`, serving `model` (default: bot/'s cached model).

    `environment`: further settings by their variable names (e.g. COURTBOT_SESSION_MAX_TURNS).
    """
    with tempfile.TemporaryDirectory(prefix="courtbot-bench-") as tmp_name:
        tmp = Path(tmp_name)
        database_url, dropped = _fresh_database(server_database_url, tmp)
        try:
            _migrate_and_seed(database_url, tmp)
            values = {
                "COURTBOT_DATA_DIR": str(tmp),
                "DATABASE_URL": database_url,
                "COURTBOT_GATEWAY_PORT": str(18000 + port_offset),
                "COURTBOT_RASA_PORT": str(15005 + port_offset),
                "COURTBOT_ACTIONS_PORT": str(15055 + port_offset),
            }
            if redis_url:
                values["REDIS_URL"] = redis_url
            values.update(environment or {})
            settings = Settings(**values)
            log = open(tmp / "stack.log", "w") if quiet else sys.stderr  # noqa: SIM115 - closed below
            stack = Stack(settings, model or ensure_model(), log=log)
            print(f"==> starting the stack on ports {settings.gateway_port}/{settings.rasa_port}/"
                  f"{settings.actions_port} …", file=sys.stderr, flush=True)
            stack.start()
            try:
                seconds = stack.wait_ready(timeout=400)
                print(f"==> stack ready in {seconds:.0f} s", file=sys.stderr, flush=True)
                yield RunningStack(settings, f"http://127.0.0.1:{settings.gateway_port}", database_url)
            except Exception:
                if quiet:
                    log.flush()
                    print((tmp / "stack.log").read_text()[-4000:], file=sys.stderr)
                raise
            finally:
                stack.stop()
                if quiet:
                    log.close()
        finally:
            if dropped and server_database_url:
                _drop_database(server_database_url, dropped)
