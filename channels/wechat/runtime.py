"""Builds the WeChat channel of a gateway process when WECHAT_APPID and WECHAT_TOKEN are set."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from channels.wechat.api import HttpWeChatAPI, SharedTokenClient, WeChatAPI, WeChatAPIError
from channels.wechat.channel import WeChatChannel
from channels.wechat.dedup import DedupStore, LocalDedup, RedisDedup
from channels.wechat.protocol import Protocol
from channels.wechat.push import WeChatPush
from channels.wechat.settings import WeChatSettings
from channels.wechat.users import WeChatUsers
from conversations.conversation import ConversationService
from conversations.outbound import Outbound
from core.redis_client import get_redis


def http_api(settings: WeChatSettings) -> WeChatAPI:
    if not (settings.appid and settings.appsecret):
        raise RuntimeError("WECHAT_APPID 和 WECHAT_APPSECRET 未配置，无法调用微信接口")
    client = SharedTokenClient(settings.appid, settings.appsecret.get_secret_value(), settings.api_base,
                               settings.api_timeout, get_redis())
    return HttpWeChatAPI(client)


class _Unconfigured:
    """No WECHAT_APPSECRET: passive replies work, anything pushed becomes operator work."""

    def _refuse(self, *_args: object) -> None:
        raise WeChatAPIError(None, "WECHAT_APPSECRET 未配置")

    send_text = send_template = create_menu = _refuse


def wechat_push(settings: WeChatSettings, sessions: sessionmaker[Session]) -> WeChatPush | None:
    if not settings.configured:
        return None
    api: WeChatAPI = http_api(settings) if settings.appsecret else _Unconfigured()
    return WeChatPush(api, WeChatUsers(sessions, settings.appid or ""), settings.template_id)


def wechat_channel(settings: WeChatSettings, push: WeChatPush, conversations: ConversationService,
                   outbound: Outbound) -> WeChatChannel:
    assert settings.token is not None and settings.appid is not None
    client = get_redis()
    dedup: DedupStore = RedisDedup(client) if client is not None else LocalDedup()
    aes_key = settings.aes_key.get_secret_value() if settings.aes_key else None
    protocol = Protocol(settings.token.get_secret_value(), settings.appid, aes_key, settings.timestamp_window)
    return WeChatChannel(settings, protocol, dedup, push.users, conversations, outbound)
