"""Every page and endpoint checks its role: anonymous requests to anything not meant for the public
are refused (401 for the API, a redirect to the login page for console pages). A new route that
forgets its guard fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.main import app

# Meant for the public (the channels and the bot's own helpers) or for logging in.
PUBLIC = {
    ("POST", "/api/chat"), ("GET", "/api/chat/messages"), ("GET", "/wechat"), ("POST", "/wechat"),
    ("GET", "/health"), ("GET", "/"),
    ("POST", "/api/knowledge/search"), ("POST", "/api/knowledge/classify"),
    ("POST", "/api/auth/token"), ("GET", "/console/login"), ("POST", "/console/login"),
    ("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"), ("GET", "/redoc"),
}


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, also inside included routers (api/main.py includes them without a prefix)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes)


def guarded_routes() -> list[tuple[str, str]]:
    found = []
    for route in api_routes(app.routes):
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            if (method, route.path) not in PUBLIC:
                found.append((method, route.path))
    return found


def test_the_app_has_guarded_routes() -> None:
    assert len(guarded_routes()) >= 10


@pytest.mark.parametrize(("method", "path"), guarded_routes())
def test_anonymous_is_refused(method: str, path: str, configured: str) -> None:
    url = re.sub(r"\{[^}]+\}", "2026", path)
    with TestClient(app) as client:
        response = client.request(method, url, follow_redirects=False)
    if path.startswith("/console"):
        assert response.status_code in (303, 401, 403), (method, path, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"].startswith("/console/login")
    else:
        assert response.status_code in (401, 403), (method, path, response.status_code, response.text[:200])
