"""The web client address identity limits count: X-Forwarded-For only from trusted proxies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.requests import Request

from core import config
from core.client_address import client_address


def request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 40000), "headers": headers})


@pytest.fixture()
def proxies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("COURTBOT_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
    config.get_settings.cache_clear()
    yield
    config.get_settings.cache_clear()


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(proxies: None) -> None:
    assert client_address(request("10.1.2.3", "198.51.100.1")) == "198.51.100.1"
    assert client_address(request("192.0.2.1", "198.51.100.1, 10.4.4.4")) == "198.51.100.1"
    # A client cannot pick its address by sending the header itself (the right-most untrusted hop wins).
    assert client_address(request("10.1.2.3", "1.1.1.1, 198.51.100.1")) == "198.51.100.1"
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_address(request("10.1.2.3")) == "10.1.2.3"
