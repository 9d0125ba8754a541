"""The model is retrained exactly when what it is trained from changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli.training as training


@pytest.fixture()
def fake_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "bot" / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "nlu" / "dict").mkdir(parents=True)
    (tmp_path / "requirements").mkdir()
    (tmp_path / "bot" / "config.yml").write_text("pipeline: []\n")
    (tmp_path / "bot" / "data" / "nlu" / "greet.yml").write_text("nlu: []\n")
    (tmp_path / "nlu" / "components.py").write_text("x = 1\n")
    (tmp_path / "nlu" / "dict" / "terms.txt").write_text("立案 10 n\n")
    (tmp_path / "requirements" / "rasa.lock.txt").write_text("rasa==3.6.21\n")
    monkeypatch.setattr(training, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(training, "BOT_DIR", tmp_path / "bot")
    monkeypatch.setattr(training, "NLU_DIR", tmp_path / "nlu")
    monkeypatch.setattr(training, "DEFAULT_CONFIG", tmp_path / "bot" / "config.yml")
    monkeypatch.setattr(training, "_MODEL_INPUTS", [
        (tmp_path / "bot", ("*.yml",)), (tmp_path / "bot" / "data", ("**/*.yml",)),
        (tmp_path / "nlu", ("**/*.py", "**/*.txt")),
    ])
    return tmp_path


@pytest.mark.parametrize("changed", ["bot/data/nlu/greet.yml", "nlu/components.py", "nlu/dict/terms.txt",
                                     "requirements/rasa.lock.txt", "bot/config.yml"])
def test_hash_changes_with_each_input(fake_repo: Path, changed: str) -> None:
    before = training.model_hash(fake_repo / "bot" / "config.yml")
    path = fake_repo / changed
    path.write_text(path.read_text() + "# changed\n")
    assert training.model_hash(fake_repo / "bot" / "config.yml") != before


def test_hash_ignores_unrelated_files(fake_repo: Path) -> None:
    before = training.model_hash(fake_repo / "bot" / "config.yml")
    (fake_repo / "README.md").write_text("docs")
    (fake_repo / "nlu" / "notes.md").write_text("docs")
    assert training.model_hash(fake_repo / "bot" / "config.yml") == before


def _copy_project(fake_repo: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(fake_repo / "bot", target / "bot")
    shutil.copytree(fake_repo / "nlu", target / "nlu")
    return target / "bot"


def test_a_copy_of_bot_and_nlu_hashes_like_the_checkout(fake_repo: Path) -> None:
    # A benchmark's variant starts from a copy: unchanged, it must find the checkout's cached model.
    copy = _copy_project(fake_repo, fake_repo / "variant")
    assert training.model_hash(copy / "config.yml", copy) == training.model_hash(fake_repo / "bot" / "config.yml")
    (copy / "data" / "stories.yml").write_text("stories: []\n")
    assert training.model_hash(copy / "config.yml", copy) != training.model_hash(fake_repo / "bot" / "config.yml")


def test_a_copy_is_served_from_its_own_cache(fake_repo: Path, tmp_path: Path) -> None:
    copy = _copy_project(fake_repo, fake_repo / "variant")
    cache = tmp_path / "variant-cache"
    cache.mkdir()
    cached = cache / f"courtbot-{training.model_hash(copy / 'config.yml', copy)}.tar.gz"
    cached.write_bytes(b"model")
    assert training.ensure_model(bot_dir=copy, cache=cache) == cached  # found, so nothing is trained
