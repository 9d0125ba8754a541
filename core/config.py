"""Settings for every courtbot process, read from the environment (prefix-free, documented in README)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
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

    timezone: str = Field(default="Asia/Shanghai", alias="COURTBOT_TIMEZONE")
    court_name: str = Field(default="焦作市马村区人民法院", alias="COURTBOT_COURT_NAME")
    court_code: str = Field(default="豫0804", alias="COURTBOT_COURT_CODE")
    court_office_phone: str = Field(default="0391-3921368", alias="COURTBOT_COURT_PHONE")

    case_system: str | None = Field(default=None, alias="COURTBOT_CASE_SYSTEM")

    # Identity checks: failures before a case is locked, and for how long.
    verify_max_failures: int = Field(default=3, alias="COURTBOT_VERIFY_MAX_FAILURES")
    verify_lock_minutes: int = Field(default=60, alias="COURTBOT_VERIFY_LOCK_MINUTES")

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
