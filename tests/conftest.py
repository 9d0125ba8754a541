"""Shared fixtures. Every database test runs against a fresh database: SQLite by default, or a new
PostgreSQL database on the server named by DATABASE_URL (created and dropped here)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

SERVER_DATABASE_URL = os.environ.get("DATABASE_URL")
SERVER_REDIS_URL = os.environ.get("REDIS_URL")


def free_port() -> int:
    """A loopback port nothing listens on (a 'down' service, or a place to start one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a fresh, migrated database for this test session."""
    from cli.database import migrate, scratch_database

    if SERVER_DATABASE_URL:
        with scratch_database(SERVER_DATABASE_URL, "courtbot_test") as url:
            yield url
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'courtbot.db'}"
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def configured(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Point the process-wide settings (and every cached service) at the test database."""
    import actions.services as action_services
    import core.config
    import core.db

    data_dir: Path = tmp_path_factory.mktemp("data")
    old = {k: os.environ.get(k) for k in ("DATABASE_URL", "COURTBOT_DATA_DIR")}
    os.environ["DATABASE_URL"] = database_url
    os.environ["COURTBOT_DATA_DIR"] = str(data_dir)
    caches = [
        core.config.get_settings, core.db.get_engine, core.db.get_session_factory,
        action_services.case_system, action_services.identity_service, action_services.ticket_service,
    ]
    for cache in caches:
        cache.cache_clear()
    yield database_url
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    for cache in caches:
        cache.cache_clear()


@pytest.fixture(scope="session")
def seeded(configured: str) -> date:
    """The demo court, seeded once per session; returns the 'today' it was seeded for."""
    from cli.database import seed
    from core.timeutil import court_today

    today = court_today()
    seed(today)
    return today


@pytest.fixture()
def sessions(configured: str) -> sessionmaker[Session]:
    from core.db import get_session_factory

    return get_session_factory()


@pytest.fixture()
def no_case_locks(configured: str) -> Iterator[None]:
    """Each test starts with no failed identity checks on record (tests share one database)."""
    from sqlalchemy import delete

    from core.db import get_session_factory
    from identity.models import VerificationAttempt, VerificationScope

    with get_session_factory().begin() as session:
        session.execute(delete(VerificationAttempt))
        session.execute(delete(VerificationScope))
    yield
