"""Train the Rasa model only when bot/ or nlu/ (or the Rasa lock) changed: models are cached by content hash."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cli.paths import BOT_DIR, CACHE_ROOT, MODEL_CACHE, NLU_DIR, venv
from core.config import REPO_ROOT

# Files that change the trained model. Tests and docs under these folders do not.
_MODEL_INPUTS = [
    (BOT_DIR, ("*.yml",)),
    (BOT_DIR / "data", ("**/*.yml",)),
    (NLU_DIR, ("**/*.py", "**/*.txt")),
]


def model_inputs() -> list[Path]:
    files: set[Path] = {REPO_ROOT / "requirements" / "rasa.lock.txt"}
    for folder, patterns in _MODEL_INPUTS:
        for pattern in patterns:
            files.update(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


DEFAULT_CONFIG = BOT_DIR / "config.yml"


def model_hash(config: Path = DEFAULT_CONFIG) -> str:
    digest = hashlib.sha256()
    for path in sorted({*model_inputs(), config.resolve()}):
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    # Rasa's training cache would otherwise land in the checkout (.rasa/); sharing it speeds retrains.
    env.setdefault("RASA_CACHE_DIRECTORY", str(CACHE_ROOT / "rasa-cache"))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def ensure_model(force: bool = False, config: Path = DEFAULT_CONFIG) -> Path:
    """Cached model for the current bot/ and nlu/; trains (showing Rasa's progress) when missing."""
    config = config.resolve()
    label = "" if config == DEFAULT_CONFIG.resolve() else f"{config.stem}-"
    target = MODEL_CACHE / f"courtbot-{label}{model_hash(config)}.tar.gz"
    if target.exists() and not force:
        print(f"==> model up to date: {target.name}", flush=True)
        return target
    rasa = venv("rasa") / "bin" / "rasa"
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    print(f"==> training Rasa model {target.name} (bot/ or nlu/ changed) …", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=MODEL_CACHE) as out:
        cmd = [
            str(rasa), "train",
            "--config", str(config),
            "--domain", str(BOT_DIR / "domain.yml"),
            "--data", str(BOT_DIR / "data"),
            "--out", out,
            "--fixed-model-name", "model",
        ]
        result = subprocess.run(cmd, cwd=REPO_ROOT, env=rasa_env())
        if result.returncode != 0:
            sys.exit(f"courtbot: rasa train failed (exit {result.returncode})")
        shutil.move(str(Path(out) / "model.tar.gz"), target)
    print(f"==> trained in {time.monotonic() - started:.0f} s", flush=True)
    return target
