"""WeChat's outbound API behind one interface: `HttpWeChatAPI` (wechatpy's client, for production)
and `RecordingWeChatAPI` (records every call, fails on demand; tests and local trials).

The access token is fetched once and shared by every replica through wechatpy's Redis session
storage; a refresh happens under a lock and first re-reads the shared token, because each refresh
invalidates the previous token and replicas refreshing on their own would keep breaking each other.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import redis
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

log = logging.getLogger("courtbot.wechat.api")

OUTSIDE_WINDOW = 45015  # the user has not written for 48 hours: no customer-service message
TOO_MANY = 45047  # too many customer-service messages since the user's last message
EXPIRED_TOKEN = (40001, 40014, 42001)
RATE_LIMITED = (45009, 45011, -1)  # daily API quota, frequency, system busy
TOKEN_MARGIN = 300  # seconds: the shared token disappears this long before WeChat expires it
MAX_TOKEN_RETRIES = 2  # per request


class WeChatAPIError(Exception):
    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class WeChatAPI(Protocol):
    def send_text(self, openid: str, text: str) -> None: ...
    def send_template(self, openid: str, template_id: str, data: dict[str, Any]) -> None: ...
    def create_menu(self, menu: dict[str, Any]) -> None: ...


class SharedTokenClient(WeChatClient):
    def __init__(self, appid: str, secret: str, api_base: str, timeout: float, client: redis.Redis | None) -> None:
        storage = RedisStorage(client, prefix="courtbot:wechatpy") if client is not None else MemoryStorage()
        super().__init__(appid, secret, session=storage, timeout=timeout)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"
        self._lock: AbstractContextManager[Any] = (
            client.lock("courtbot:wechat:token-lock", timeout=30, blocking_timeout=30) if client is not None
            else threading.Lock())
        # Per thread: the token this thread's request used, and how often it was retried. Shared
        # state would let one thread's fresh token pass for another's stale one (a second refresh).
        self._request_state = threading.local()

    @property
    def access_token(self) -> str:
        """wechatpy reads this once at the start of each request (retries carry the token along)."""
        token = self.session.get(self.access_token_key)
        if not token:
            token = self._refresh(stale=None)
        self._request_state.used, self._request_state.retries = token, 0
        return token

    def fetch_access_token(self) -> dict[str, Any]:
        """wechatpy calls this on 40001/42001: refresh only if nobody replaced the token we used."""
        state = self._request_state
        state.retries = getattr(state, "retries", 0) + 1
        if state.retries > MAX_TOKEN_RETRIES:  # WeChat keeps refusing fresh tokens: stop, don't loop
            raise WeChatClientException(EXPIRED_TOKEN[0], "access_token refused after refresh", client=self)
        state.used = self._refresh(stale=getattr(state, "used", None))
        return {"access_token": state.used}

    def _refresh(self, stale: str | None) -> str:
        with self._lock:
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return current  # another replica (or thread) refreshed while we waited
            result = self._fetch_access_token(url=f"{self.API_BASE_URL}token", params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
            token = result["access_token"]
            ttl = max(int(result.get("expires_in", 7200)) - TOKEN_MARGIN, 60)
            self.session.set(self.access_token_key, token, ttl)
            log.info("fetched a new WeChat access token (shared for %s s)", ttl)
            return token


class HttpWeChatAPI:
    def __init__(self, client: SharedTokenClient) -> None:
        self._client = client

    def _call(self, what: str, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except WeChatClientException as exc:
            code = int(exc.errcode) if exc.errcode is not None else None
            raise WeChatAPIError(code, str(exc.errmsg or what)) from None
        except Exception as exc:  # requests' timeouts and connection errors
            raise WeChatAPIError(None, f"{what}: {type(exc).__name__}") from None

    def send_text(self, openid: str, text: str) -> None:
        self._call("send_text", self._client.message.send_text, openid, text)

    def send_template(self, openid: str, template_id: str, data: dict[str, Any]) -> None:
        self._call("send_template", self._client.message.send_template, openid, template_id, data)

    def create_menu(self, menu: dict[str, Any]) -> None:
        self._call("create_menu", self._client.menu.create, menu)


@dataclass
class RecordingWeChatAPI:
    """Records what would have been sent; `fail_with` makes the next calls raise those codes."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    templates: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    menus: list[dict[str, Any]] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _maybe_fail(self) -> None:
        with self._lock:
            code = self.fail_with.pop(0) if self.fail_with else None
        if code is not None:
            raise WeChatAPIError(code, "recorded failure")

    def send_text(self, openid: str, text: str) -> None:
        self._maybe_fail()
        with self._lock:
            self.sent.append((openid, text))

    def send_template(self, openid: str, template_id: str, data: dict[str, Any]) -> None:
        self._maybe_fail()
        with self._lock:
            self.templates.append((openid, template_id, data))

    def create_menu(self, menu: dict[str, Any]) -> None:
        self._maybe_fail()
        self.menus.append(menu)
