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
