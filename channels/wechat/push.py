"""Messages into a WeChat user's conversation outside a passive reply: the customer-service API
while the 48-hour window is open, a template message after it (when WECHAT_TEMPLATE_ID is set).
A failure is returned, never raised: conversations/outbound.py turns it into operator work."""

from __future__ import annotations

import asyncio
import logging

from channels.wechat.api import (
    EXPIRED_TOKEN,
    OUTSIDE_WINDOW,
    RATE_LIMITED,
    TOO_MANY,
    WeChatAPI,
    WeChatAPIError,
)
from channels.wechat.texts import messages_for
from channels.wechat.users import WeChatUsers
from conversations.outbound import PushResult
from core.timeutil import court_now

log = logging.getLogger("courtbot.wechat.push")
PURPOSE_TITLES = {"feedback": "您的诉讼服务工单有办理结果", "revisit": "诉讼服务回访", "notice": "诉讼服务中心消息"}


def explain(code: int | None) -> str:
    if code == OUTSIDE_WINDOW:
        return "45015 用户48小时内未互动，客服消息窗口已关闭"
    if code == TOO_MANY:
        return "45047 客服消息条数超过上限"
    if code in EXPIRED_TOKEN:
        return f"{code} access_token 无效或过期（刷新后仍失败）"
    if code in RATE_LIMITED:
        return f"{code} 接口调用频率或配额受限"
    return f"{code} 微信接口错误" if code is not None else "微信接口不可达或超时"


class WeChatPush:
    def __init__(self, api: WeChatAPI, users: WeChatUsers, template_id: str | None) -> None:
        self.api = api
        self.users = users
        self.template_id = template_id

    async def push(self, sender: str, texts: list[str], purpose: str) -> PushResult:
        found = await asyncio.to_thread(self.users.lookup, sender)
        if found is None:
            return PushResult(False, "none", "不认识的微信用户")
        openid, window_open = found
        error = "45015 用户48小时内未互动，客服消息窗口已关闭"
        if window_open:
            try:
                for message in messages_for(texts):
                    await asyncio.to_thread(self.api.send_text, openid, message)
                return PushResult(True, "customer_service")
            except WeChatAPIError as exc:
                error = explain(exc.code)
                log.warning("customer-service message not sent: %s", error)
                if exc.code != OUTSIDE_WINDOW:
                    return PushResult(False, "customer_service", error)
        if not self.template_id:
            return PushResult(False, "none", f"{error}；未配置模板消息")
        data = {
            "first": {"value": PURPOSE_TITLES.get(purpose, PURPOSE_TITLES["notice"])},
            "keyword1": {"value": "\n".join(texts)[:180]},
            "keyword2": {"value": f"{court_now():%Y-%m-%d %H:%M}"},
            "remark": {"value": "回复本公众号可继续咨询，或拨打12368诉讼服务热线。"},
        }
        try:
            await asyncio.to_thread(self.api.send_template, openid, self.template_id, data)
        except WeChatAPIError as exc:
            log.warning("template message not sent: %s", explain(exc.code))
            return PushResult(False, "template", explain(exc.code))
        return PushResult(True, "template")
