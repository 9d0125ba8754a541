"""The knowledge kinds, their record fields, and per-record validation (messages in Chinese).

A record is the flat dict of import/export and of the API; `to_item_fields` maps it onto the
common columns (title, body, search text) and keeps the kind-specific rest in `fields`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

DISPUTE_TYPES: tuple[str, ...] = (
    "婚姻家庭", "劳动纠纷", "交通事故", "债权债务", "刑事辩护", "合同纠纷", "房产纠纷", "侵权", "公司法", "医疗纠纷",
    "拆迁安置", "行政诉讼", "建设工程", "知识产权", "综合咨询", "人身损害", "涉外法律", "海事海商", "消费权益", "抵押担保",
)
STATUSES = ("draft", "published", "unpublished")
KIND_NAMES = {"faq": "常见问题", "case": "案例摘要", "mediation_org": "调解组织", "checklist": "立案材料清单"}
KINDS = tuple(KIND_NAMES)
ID_PATTERN = re.compile(r"^[^\s/\\?#%\x00-\x1f]{1,64}$")  # anything URL-safe in a path segment
LIST_FIELDS = {"tags", "paraphrases", "dispute_types", "items"}


@dataclass(frozen=True)
class KindSpec:
    fields: tuple[str, ...]  # every field of a record besides id, tags, dispute_type
    required: tuple[str, ...]
    title: str  # field shown as the title


SPECS: dict[str, KindSpec] = {
    # An FAQ without an answer yet is still a question worth finding (real data sets have a few).
    "faq": KindSpec(("question", "paraphrases", "answer", "legal_basis"), ("question",), "question"),
    "case": KindSpec(
        ("title", "facts", "reasoning", "outcome", "court", "date", "source"), ("title", "facts", "outcome"), "title"
    ),
    "mediation_org": KindSpec(
        ("name", "dispute_types", "area", "contact", "hours", "description"), ("name", "contact"), "name"
    ),
    "checklist": KindSpec(("case_type", "items", "notes"), ("case_type", "items"), "case_type"),
}


class RowParseError:
    """A line of an import file that could not be read at all; reported against its row number."""

    def __init__(self, message: str) -> None:
        self.message = message


class RecordError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _blank(value: Any) -> bool:
    """None, empty text, or NaN (what a spreadsheet or pandas export writes for an empty cell)."""
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


WORD_LISTS = {"tags", "dispute_types"}  # short words: any separator; other lists hold sentences


def _as_list(value: Any, words: bool) -> list[str]:
    """Lists arrive as JSON lists, or as text: lines or | (CSV cells, form fields); word lists (tags)
    also split on ; ， 、 and spaces (LeCoQA keywords are space-separated)."""
    if _blank(value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[|;；,，、\s]+" if words else r"[|\n]+", value) if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if not _blank(v) and str(v).strip()]
    raise TypeError


def unknown_fields(kind: str, raw: Any) -> list[str]:
    """Fields a record carries that this kind does not have (ignored on import, reported)."""
    return sorted(set(raw) - {"id", "dispute_type", "tags", *SPECS[kind].fields}) if isinstance(raw, dict) else []


def clean_record(kind: str, raw: Any) -> dict[str, Any]:
    """A validated, normalised record, or RecordError with every problem found."""
    if kind not in SPECS:
        raise RecordError([f"未知的知识类型 {kind!r}（可选：{'、'.join(KINDS)}）"])
    if isinstance(raw, RowParseError):
        raise RecordError([raw.message])
    if not isinstance(raw, dict):
        raise RecordError(["每一行必须是一个 JSON 对象"])
    spec = SPECS[kind]
    problems: list[str] = []
    record: dict[str, Any] = {}
    raw_id = raw.get("id")
    item_id = "" if _blank(raw_id) or isinstance(raw_id, bool | dict | list) else str(raw_id).strip()
    if not item_id:
        problems.append("缺少 id")
    elif not ID_PATTERN.match(item_id):
        problems.append(f"id {item_id!r} 不能含空白或 / \\ ? # %，最长64个字符")
    record["id"] = item_id
    for name in (*spec.fields, "tags"):
        value = raw.get(name)
        if name in LIST_FIELDS:
            try:
                record[name] = _as_list(value, name in WORD_LISTS)
            except TypeError:
                problems.append(f"{name} 必须是字符串列表")
                record[name] = []
        else:
            record[name] = "" if _blank(value) else str(value).strip()
    for name in spec.required:
        if not record.get(name):
            problems.append(f"缺少 {name}")
    dispute = "" if _blank(raw.get("dispute_type")) else str(raw.get("dispute_type")).strip()
    if dispute and dispute not in DISPUTE_TYPES:
        problems.append(f"dispute_type {dispute!r} 不在20个纠纷类型之内")
    record["dispute_type"] = dispute or None
    for value in record.get("dispute_types", []):
        if value not in DISPUTE_TYPES:
            problems.append(f"dispute_types 中的 {value!r} 不在20个纠纷类型之内")
    if len(record.get(spec.title, "")) > 300:
        problems.append(f"{spec.title} 超过300个字符")
    if problems:
        raise RecordError(problems)
    return record


def title_of(kind: str, record: dict[str, Any]) -> str:
    return record[SPECS[kind].title]


def body_of(kind: str, record: dict[str, Any]) -> str:
    """The text shown as the item's content (and the snippet source)."""
    if kind == "faq":
        return record["answer"]
    if kind == "case":
        return "；".join(p for p in (record["facts"], record["reasoning"], record["outcome"]) if p)
    if kind == "mediation_org":
        return "；".join(p for p in (record["description"], "受理：" + "、".join(record["dispute_types"]), record["area"]) if p)
    return "；".join(record["items"]) + (f"（{record['notes']}）" if record["notes"] else "")


def search_text_of(kind: str, record: dict[str, Any]) -> str:
    """What the dense index embeds: the item's gist, short (encoders truncate long text)."""
    tags = " ".join(record["tags"])
    if kind == "faq":
        return "\n".join([record["question"], *record["paraphrases"], tags]).strip()
    if kind == "case":
        return f"{record['title']}\n{record['facts']}\n{record['outcome']}"
    if kind == "mediation_org":
        return f"{record['name']}\n{'、'.join(record['dispute_types'])}\n{record['description']}\n{record['area']}"
    return f"{record['case_type']}\n{tags}"


def lexical_text_of(kind: str, record: dict[str, Any]) -> str:
    """What BM25 indexes: the gist plus the body (an answer's words help keyword queries)."""
    return search_text_of(kind, record) + "\n" + body_of(kind, record)
