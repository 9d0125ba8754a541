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


def _project_root(bot_dir: Path | None) -> Path:
    """The folder holding bot/ and nlu/: the checkout, or a copy of both made elsewhere (a benchmark's variant)."""
    return REPO_ROOT if bot_dir is None else bot_dir.resolve().parent


def model_inputs(bot_dir: Path | None = None) -> list[Path]:
    root = _project_root(bot_dir)
    files: set[Path] = {REPO_ROOT / "requirements" / "rasa.lock.txt"}
    for folder, patterns in _MODEL_INPUTS:
        if bot_dir is not None:
            folder = root / folder.relative_to(REPO_ROOT)
        for pattern in patterns:
            files.update(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


DEFAULT_CONFIG = BOT_DIR / "config.yml"


def model_hash(config: Path = DEFAULT_CONFIG, bot_dir: Path | None = None) -> str:
    """Hash of what the model is trained from; a copy of bot/ and nlu/ hashes like the checkout it was copied from."""
    root = _project_root(bot_dir)
    relative = {path: path.relative_to(root if path.is_relative_to(root) else REPO_ROOT)
                for path in {*model_inputs(bot_dir), config.resolve()}}
    digest = hashlib.sha256()
    for path in sorted(relative, key=relative.__getitem__):  # by relative path: a copy elsewhere sorts alike
        digest.update(str(relative[path]).encode())
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


def ensure_model(force: bool = False, config: Path | None = None, bot_dir: Path | None = None,
                 cache: Path | None = None) -> Path:
    """Cached model for bot/ and nlu/ (or a copy of them at `bot_dir`); trains (showing Rasa's progress) when missing.

    `config` defaults to the bot folder's config.yml; another config gets its stem in the model's name.
    `cache` is the folder of the cached models (default MODEL_CACHE).
    """
    bot = BOT_DIR if bot_dir is None else bot_dir.resolve()
    root = _project_root(bot_dir)
    config = (config or bot / "config.yml").resolve()
    label = "" if config == (bot / "config.yml").resolve() else f"{config.stem}-"
    cache = cache or MODEL_CACHE
    target = cache / f"courtbot-{label}{model_hash(config, bot_dir)}.tar.gz"
    if target.exists() and not force:
        print(f"==> model up to date: {target.name}", flush=True)
        return target
    rasa = venv("rasa") / "bin" / "rasa"
    cache.mkdir(parents=True, exist_ok=True)
    print(f"==> training Rasa model {target.name} (bot/ or nlu/ changed) …", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=cache) as out:
        cmd = [
            str(rasa), "train",
            "--config", str(config),
            "--domain", str(bot / "domain.yml"),
            "--data", str(bot / "data"),
            "--out", out,
            "--fixed-model-name", "model",
        ]
        # A copy trains with its own nlu/ (the pipeline's components and dictionary path are relative).
        result = subprocess.run(cmd, cwd=root, env={**rasa_env(), "PYTHONPATH": str(root)})
        if result.returncode != 0:
            sys.exit(f"courtbot: rasa train failed (exit {result.returncode})")
        shutil.move(str(Path(out) / "model.tar.gz"), target)
    print(f"==> trained in {time.monotonic() - started:.0f} s", flush=True)
    return target
