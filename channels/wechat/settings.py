"""WeChat settings, from the environment (README, section WeChat)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class WeChatSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    appid: str | None = Field(default=None, alias="WECHAT_APPID")
    token: SecretStr | None = Field(default=None, alias="WECHAT_TOKEN")
    aes_key: SecretStr | None = Field(default=None, alias="WECHAT_AES_KEY")  # EncodingAESKey, 43 characters
    appsecret: SecretStr | None = Field(default=None, alias="WECHAT_APPSECRET")
    # Template for notices when the 48-hour customer-service window has closed (feedback, revisits);
    # fields {{first}}, {{keyword1}} (matter), {{keyword2}} (time), {{remark}}. Unset: an operator task.
    template_id: str | None = Field(default=None, alias="WECHAT_TEMPLATE_ID")
    api_base: str = Field(default="https://api.weixin.qq.com/cgi-bin/", alias="WECHAT_API_BASE")
    api_timeout: float = Field(default=5.0, alias="WECHAT_API_TIMEOUT")
    # WeChat waits 5 s; answer passively only within this, otherwise `success` and the API later.
    passive_seconds: float = Field(default=4.0, alias="WECHAT_PASSIVE_SECONDS")
    # How long the bot may take when the answer goes out through the customer-service API.
    answer_seconds: float = Field(default=30.0, alias="WECHAT_ANSWER_SECONDS")
    timestamp_window: int = Field(default=300, alias="WECHAT_TIMESTAMP_WINDOW")
    max_body_bytes: int = Field(default=64 * 1024, alias="WECHAT_MAX_BODY_BYTES")
    # WeChat retries within ~15 s; a retry seen within this many seconds never runs the bot again.
    dedup_seconds: int = Field(default=600, alias="WECHAT_DEDUP_SECONDS")

    @property
    def configured(self) -> bool:
        return bool(self.appid and self.token)


@lru_cache
def get_wechat_settings() -> WeChatSettings:
    return WeChatSettings()
