"""The Alembic chain builds exactly the schema the models declare (a column added to a model without a
migration, or the other way round, fails here before it fails on a court's server)."""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from cli.database import migrate
from core.db import Base

MODEL_MODULES = ("auth.models", "cases.models", "conversations.models", "identity.models", "knowledge.models",
                 "tickets.models")


def test_migrations_build_what_the_models_declare(tmp_path: Path) -> None:
    for module in MODEL_MODULES:
        importlib.import_module(module)
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    migrate(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
    assert {"tickets", "ticket_events", "chat_messages", "knowledge_items"} <= set(Base.metadata.tables)
