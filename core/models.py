"""Import every table module so Base.metadata is complete (Alembic, tests, create_all)."""

from auth import models as auth_models
from cases import models as cases_models
from conversations import models as conversations_models
from core.db import Base
from identity import models as identity_models
from knowledge import models as knowledge_models
from tickets import models as tickets_models

__all__ = [
    "Base", "auth_models", "cases_models", "conversations_models", "identity_models", "knowledge_models", "tickets_models",
]
