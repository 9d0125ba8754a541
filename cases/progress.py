"""Turn a case's record, timeline and staff into the progress answer a verified party hears."""

from __future__ import annotations

from datetime import datetime

from cases.system import CaseRecord, Staff, TimelineEntry

_WEEKDAYS = "一二三四五六日"


def format_when(moment: datetime, with_time: bool = True) -> str:
    text = f"{moment.year}年{moment.month}月{moment.day}日（星期{_WEEKDAYS[moment.weekday()]}）"
    if with_time and (moment.hour or moment.minute):
        text += f"{moment.hour:02d}:{moment.minute:02d}"
    return text


def split_timeline(
    timeline: list[TimelineEntry], now: datetime
) -> tuple[TimelineEntry | None, TimelineEntry | None]:
    """The latest step that happened and the next one scheduled (timeline times are court-local)."""
    past = [e for e in timeline if e.occurs_at <= now]
    future = [e for e in timeline if e.occurs_at > now]
    latest = max(past, key=lambda e: e.occurs_at) if past else None
    upcoming = min(future, key=lambda e: e.occurs_at) if future else None
    return latest, upcoming


# How each case type refers to the case it is linked to (related_case_number).
_RELATED = {
    "执": "执行依据（原审案件）：{}",
    "执恢": "原执行案件：{}",
    "执异": "所涉执行案件：{}",
    "民特": "所涉诉前调解案件：{}",
    "民初": "由诉前调解案件{}转入",
}


def _kind(record: CaseRecord) -> str:
    if record.type_code == "民诉前调":
        return "诉前调解案件"
    if record.type_code.startswith("执"):
        return "执行案件" if record.type_code != "执异" else "执行异议案件"
    return ""


def describe_progress(
    record: CaseRecord, timeline: list[TimelineEntry], staff: Staff | None, now: datetime
) -> str:
    latest, upcoming = split_timeline(timeline, now)
    lines = [f"{record.case_number}（{_kind(record)}{record.cause}）当前状态：{record.status}。"]
    if record.related_case_number and record.type_code in _RELATED:
        lines.append(_RELATED[record.type_code].format(record.related_case_number) + "。")
    if latest:
        note = f"，{latest.note}" if latest.note else ""
        lines.append(f"最近进展：{format_when(latest.occurs_at, with_time=False)} {latest.step}{note}。")
    if upcoming:
        where = f"，地点：{upcoming.location}" if upcoming.location else ""
        lines.append(f"下一步安排：{format_when(upcoming.occurs_at)} {upcoming.step}{where}。请准时参加并携带身份证件。")
    elif record.type_code == "民诉前调" and record.status == "调解中":
        lines.append("调解正在进行中，调解员会与双方联系安排调解；调解成功可申请司法确认，调解不成将转为立案。")
    else:
        lines.append("目前暂无已排定的开庭或其他安排，有新进展时法院会依法通知您。")
    if staff:
        role = "执行法官" if record.type_code in ("执", "执恢") else "承办法官"
        lines.append(
            f"{role}：{staff.judge}，书记员：{staff.clerk}（{staff.department}），联系电话：{staff.office_phone}。"
        )
    return "\n".join(lines)
