"""Rasa behind a token: its HTTP API and its REST channel refuse callers without it; the gateway and
the stack use it end to end; it never shows on a command line or in the logs."""

from __future__ import annotations

import io
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cli.stack import Stack, rasa_service
from cli.training import ensure_model
from core.config import Settings
from core.rasa_token import rasa_token, token_path
from tests.conftest import free_port
from tests.e2e.conftest import Caller

PROGRESS = "我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678"


@pytest.fixture(scope="module")
def rasa_with_set_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """Rasa alone, started the way the stack starts it, with COURTBOT_RASA_TOKEN=X."""
    data_dir = tmp_path_factory.mktemp("rasa-token")
    token = f"X-{uuid.uuid4().hex}"
    settings = Settings(COURTBOT_DATA_DIR=str(data_dir), COURTBOT_RASA_TOKEN=token, COURTBOT_RASA_PORT=str(free_port()))
    log = io.StringIO()
    stack = Stack(settings, log=log, only=[rasa_service(ensure_model(), settings.rasa_port, rasa_token(settings))])
    stack.start()
    try:
        stack.wait_ready(timeout=300)
    except Exception:
        stack.stop()
        raise RuntimeError("rasa did not start:\n" + log.getvalue()[-4000:]) from None
    yield settings.rasa_url, token, data_dir
    stack.stop()


def test_with_a_set_token_parse_answers_only_with_it(rasa_with_set_token: tuple[str, str, Path]) -> None:
    url, token, data_dir = rasa_with_set_token
    answered = httpx.post(f"{url}/model/parse", params={"token": token}, json={"text": "怎么立案"}, timeout=30)
    assert answered.status_code == 200 and answered.json()["intent"]["name"]
    assert httpx.post(f"{url}/model/parse", json={"text": "怎么立案"}, timeout=30).status_code == 401
    assert httpx.post(f"{url}/model/parse", params={"token": token + "x"}, json={"text": "怎么立案"},
                      timeout=30).status_code == 401
    assert not token_path(Settings(COURTBOT_DATA_DIR=str(data_dir))).exists()  # the setting wins, no file


def _stack_token(stack: Stack) -> str:
    return rasa_token(stack.settings)


def test_generated_token_is_private_and_guards_the_api(stack: Stack) -> None:
    token, rasa = _stack_token(stack), stack.settings.rasa_url
    path = token_path(stack.settings)
    if stack.settings.rasa_token is None:  # generated under the stack's data dir
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text().strip() == token
    assert httpx.get(f"{rasa}/status", params={"token": token}, timeout=10).json()["model_file"]
    refused = {
        "parse": httpx.post(f"{rasa}/model/parse", json={"text": "你好"}, timeout=10),
        "status": httpx.get(f"{rasa}/status", timeout=10),
        "replace model": httpx.put(f"{rasa}/model", json={"model_file": "/tmp/evil.tar.gz"}, timeout=10),
        "write tracker": httpx.post(f"{rasa}/conversations/web:someone/tracker/events",
                                    json={"event": "slot", "name": "verified_case", "value": "x"}, timeout=10),
        "read tracker": httpx.get(f"{rasa}/conversations/web:someone/tracker", timeout=10),
    }
    assert {name: r.status_code for name, r in refused.items()} == {name: 401 for name in refused}


def test_rest_channel_needs_the_token_too(stack: Stack) -> None:
    token, rasa = _stack_token(stack), stack.settings.rasa_url
    message = {"sender": f"web:e2e-{uuid.uuid4().hex[:8]}", "message": PROGRESS}
    assert httpx.post(f"{rasa}/webhooks/rest/webhook", json=message, timeout=30).status_code == 401
    assert httpx.post(f"{rasa}/webhooks/rest/webhook", params={"token": "guess"}, json=message,
                      timeout=30).status_code == 401
    answered = httpx.post(f"{rasa}/webhooks/rest/webhook", params={"token": token}, json=message, timeout=30)
    assert answered.status_code == 200
    assert "第三法庭" in " ".join(r.get("text", "") for r in answered.json())


def test_gateway_and_health_use_the_token(gateway: str, caller: Caller) -> None:
    assert "第三法庭" in caller.say(PROGRESS)  # the real report: Rasa answered the gateway's webhook call
    body = httpx.get(f"{gateway}/health", timeout=10).json()
    assert body["rasa"]["status"] == "ok" and body["rasa"]["model"], body


def test_token_is_on_no_command_line_and_in_no_log(stack: Stack) -> None:
    token = _stack_token(stack)
    for service in stack.services:
        assert service.process is not None and service.process.poll() is None
        cmdline = Path(f"/proc/{service.process.pid}/cmdline").read_bytes().decode(errors="replace")
        assert token not in cmdline, service.name
    assert token not in stack.log.getvalue()  # type: ignore[attr-defined]
