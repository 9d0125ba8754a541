"""The process-wide knowledge base, built once per process from settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from core.config import get_settings
from core.db import get_session_factory
from knowledge.service import KnowledgeBase


def build_knowledge_base(sessions: sessionmaker[Session], index_dir: Path, progress: bool = False) -> KnowledgeBase:
    settings = get_settings()
    return KnowledgeBase(
        sessions,
        index_dir,
        settings.embedding_model,
        settings.cache_dir / "embeddings.sqlite",
        ann_threshold=settings.kb_ann_threshold,
        rerank=settings.kb_rerank,
        progress=progress,
    )


@lru_cache
def knowledge_base() -> KnowledgeBase:
    """The configured database's knowledge base; indexes under `<COURTBOT_DATA_DIR>/knowledge/`."""
    return build_knowledge_base(get_session_factory(), get_settings().data_dir / "knowledge")
