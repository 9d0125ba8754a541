"""Login: `POST /api/auth/token` for API clients, the login page (CSRF-protected form) for the console."""

from __future__ import annotations

import asyncio
import hmac
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from auth.deps import SESSION_COOKIE, auth_service, bearer_token, login_address, require_role
from auth.roles import HOME_PAGE
from auth.service import AuthError, Principal
from console.templating import TEMPLATES
from core.config import get_settings

router = APIRouter()
LOGIN_CSRF_COOKIE = "courtbot_login_csrf"


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    role_label: str
    department: str | None


@router.post("/api/auth/token", response_model=TokenOut, tags=["auth"])
async def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Any:
    service = auth_service()
    try:
        user = await asyncio.to_thread(service.authenticate, form.username, form.password, login_address(request))
    except AuthError as exc:
        return JSONResponse({"error": "invalid_grant", "detail": exc.message},
                            status_code=429 if exc.locked else 401, headers={"WWW-Authenticate": "Bearer"})
    access, _ = await asyncio.to_thread(service.issue, user, "bearer")
    return TokenOut(access_token=access)


@router.get("/api/auth/me", response_model=MeOut, tags=["auth"])
def me(user: Annotated[Principal, Depends(require_role())]) -> Any:
    return MeOut(username=user.username, display_name=user.display_name, role=user.role,
                 role_label=user.role_label, department=user.department)


@router.post("/api/auth/logout", status_code=204, tags=["auth"])
def logout_api(request: Request, _user: Annotated[Principal, Depends(require_role())]) -> Response:
    token_value = bearer_token(request) or request.cookies.get(SESSION_COOKIE)
    if token_value:
        auth_service().revoke(token_value)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _safe_next(target: str | None) -> str:
    # Only our own console paths: an attacker-supplied absolute URL must not become an open redirect.
    if target and target.startswith("/console") and "//" not in target and "\\" not in target:
        return target
    return "/console"


def _login_page(request: Request, error: str | None = None, next_url: str = "/console",
                username: str = "", status: int = 200) -> HTMLResponse:
    csrf = secrets.token_urlsafe(24)
    response = TEMPLATES.TemplateResponse(
        request, "login.html",
        {"csrf_token": csrf, "error": error, "next": _safe_next(next_url), "username": username},
        status_code=status,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/console/login",
                        secure=get_settings().cookie_secure)
    return response


@router.get("/console/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/console") -> HTMLResponse:
    return _login_page(request, next_url=next)


@router.post("/console/login", include_in_schema=False)
async def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=300)] = "/console",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_page(request, "页面已过期，请重新输入后登录。", next, username, 403)
    if not username.strip() or not password:
        return _login_page(request, "请输入用户名和密码。", next, username, 400)
    service = auth_service()
    try:
        user = await asyncio.to_thread(service.authenticate, username, password, login_address(request))
    except AuthError as exc:
        return _login_page(request, exc.message, next, username, 429 if exc.locked else 401)
    session_token, _ = await asyncio.to_thread(service.issue, user, "cookie")
    settings = get_settings()
    target = _safe_next(next)
    if target == "/console":
        target = HOME_PAGE.get(user.role, target)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session_token, httponly=True, samesite="strict", path="/",
                        secure=settings.cookie_secure, max_age=settings.auth_session_hours * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console/login")
    return response


@router.post("/console/logout", include_in_schema=False)
def logout_page(request: Request, _user: Annotated[Principal, Depends(require_role())]) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        auth_service().revoke(cookie)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response

