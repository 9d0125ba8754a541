"""Ticket categories: codes are stored, Chinese labels shown. Callers may still pass the Chinese
labels the bot has always used (转人工, 投诉举报, 核验告警 …); `resolve_category` maps them."""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "progress": "案件进度跟进",
    "complaint": "投诉举报",
    "petition": "涉诉信访",
    "contact_judge": "联系法官",
    "suggestion": "意见建议",
    "mediation": "调解",
    "consultation": "咨询",
    "undelivered": "未答复留言",
    "other": "其他",
}

_ALIASES: dict[str, str] = {
    "投诉举报": "complaint", "投诉": "complaint", "举报": "complaint",
    "涉诉信访": "petition", "信访": "petition",
    "联系法官": "contact_judge", "给法官留言": "contact_judge",
    "意见建议": "suggestion", "建议": "suggestion",
    "调解": "mediation", "诉前调解": "mediation",
    "咨询": "consultation",
    "案件进度": "progress", "案件进度跟进": "progress",
    "未答复留言": "undelivered",
}

# Bot labels that need a person quickly (an identity-check alert may mean someone probing cases).
HIGH_PRIORITY_LABELS = frozenset({"核验告警"})

STATUS_LABELS: dict[str, str] = {
    "received": "待交办",
    "assigned": "已交办",
    "in_progress": "办理中",
    "fed_back": "已反馈",
    "revisited": "已回访",
    "closed": "已办结",
    "merged": "已合并",
}

PRIORITY_LABELS: dict[str, str] = {"normal": "普通", "high": "紧急", "urgent": "特急"}

CHANNEL_LABELS: dict[str, str] = {"web": "网页", "wechat": "微信", "hotline": "12368 热线", "voice": "12368 热线",
                                  "phone": "电话", "system": "系统"}


def resolve_category(value: str, case_number: str | None = None) -> str:
    """A category code for a code or a Chinese label; 转人工 about a known case is progress follow-up."""
    value = value.strip()
    if value in CATEGORIES:
        return value
    if value in _ALIASES:
        return _ALIASES[value]
    if value == "转人工":
        return "progress" if case_number else "consultation"
    return "other"


def category_label(code: str) -> str:
    return CATEGORIES.get(code, code)


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code, code)


# The note the bot adds when a caller asks for a person on a matter that already has a ticket: the
# live hand-off queue looks for it, as it looks for a new 转人工 ticket.
PERSON_REQUESTED_NOTE = "来电人要求人工联系"
