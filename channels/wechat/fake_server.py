"""A stand-in for WeChat's API servers on loopback (WECHAT_API_BASE=http://127.0.0.1:PORT/cgi-bin/),
for the benchmark, the end-to-end tests and local trials: issues access tokens (each new one
invalidates the previous, as WeChat does), records customer-service, template and menu calls, and
answers with an error code on demand."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class FakeWeChatState:
    token_fetches: int = 0
    current_token: str | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
    menus: list[dict[str, Any]] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)  # error codes for the next message calls
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeWeChatServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = FakeWeChatState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:  # quiet
                pass

            def _answer(self, payload: dict[str, Any]) -> None:
                body = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urlparse(self.path)
                if url.path.endswith("/token"):
                    with state.lock:
                        state.token_fetches += 1
                        state.current_token = f"token-{state.token_fetches}"
                        self._answer({"access_token": state.current_token, "expires_in": 7200})
                    return
                self._answer({"errcode": 404, "errmsg": "unknown api"})

            def do_POST(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                data = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                with state.lock:
                    if token != state.current_token:
                        self._answer({"errcode": 40001, "errmsg": "invalid credential"})
                        return
                    if state.fail_with:
                        code = state.fail_with.pop(0)
                        self._answer({"errcode": code, "errmsg": "fake failure"})
                        return
                    target = {"/cgi-bin/message/custom/send": state.sent,
                              "/cgi-bin/message/template/send": state.templates,
                              "/cgi-bin/menu/create": state.menus}.get(url.path)
                    if target is None:
                        self._answer({"errcode": 404, "errmsg": "unknown api"})
                        return
                    target.append(data)
                self._answer({"errcode": 0, "errmsg": "ok"})

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/cgi-bin/"

    def __enter__(self) -> FakeWeChatServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
