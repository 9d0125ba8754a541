"""Accounts, login with lockout, and sessions/tokens. Database only (no HTTP)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from auth.models import AuthSession, LoginAttempt, User
from auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from auth.roles import ALL_ROLES, ROLE_LABELS
from core.config import get_settings
from core.timeutil import as_utc, utcnow


class AuthError(Exception):
    """Login refused; `message` is shown to the user in Chinese."""

    def __init__(self, message: str, locked: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.locked = locked


class UserError(ValueError):
    """An account cannot be created as asked; the message is Chinese."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: what routes and services need to know about an authenticated user."""

    user_id: int
    username: str
    display_name: str
    role: str
    department: str | None
    via: str  # cookie / bearer
    csrf_token: str | None = None
    is_department_head: bool = False

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AuthService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._settings = get_settings()

    # --- accounts -------------------------------------------------------------------------------
    def create_user(
        self, username: str, role: str, password: str, display_name: str | None = None,
        department: str | None = None, is_department_head: bool = False, now: datetime | None = None,
    ) -> User:
        username = username.strip()
        if not username or len(username) > 64 or any(c.isspace() for c in username):
            raise UserError("用户名不能为空、不能含空格，且不超过 64 个字符")
        if role not in ALL_ROLES:
            raise UserError(f"未知角色 {role}，可选：{', '.join(ALL_ROLES)}")
        if problem := password_problem(password):
            raise UserError(problem)
        with self._sessions.begin() as session:
            if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
                raise UserError(f"用户名 {username} 已存在")
            user = User(
                username=username, display_name=display_name or username, role=role, department=department,
                is_department_head=is_department_head, password_hash=hash_password(password),
                active=True, created_at=now or utcnow(),
            )
            session.add(user)
        return user

    def get_user(self, username: str) -> User | None:
        with self._sessions() as session:
            return session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))

    def list_users(self) -> list[User]:
        with self._sessions() as session:
            return list(session.scalars(select(User).order_by(User.username)))

    def department_heads(self, department: str) -> list[str]:
        with self._sessions() as session:
            return list(session.scalars(select(User.username).where(
                User.department == department, User.is_department_head.is_(True), User.active.is_(True))))

    # --- login ----------------------------------------------------------------------------------
    def _recent_failures(self, session: Session, who: ColumnElement[bool], since: datetime) -> int:
        return int(session.scalar(
            select(func.count()).select_from(LoginAttempt).where(
                who, LoginAttempt.success.is_(False), LoginAttempt.at >= since)
        ) or 0)

    def authenticate(self, username: str, password: str, address: str, now: datetime | None = None) -> User:
        """Check a login. Failures count per caller (this username from this address, and this address
        across usernames), never only per account, so nobody can lock an operator out from elsewhere.
        Guessing one account from many addresses is stopped by the account ceiling, which refuses only
        addresses that already failed on it: the operator's own desk still gets in."""
        now = now or utcnow()
        s = self._settings
        username = username.strip()[:64]
        since = now - timedelta(minutes=s.auth_lock_minutes)
        # The attempt must be committed even when the login is refused (raising inside the
        # transaction would roll it back, and nothing would ever lock), so refusals raise after it.
        refusal: AuthError | None = None
        with self._sessions.begin() as session:
            account = func.lower(LoginAttempt.username) == username.lower()
            here = LoginAttempt.address == address
            pair = self._recent_failures(session, account & here, since)
            by_address = self._recent_failures(session, here, since)
            by_account = self._recent_failures(session, account, since)
            locked = (pair >= s.auth_max_failures or by_address >= s.auth_address_max_failures
                      or (by_account >= s.auth_account_max_failures and pair > 0))
            user = None
            if locked:
                refusal = AuthError(f"登录失败次数过多，请 {s.auth_lock_minutes} 分钟后再试或联系管理员。", locked=True)
            else:
                user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
                ok = verify_password(user.password_hash if user else None, password)
                if not (ok and user is not None and user.active):
                    refusal, user = AuthError("用户名或密码错误。"), None
            session.add(LoginAttempt(username=username, address=address, success=user is not None, at=now))
            if user is not None:
                if needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
                session.flush()
                session.expunge(user)
        if refusal is not None or user is None:
            raise refusal or AuthError("用户名或密码错误。")
        return user

    # --- sessions and tokens --------------------------------------------------------------------
    def issue(self, user: User, kind: str, now: datetime | None = None) -> tuple[str, str | None]:
        """A new random secret for `user`: (token, csrf token for cookie sessions)."""
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24) if kind == "cookie" else None
        hours = self._settings.auth_session_hours
        with self._sessions.begin() as session:
            session.add(AuthSession(
                token_hash=token_digest(token), user_id=user.id, kind=kind, csrf_token=csrf,
                created_at=now, expires_at=now + timedelta(hours=hours), revoked=False,
            ))
        return token, csrf

    def resolve(self, token: str, kind: str, now: datetime | None = None) -> Principal | None:
        now = now or utcnow()
        with self._sessions() as session:
            row = session.execute(
                select(AuthSession, User).join(User, User.id == AuthSession.user_id).where(
                    AuthSession.token_hash == token_digest(token), AuthSession.kind == kind)
            ).first()
        if row is None:
            return None
        auth, user = row
        if auth.revoked or not user.active or as_utc(auth.expires_at) <= now:
            return None
        return Principal(user.id, user.username, user.display_name, user.role, user.department, kind,
                         auth.csrf_token, user.is_department_head)

    def revoke(self, token: str) -> None:
        with self._sessions.begin() as session:
            session.execute(update(AuthSession).where(AuthSession.token_hash == token_digest(token))
                            .values(revoked=True))
