"""The token that guards Rasa's HTTP API (`rasa run --auth-token`).

`COURTBOT_RASA_TOKEN` when set (required when processes do not share a data directory); otherwise
one random token generated on first use and kept in `<data dir>/rasa_token` (mode 0600), so every
process of one installation — Rasa, gateway, CLI tools — reads the same one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from core.config import Settings, get_settings

TOKEN_FILE = "rasa_token"


def token_path(settings: Settings) -> Path:
    return settings.data_dir / TOKEN_FILE


def _generate(path: Path) -> None:
    """Write a new token; when two processes race, the first link wins and both read its token."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rasa_token.")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")  # URL-safe, never starts with "-"
        with contextlib.suppress(FileExistsError):  # atomic, never overwrites: no half-written reads
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def rasa_token(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.rasa_token is not None and settings.rasa_token.get_secret_value().strip():
        return settings.rasa_token.get_secret_value().strip()
    path = token_path(settings)
    if not path.exists():
        _generate(path)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # copied or restored with looser rights: nobody else may read it
    token = path.read_text().strip()
    if not token:
        raise RuntimeError(f"{path} is empty: delete it to generate a new Rasa token")
    return token
