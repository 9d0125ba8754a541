"""The Rasa API token: from the setting, else generated once per data dir, private, shared by processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from cli.rasa_run import rasa_argv
from cli.stack import rasa_service
from core.config import REPO_ROOT, Settings
from core.rasa_token import rasa_token, token_path


def _settings(data_dir: Path, **values: str) -> Settings:
    return Settings(COURTBOT_DATA_DIR=str(data_dir), **values)


@pytest.fixture(autouse=True)
def _no_ambient_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COURTBOT_RASA_TOKEN", raising=False)


def test_the_setting_wins_and_nothing_is_written(tmp_path: Path) -> None:
    assert rasa_token(_settings(tmp_path, COURTBOT_RASA_TOKEN=" s3cret-X ")) == "s3cret-X"
    assert not token_path(_settings(tmp_path)).exists()


def test_the_setting_is_not_shown_in_the_settings_repr(tmp_path: Path) -> None:
    assert "s3cret-X" not in repr(_settings(tmp_path, COURTBOT_RASA_TOKEN="s3cret-X"))


def test_generated_once_private_and_stable(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "fresh")
    first = rasa_token(settings)
    assert len(first) >= 40
    assert stat.S_IMODE(token_path(settings).stat().st_mode) == 0o600
    assert rasa_token(settings) == first
    assert rasa_token(_settings(tmp_path / "other")) != first
    # A blank setting means "unset", not an empty token.
    assert rasa_token(_settings(tmp_path / "fresh", COURTBOT_RASA_TOKEN="  ")) == first


def test_loose_permissions_are_tightened(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    token = rasa_token(settings)
    os.chmod(token_path(settings), 0o644)
    assert rasa_token(settings) == token
    assert stat.S_IMODE(token_path(settings).stat().st_mode) == 0o600


def test_an_empty_token_file_is_an_error_not_an_empty_token(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    token_path(settings).write_text("\n")
    with pytest.raises(RuntimeError, match="empty"):
        rasa_token(settings)


def _token_in_child(data_dir: str) -> str:
    return rasa_token(Settings(COURTBOT_DATA_DIR=data_dir))


def test_processes_starting_together_agree_on_one_token(tmp_path: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        tokens = set(pool.map(_token_in_child, [str(tmp_path)] * 8))
    assert len(tokens) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["rasa_token"]  # no temporary files left behind


def test_rasa_gets_the_token_in_its_environment_not_on_its_command_line(tmp_path: Path) -> None:
    service = rasa_service(tmp_path / "model.tar.gz", 15999, "tok-123", tmp_path / "endpoints.yml")
    assert not any("tok-123" in part for part in service.cmd)
    assert service.cmd[1:3] == ["-m", "cli.rasa_run"] and "--enable-api" in service.cmd
    assert service.env["COURTBOT_RASA_TOKEN"] == "tok-123"
    assert service.ready_url.endswith("/status?token=tok-123")  # readiness must pass the guard too


def test_rasa_refuses_to_start_without_a_token() -> None:
    env = {k: v for k, v in os.environ.items() if k != "COURTBOT_RASA_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "cli.rasa_run", "--enable-api"], cwd=REPO_ROOT,
                            env={**env, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "COURTBOT_RASA_TOKEN is not set" in result.stderr


def test_a_token_that_looks_like_an_option_stays_one_argument() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--enable-api", action="store_true")
    parser.add_argument("-t", "--auth-token")
    argv = rasa_argv(["--enable-api"], "-Ab3")
    assert argv[:2] == ["rasa", "run"]
    assert parser.parse_args(argv[2:]).auth_token == "-Ab3"  # how Rasa's argparse will read it
