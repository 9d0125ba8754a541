"""Rasa's REST channel behind the same token as its HTTP API.

`rasa run --auth-token` guards the HTTP API (/model/parse, /status, /conversations/…, /model) but
not channel routes: without this, any local process could post to /webhooks/rest/webhook as any
sender (`wechat:<openid>` included), continue a verified conversation and skip the gateway's
message log and limits. Loaded by bot/credentials.yml; the token comes from COURTBOT_RASA_TOKEN,
which cli/rasa_run.py requires. Runs inside the Rasa env: Rasa and the standard library only.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request


class TokenRestInput(RestInput):
    """`/webhooks/rest/webhook?token=…`; anything else gets 401 before Rasa reads the message."""

    def __init__(self, token: str) -> None:
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "rest"  # same URL and input_channel as Rasa's own REST channel

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        token = os.environ.get("COURTBOT_RASA_TOKEN", "").strip()
        if not token:
            raise RuntimeError("COURTBOT_RASA_TOKEN is not set: the REST channel will not run unguarded")
        return cls(token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_token(request: Request) -> response.HTTPResponse | None:
            if hmac.compare_digest(request.args.get("token", "").encode(), self.token.encode()):
                return None
            return response.json({"status": "failure", "reason": "NotAuthenticated"}, status=401)

        return webhook
