"""Gateway application: `uvicorn api.main:app`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api import health
from api.rasa_client import RasaClient
from auth import routes as auth_routes
from channels import web
from channels.wechat import channel as wechat_routes
from channels.wechat.runtime import wechat_channel, wechat_push
from channels.wechat.settings import get_wechat_settings
from console import pages as console_pages
from console.templating import STATIC_DIR as CONSOLE_STATIC
from conversations import routes as live_routes
from conversations.runtime import build_conversations
from conversations.service import MessageLog
from core.config import get_settings
from core.db import get_session_factory
from core.rasa_token import rasa_token
from knowledge import curation as knowledge_curation
from knowledge import routes as knowledge_routes
from tickets import routes as tickets_routes
from tickets.revisit import Revisits
from tickets.runtime import ticket_scheduler
from tickets.service import TicketService

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("courtbot.gateway")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout, rasa_token(settings))
    app.state.message_log = MessageLog(get_session_factory())
    app.state.tickets = TicketService(get_session_factory())
    wechat = get_wechat_settings()
    push = wechat_push(wechat, get_session_factory())
    app.state.conversations, app.state.outbound = build_conversations(
        settings, app.state.message_log, app.state.rasa, app.state.tickets, {"wechat": push} if push else {})
    app.state.wechat = wechat_channel(wechat, push, app.state.conversations, app.state.outbound) if push else None
    app.state.revisits = Revisits(app.state.tickets, app.state.outbound, settings.court_name)
    app.state.conversations.revisits = app.state.revisits
    app.state.scheduler = ticket_scheduler(app.state.tickets, settings.scheduler_interval, app.state.revisits)
    app.state.scheduler.start()
    yield
    await app.state.scheduler.stop()
    if app.state.wechat is not None:
        await app.state.wechat.drain()
    await app.state.rasa.aclose()


def create_app() -> FastAPI:
    app = FastAPI(title="courtbot gateway", lifespan=lifespan)
    app.include_router(web.router)
    app.include_router(wechat_routes.router)
    app.include_router(live_routes.router)
    app.include_router(health.router)
    app.include_router(knowledge_routes.router)
    app.include_router(knowledge_curation.router)
    app.include_router(auth_routes.router)
    app.include_router(tickets_routes.router)
    app.include_router(console_pages.router)
    app.mount("/console/static", StaticFiles(directory=CONSOLE_STATIC), name="console-static")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or "body", "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        if request.url.path == "/api/chat":
            message = "请求格式不正确：需要 JSON 对象 {\"sender\": 字符串, \"message\": 字符串}"
        else:  # the console shows this line as it is
            message = "请求内容有误，请检查这些项：" + "、".join(p["field"] for p in problems)
        return JSONResponse({"error": message, "details": problems}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return JSONResponse(
            {"error": "服务暂时不可用，请稍后再试或拨打12368诉讼服务热线。", "replies": []}, status_code=503
        )

    return app


app = create_app()
