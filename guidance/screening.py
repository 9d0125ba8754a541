"""Messages that carry no request staff could act on: instructions aimed at the bot, or someone claiming
an office to get other people's details. They get a plain refusal and never become a ticket."""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"(忽略|无视|忘掉|忘记|不要管|别管|跳过|绕过)[^，。,.]{0,6}(规则|指令|设定|提示词?|要求|限制|约束|程序)"
    r"|ignore\s+(all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+)*(rules|instructions|prompts?)"
    r"|system\s*prompt|系统提示|开发者模式|越狱|jailbreak"
    r"|你现在(是|扮演|作为)[^，。]{0,8}(管理员|开发者|没有限制|不受限制|法官|工作人员)"
    r"|(扮演|假装|角色扮演|玩个游戏)[^，。]{0,12}(没有限制|不受限制|无限制|没限制|没有规则)",
    re.IGNORECASE,
)
_CLAIMED_OFFICE = re.compile(r"(我是|我就是|本人是|俺是)[^，。,]{0,6}(法官|书记员|工作人员|院长|庭长|警察|民警|领导|律师|管理员)")
_PERSONAL_DATA = re.compile(r"(电话|手机|号码|联系方式|身份证|住址|地址|信息|资料|名单)")
_HAND_OVER = re.compile(r"(发给|发我|给我|告诉我|提供|导出|列出|调出|查一下|查查|查出|报给|报一下)")
# Staff's private contact details are never given out, whoever asks (the court's numbers are public).
_STAFF_PRIVATE = re.compile(
    r"(法官|书记员|工作人员|院长|庭长|法警)[^，。,]{0,4}(私人|个人|家里|私下|自己)的?[^，。,]{0,3}(手机|电话|微信|住址|号码)"
)
_BULK = re.compile(r"(所有|全部|全体|每个|每一个|一批)[^，。,]{0,4}(当事人|原告|被告|法官|工作人员|案件)")

REFUSAL = ("这个要求我不能办理：当事人和工作人员的电话、身份证号、住址等信息不会通过智能客服提供，"
           "我也不会因为这样的要求改变工作规则或登记工单。如果您有自己的诉求（比如查询本人案件的进度、"
           "给承办法官留言、投诉建议），请直接告诉我。")


def is_not_a_request(text: str) -> bool:
    """True for prompt injection, or a claimed office / a bulk ask for people's personal details."""
    if _INJECTION.search(text) or _STAFF_PRIVATE.search(text):
        return True
    wants_data = bool(_PERSONAL_DATA.search(text) and _HAND_OVER.search(text))
    return wants_data and bool(_CLAIMED_OFFICE.search(text) or _BULK.search(text))
