"""Answers about the court itself, built from court.yml; the topic comes from the caller's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

COURT_FILE = Path(__file__).with_name("court.yml")

# Topic → words that ask about it. Order matters: payment claims 在哪交 before address claims 在哪.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "payment": ("交费", "缴费", "交钱", "付款", "转账", "账户", "账号", "汇款", "哪交", "哪里交", "哪儿交", "怎么交",
                "咋交", "交到哪", "缴纳", "二维码", "缴费码", "手机上交", "手机交", "微信交", "网上交", "线上交",
                "扫码交"),
    "parking": ("停车", "车位", "停哪", "哪停", "车停"),
    "online": ("移动微法院", "小程序", "公众号", "网上", "线上", "手机上办", "在线", "微信上"),
    "windows": ("窗口",),
    "phone": ("电话", "电化", "号码", "联系方式", "座机", "总机", "打哪个"),
    "hours": ("几点", "上班", "下班", "开门", "关门", "周六", "周日", "周末", "星期六", "星期天", "星期日", "礼拜",
              "节假日", "放假", "假期", "国庆", "春节", "过年", "五一", "午休", "中午", "办公时间", "工作时间",
              "营业", "时间"),
    "address": ("在哪", "地址", "位置", "怎么走", "怎么去", "咋走", "咋去", "哪里", "公交", "几路", "导航", "坐车",
                "在什么地方", "在啥地方"),
}
# Phone purposes a caller names, mapped to words in the purpose field of court.yml.
PHONE_PURPOSE_WORDS: dict[str, tuple[str, ...]] = {
    "执行": ("执行",),
    "信访": ("信访", "上访"),
    "诉讼费": ("交费", "缴费", "退费", "诉讼费"),
    "12368": ("12368", "热线", "投诉", "留言"),
    "立案": ("立案", "总服务台", "咨询"),
}


# Words a caller names a window's business with, mapped to words of that window's `does` in court.yml.
WINDOW_PURPOSE_WORDS: dict[str, tuple[str, ...]] = {
    "诉讼费": ("诉讼费", "交费", "缴费", "退费", "缓交", "减交", "免交", "减免"),
    "立案登记": ("立案", "起诉", "诉状", "递材料", "交材料"),
    "执行": ("执行",),
    "调解": ("调解",),
    "档案": ("档案", "复印", "卷宗", "阅卷"),
    "信访": ("信访", "上访", "投诉"),
    "法律援助": ("法律援助",),
}

# Questions about the court itself, whatever else the message names ("立案庭电话多少", "国庆放假你们上班不
# 我想去立案", "能不能手机上交诉讼费", "周六呢", "执行那块有单独的电话没", "交诉讼费在几号窗口"): the reply
# comes from court.yml, not from the other topic.
_COURT_QUESTION = re.compile(
    r"(电话|电化|号码|座机|总机|联系方式)[^，。,]{0,4}(多少|是啥|是什么|给我|有没有|呢)"
    r"|(电话|号码|座机)(没有?|吗|嘛)(?=$|[\s，。,？?！!])|有没有[^，。,\s]{0,6}(电话|号码|座机)"
    r"|打哪个电话|打什么电话|打啥电话|找哪个电话|(几|哪个|哪一个|啥|什么)号?窗口|窗口在哪"
    r"|几点(上班|下班|开门|关门|有人)|上班不|上不上班|开门不|开不开门|放假|节假日|周六|周日|周末|星期六|星期天|礼拜天"
    r"|礼拜六|午休|办公时间|(手机|微信|网上|线上|扫码)上?(交|缴|付)|停车|车位|法院(在哪|地址|怎么走)|地址在哪"
)


def is_court_question(text: str) -> bool:
    return bool(_COURT_QUESTION.search(text))


@dataclass(frozen=True)
class CourtInfo:
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.data["court"])

    def topics_in(self, text: str) -> list[str]:
        """The court topics a message asks about, in a stable order; payment words hide 在哪."""
        found = [topic for topic, words in TOPIC_WORDS.items() if any(w in text for w in words)]
        if "payment" in found and "address" in found and not re.search(r"地址|怎么走|咋走|怎么去|公交", text):
            found.remove("address")
        if "phone" in found and "hours" in found and "12368" in text:
            found.remove("phone")  # "12368几点有人接" asks for the hotline's hours
        return found

    def answer(self, text: str) -> tuple[list[str], str]:
        """(topics answered, reply). A question naming no topic gets address, hours and the main phone."""
        topics = self.topics_in(text) or ["address", "hours", "phone"]
        parts = [getattr(self, f"_{topic}")(text) for topic in topics]
        return topics, "\n".join(parts)

    def _address(self, text: str) -> str:
        return f"{self.name}地址：{self.data['address']}。{self.data['directions']}"

    def _hours(self, text: str) -> str:
        hours = self.data["hours"]
        if "12368" in text or "热线" in text:
            return f"热线时间：{hours['hotline']}。"
        lines = [f"办公时间：{hours['weekdays']}；{hours['lunch']}。", f"周末：{hours['weekends']}。",
                 f"节假日：{hours['holidays']}。"]
        if re.search(r"周六|周日|周末|星期六|星期天|星期日|礼拜", text):
            lines = [lines[1], lines[0]]
        elif re.search(r"节假日|放假|假期|国庆|春节|过年|五一", text):
            lines = [lines[2], lines[0]]
        return "".join(lines) + f"12368热线：{hours['hotline']}。"

    def _phone(self, text: str) -> str:
        phones = self.data["phones"]
        wanted = [p for key, words in PHONE_PURPOSE_WORDS.items() if any(w in text for w in words)
                  for p in phones if key in p["purpose"]]
        chosen = {p["purpose"]: p["number"] for p in (wanted or phones)}  # keyed by purpose: no repeats
        listed = "；".join(f"{purpose}：{number}" for purpose, number in chosen.items())
        return f"联系电话——{listed}。"

    def _windows(self, text: str) -> str:
        """The window for the business the caller names ("交诉讼费在几号窗口"), else every window."""
        windows = self.data["windows"]
        named = [key for key, words in WINDOW_PURPOSE_WORDS.items() if any(w in text for w in words)]
        wanted = [w for w in windows if any(key in w["does"] or key in w["name"] for key in named)]
        listed = "；".join(f"{w['name']}：{w['does']}" for w in (wanted or windows))
        return f"诉讼服务中心窗口——{listed}。"

    def _payment(self, text: str) -> str:
        pay = self.data["payment"]
        return f"缴费方式：①网上：{pay['online']}②窗口：{pay['windows']}③转账：{pay['bank']}{pay['note']}"

    def _online(self, text: str) -> str:
        listed = "；".join(f"{o['name']}：{o['does']}" for o in self.data["online"])
        return f"线上渠道——{listed}。"

    def _parking(self, text: str) -> str:
        return f"停车：{self.data['parking']}"


def load_court_info(path: Path = COURT_FILE) -> CourtInfo:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = {"court", "address", "directions", "hours", "phones", "windows", "payment", "online",
               "parking"} - set(data)
    if missing:
        raise ValueError(f"{path} lacks {', '.join(sorted(missing))}")
    return CourtInfo(data)


@lru_cache
def court_info() -> CourtInfo:
    return load_court_info()
