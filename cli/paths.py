"""Where things live: repo files, virtualenvs and the model cache outside the repo."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from core.config import REPO_ROOT

BOT_DIR = REPO_ROOT / "bot"
NLU_DIR = REPO_ROOT / "nlu"
CACHE_ROOT = Path(os.environ.get("COURTBOT_CACHE", Path.home() / ".cache" / "courtbot"))
MODEL_CACHE = CACHE_ROOT / "models"


def venv(kind: str) -> Path:
    """Path of the rasa/app virtualenv, creating it on first use (scripts/envs.sh prints progress)."""
    out = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "envs.sh"), kind], check=True, stdout=subprocess.PIPE, text=True
    )
    return Path(out.stdout.strip().splitlines()[-1])
