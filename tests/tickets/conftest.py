"""Fixtures for the ticket tests: a fresh migrated SQLite database per module, and a scratch
PostgreSQL database (DATABASE_URL's server when it is PostgreSQL, else the test server on
127.0.0.1:5432 when reachable; skipped cleanly otherwise)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.db import make_engine

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str | None:
    """A PostgreSQL server URL we may create databases on, or None."""
    configured = os.environ.get("DATABASE_URL", "")
    candidates = [configured] if configured.startswith(("postgresql", "postgres:")) else []
    candidates.append(LOCAL_POSTGRES)
    for url in candidates:
        full = Settings(DATABASE_URL=url).sqlalchemy_url
        engine = create_engine(full, connect_args={"connect_timeout": 3})
        try:
            with engine.connect():
                return full
        except Exception:  # not reachable: try the next one, or skip
            continue
        finally:
            engine.dispose()
    return None


def scratch_postgres(prefix: str) -> Iterator[str]:
    """Create, migrate, yield and drop a scratch PostgreSQL database."""
    from cli.database import scratch_database

    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server reachable (DATABASE_URL or 127.0.0.1:5432)")
    with scratch_database(server, prefix) as url:
        yield url


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    yield from scratch_postgres("courtbot_tickets")


@pytest.fixture(scope="module")
def pg_sessions(pg_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(pg_url)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture(scope="module")
def sqlite_sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    from cli.database import migrate

    path: Path = tmp_path_factory.mktemp("tickets") / "tickets.db"
    url = f"sqlite:///{path}"
    migrate(url)
    engine = make_engine(url)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


PASSWORD = "Console-pass-2026"
DEPARTMENT = "立案庭"


@pytest.fixture(scope="session")
def role_users(configured: str) -> dict[str, str]:
    """One account per role on the shared test database: role → username."""
    from auth.roles import ALL_ROLES
    from auth.service import AuthService
    from core.db import get_session_factory

    auth = AuthService(get_session_factory())
    users = {}
    for role in ALL_ROLES:
        name = f"{role[:8]}-{uuid.uuid4().hex[:6]}"
        department = DEPARTMENT if role == "department_handler" else None
        auth.create_user(name, role, PASSWORD, f"测试{role}", department)
        users[role] = name
    return users


@pytest.fixture(scope="session")
def role_client(role_users: dict[str, str]) -> Iterator[dict[str, object]]:
    """role → a TestClient sending that role's bearer token (the app without its lifespan: no
    scheduler, no Rasa client)."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from auth.service import AuthService
    from core.db import get_session_factory

    app = create_app()
    auth = AuthService(get_session_factory())
    clients = {}
    for role, name in role_users.items():
        user = auth.get_user(name)
        assert user is not None
        token, _ = auth.issue(user, "bearer")
        clients[role] = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    yield clients
    for client in clients.values():
        client.close()
