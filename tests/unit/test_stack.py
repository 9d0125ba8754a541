"""The process supervisor: readiness, fail-fast on a dead or hopeless service, clean stop."""

from __future__ import annotations

import io
import sys
import time

import pytest

from cli.stack import Service, Stack
from core.config import Settings
from tests.conftest import free_port


def _python(code: str) -> list[str]:
    return [sys.executable, "-u", "-c", code]


def _stack(*services: Service) -> Stack:
    return Stack(Settings(), log=io.StringIO(), only=list(services))


def test_ready_when_the_service_answers_and_logs_are_prefixed() -> None:
    port = free_port()
    server = Service("web", _python(f"print('hello'); import http.server as h; "
                                    f"h.HTTPServer(('127.0.0.1', {port}), h.SimpleHTTPRequestHandler).serve_forever()"),
                     {}, f"http://127.0.0.1:{port}/")
    stack = _stack(server)
    stack.start()
    try:
        assert stack.wait_ready(timeout=20) < 20
        time.sleep(0.2)
        assert "[web] hello" in stack.log.getvalue()  # type: ignore[attr-defined]
    finally:
        stack.stop()
    assert server.process is not None and server.process.poll() is not None


def test_a_service_that_exits_fails_fast() -> None:
    stack = _stack(Service("broken", _python("import sys; sys.exit(3)"), {}, f"http://127.0.0.1:{free_port()}/"))
    stack.start()
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="exited with code 3"):
        stack.wait_ready(timeout=30)
    assert time.monotonic() - started < 10
    stack.stop()


def test_a_fatal_log_line_fails_fast_although_the_process_lives() -> None:
    hopeless = Service("rasa", _python("print('ERROR Could not load model due to X'); import time; time.sleep(60)"),
                       {}, f"http://127.0.0.1:{free_port()}/", fatal_marker="Could not load model")
    stack = _stack(hopeless)
    stack.start()
    try:
        with pytest.raises(RuntimeError, match="cannot start"):
            stack.wait_ready(timeout=30)
    finally:
        stack.stop()
