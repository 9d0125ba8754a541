"""GET /health: each dependency reported separately; 503 when any required one is down."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from core.config import get_settings
from core.db import get_engine
from core.redis_client import get_redis

router = APIRouter()


async def _check_rasa(request: Request) -> dict[str, Any]:
    try:
        status = await request.app.state.rasa.status()
        return {"status": "ok", "model": (status.get("model_file") or "").rsplit("/", 1)[-1]}
    except Exception as exc:  # any failure is reported, never raised
        return {"status": "down", "error": type(exc).__name__}


async def _check_actions() -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(f"{get_settings().actions_url}/health")
        return {"status": "ok" if response.status_code == 200 else "down", "http": response.status_code}
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}


def _check_database() -> dict[str, Any]:
    engine = get_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "dialect": engine.dialect.name}
    except Exception as exc:
        return {"status": "down", "dialect": engine.dialect.name, "error": type(exc).__name__}


def _check_redis() -> dict[str, Any]:
    client = get_redis()
    if client is None:
        return {"status": "disabled", "detail": "REDIS_URL not set: embedded in-process stores"}
    try:
        client.ping()
        return {"status": "ok"}
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    rasa, actions = await asyncio.gather(_check_rasa(request), _check_actions())
    database, redis_state = await asyncio.gather(
        asyncio.to_thread(_check_database), asyncio.to_thread(_check_redis)
    )
    components = {"rasa": rasa, "actions": actions, "database": database, "redis": redis_state}
    healthy = all(c["status"] in ("ok", "disabled") for c in components.values())
    body = {"status": "ok" if healthy else "degraded", **components}
    return JSONResponse(body, status_code=200 if healthy else 503)
