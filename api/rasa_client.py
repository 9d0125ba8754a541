"""Talks to the Rasa server over its REST channel. Rasa stays on loopback; this is its only caller."""

from __future__ import annotations

import logging
from typing import Any

import httpx

# Rasa takes its API token only as `?token=`; httpx logs request URLs at INFO, so keep it quieter.
logging.getLogger("httpx").setLevel(logging.WARNING)


class DialogueUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully in time.

    `status` is what the message log records: `undelivered` when Rasa never took the message,
    `timeout` when it may still be working on it.
    """

    def __init__(self, reason: str, status: str = "undelivered") -> None:
        super().__init__(reason)
        self.status = status


class RasaClient:
    def __init__(self, base_url: str, timeout: float, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # Every request carries the token: the HTTP API (/model/parse, /status) refuses without it.
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)), params={"token": token}
        )

    async def send(self, sender: str, message: str, metadata: dict[str, Any],
                   timeout: float | None = None) -> list[dict[str, Any]]:
        """`timeout` overrides the default for channels that can deliver a late answer (WeChat)."""
        # A loaded Rasa accepts connections late; a channel with time to spare waits for that too.
        limit = httpx.Timeout(timeout, connect=min(timeout, 10.0)) if timeout else httpx.USE_CLIENT_DEFAULT
        try:
            response = await self._client.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message, "metadata": metadata},
                timeout=limit,
            )
        except httpx.ConnectTimeout as exc:
            raise DialogueUnavailable("rasa did not accept the connection in time") from exc
        except httpx.TimeoutException as exc:
            raise DialogueUnavailable("rasa timeout", status="timeout") from exc
        except httpx.HTTPError as exc:
            raise DialogueUnavailable(f"rasa unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise DialogueUnavailable(f"rasa answered HTTP {response.status_code}", status="timeout")
        try:
            replies = response.json()
        except ValueError as exc:
            raise DialogueUnavailable("rasa answered something that is not JSON", status="timeout") from exc
        # Our bot answers every turn; nothing back means a custom action failed inside Rasa.
        if not isinstance(replies, list) or not replies:
            raise DialogueUnavailable("rasa returned no reply (action server down?)", status="timeout")
        return replies

    async def parse(self, text: str) -> dict[str, Any]:
        response = await self._client.post(f"{self.base_url}/model/parse", json={"text": text})
        response.raise_for_status()
        return response.json()

    async def status(self) -> dict[str, Any]:
        response = await self._client.get(f"{self.base_url}/status", timeout=2.0)
        response.raise_for_status()
        return response.json()

    async def aclose(self) -> None:
        await self._client.aclose()
