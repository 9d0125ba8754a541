"""Public knowledge API for the bot and the web: search and dispute-type classification (no login,
limited per caller: COURTBOT_KB_RATE_PER_MINUTE requests a minute from one address).

Bodies are validated here so a bad request gets a 422 that says, in Chinese, what is wrong.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from core.client_address import client_address
from core.config import get_settings
from knowledge.ratelimit import RateLimiter
from knowledge.schema import KIND_NAMES

router = APIRouter()
PUBLIC_KINDS = ("faq", "case", "mediation_org", "checklist")
MAX_QUERY = 2000
MAX_K = 50
TOO_MANY = "查询太频繁，请一分钟后再试；需要帮助请拨打12368诉讼服务热线。"


@lru_cache
def limiter() -> RateLimiter:
    from core.redis_client import get_redis

    return RateLimiter(get_settings().kb_rate_per_minute, get_redis())


def over_limit(request: Request) -> JSONResponse | None:
    """Counted per caller: the web client's address (behind trusted proxies, its real one)."""
    if limiter().allow(client_address(request) or "unknown"):
        return None
    return JSONResponse({"error": TOO_MANY}, status_code=429)


def problem(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=422)


async def json_object(request: Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if not isinstance(value, str) or not value.replace("\x00", "").strip() or len(value) > MAX_QUERY:
        return None
    return value.replace("\x00", "").strip()


@router.post("/api/knowledge/search")
async def search(request: Request) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

    from knowledge.store import knowledge_base

    if (refused := over_limit(request)) is not None:
        return refused
    body = await json_object(request)
    if body is None:
        return problem('请求格式不正确：需要 JSON 对象 {"query": 字符串, "kind": "faq"|"case"|"mediation_org", "k": 数字}')
    query = _text(body, "query")
    if query is None:
        return problem(f"query 必须是1到{MAX_QUERY}个字符的非空字符串")
    kind = body.get("kind", "faq")
    if kind not in PUBLIC_KINDS:
        return problem("kind 必须是 " + "、".join(f"{k}（{KIND_NAMES[k]}）" for k in PUBLIC_KINDS) + " 之一")
    k = body.get("k", 10)
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        return problem(f"k 必须是1到{MAX_K}之间的整数")
    dispute_type = body.get("dispute_type")
    if dispute_type is not None and not isinstance(dispute_type, str):
        return problem("dispute_type 必须是字符串")
    hits = await run_in_threadpool(knowledge_base().search, query, kind, k, dispute_type)
    return JSONResponse({"results": [{"id": h.id, "title": h.title, "score": h.score, "snippet": h.snippet} for h in hits]})


@router.post("/api/knowledge/classify")
async def classify(request: Request) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

    from knowledge.classifier import dispute_classifier

    if (refused := over_limit(request)) is not None:
        return refused
    body = await json_object(request)
    if body is None:
        return problem('请求格式不正确：需要 JSON 对象 {"text": 字符串}')
    text = _text(body, "text")
    if text is None:
        return problem(f"text 必须是1到{MAX_QUERY}个字符的非空字符串")
    result = await run_in_threadpool(lambda: dispute_classifier().classify(text))
    return JSONResponse({
        "label": result.label,
        "confidence": result.confidence,
        "ranking": [{"label": label, "confidence": p} for label, p in result.ranking],
    })
