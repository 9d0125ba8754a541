"""Demo court seed: a believable docket for 焦作市马村区人民法院 in the embedded `cases` tables.

Every date is placed relative to `today`, so the demo always has hearings coming up, judgments
recently pronounced and execution money recently paid out. The same `today` and `rng_seed` give
the same docket. Some cases are fixed because examples and outside checks name them:
（2024）豫0804民初1566号 (张伟 v 李娜, hearing in 第三法庭 at today + 35 days, 09:30),
（2023）豫0804民初1234号 (张三 as plaintiff), （2025）豫0804民初2001号 (陈静 v 刘洋, 已立案, no hearing)
and （2025）豫0804执1001号 (王磊 against 赵刚, 执行中, enforcing a 2025 民初 judgment between them).

Case numbers follow 最高人民法院《关于人民法院案件案号的若干规定》: "（" + year received + "）" + court
code + type code + sequence number + "号" (Art. 3); sequence numbers run separately per court and
type code (Art. 9) and follow the order of receipt within the year (Art. 10).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.models import Case, CaseEvent, CaseParty

DEMO_COURT_NAME = "焦作市马村区人民法院"
DEMO_COURT_CODE = "豫0804"

CASE_TYPES = ("民初", "民特", "民诉前调", "执", "执恢", "执异", "行初", "刑初")

STEPS = (
    "立案", "分案", "送达", "排期", "开庭", "宣判", "调解结案", "撤诉结案", "归档",
    "执行立案", "财产查控", "执行款发放", "终结本次执行", "执行完毕",
    "调解成功", "调解不成转立案", "诉前调解立案", "司法确认",
)  # fmt: skip

STATUSES = (
    "已立案",
    "审理中",
    "已排期",
    "已宣判",
    "已结案",
    "执行中",
    "执行完毕",
    "终结本次执行",
    "调解中",
    "调解成功",
)

# Steps that close a case whose status is 已结案 (归档 may follow them).
CLOSING_STEPS = ("宣判", "调解结案", "撤诉结案", "司法确认", "调解不成转立案")

HEARING_SLOTS = (time(9, 0), time(9, 30), time(14, 30), time(15, 0))
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (5, 3), (5, 4), (5, 5), *((10, d) for d in range(1, 8))}

# The fixed cases must lie in the past (the latest step of the 2025 ones is on 2026-01-09).
EARLIEST_TODAY = date(2026, 1, 12)

REQUIRED_CASE_NUMBER = "（2024）豫0804民初1566号"
EXAMPLE_CASE_NUMBER = "（2023）豫0804民初1234号"
LEASE_CASE_NUMBER = "（2025）豫0804民初2001号"
EXECUTION_CASE_NUMBER = "（2025）豫0804执1001号"
# People of the fixed cases, with the phones on file: no generated party shares a name or a phone.
FIXED_PEOPLE = {
    "张伟": "13838915678", "李娜": "13903912468", "张三": "13512345678",
    "陈静": "13700001111", "刘洋": "13911112222", "王磊": "13688889999", "赵刚": "13577776666",
}  # fmt: skip

# Each judge works with the clerk at the same position (a 审判团队).
DEPARTMENTS: dict[str, dict] = {
    "立案庭": {
        "kind": "立案部门",
        "judges": ["刘晓东", "陈丽华"],
        "clerks": ["孙悦", "周婷"],
        "office_phone": "0391-3921301",
        "hearing_rooms": [],
    },
    "民事审判第一庭": {
        "kind": "审判业务部门",
        "judges": ["王建军", "郭志强", "杨慧"],
        "clerks": ["赵敏", "马晓静", "韩磊"],
        "office_phone": "0391-3921312",
        "hearing_rooms": ["第三法庭", "第一法庭"],
    },
    "民事审判第二庭": {
        "kind": "审判业务部门",
        "judges": ["李国庆", "何玉梅", "孙丽"],
        "clerks": ["宋佳", "程浩", "周强"],
        "office_phone": "0391-3921323",
        "hearing_rooms": ["第二法庭"],
    },
    "马村人民法庭": {
        "kind": "派出法庭",
        "judges": ["谢振华", "秦红霞"],
        "clerks": ["许文博", "冯雪"],
        "office_phone": "0391-3921335",
        "hearing_rooms": ["马村人民法庭审判庭"],
    },
    "执行局": {
        "kind": "执行部门",
        "judges": ["曹永刚", "罗建平", "邓丽", "吴涛"],
        "clerks": ["梁晨", "唐瑞", "蒋欣", "郑华"],
        "office_phone": "0391-3921346",
        "hearing_rooms": ["第二法庭"],
    },
    "行政审判庭": {
        "kind": "审判业务部门",
        "judges": ["袁志明", "彭静"],
        "clerks": ["贾宁", "董倩"],
        "office_phone": "0391-3921357",
        "hearing_rooms": ["第一法庭"],
    },
    "刑事审判庭": {
        "kind": "审判业务部门",
        "judges": ["吕宏伟", "曾淑芬"],
        "clerks": ["苏航", "魏琳"],
        "office_phone": "0391-3921360",
        "hearing_rooms": ["第一法庭", "第二法庭"],
    },
}

PROSECUTOR = "焦作市马村区人民检察院"

# Cases received per year and type, for realistic sequence numbers. 民初 is set so that
# 1566 falls on 2024-11-18, the fixed filing date of the required case.
_ANNUAL_VOLUME = {
    "民初": 1775, "民特": 180, "民诉前调": 1200, "执": 1350,
    "执恢": 110, "执异": 70, "行初": 90, "刑初": 230,
}  # fmt: skip

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_JIAOZUO_AREAS = (
    "410802",
    "410803",
    "410804",
    "410811",
    "410821",
    "410822",
    "410823",
    "410825",
    "410882",
    "410883",
)
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "155", "156", "157", "158", "159",
    "180", "181", "182", "185", "186", "187", "188", "189",
)  # fmt: skip

_SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "宋", "谢", "韩", "唐", "冯", "许", "邓", "彭", "田", "董",
    "袁", "潘", "杜", "程", "苏", "吕", "丁", "沈", "姚", "崔", "孟", "秦", "史", "贾", "段", "侯",
    "牛", "卫", "原", "靳", "翟", "苗", "申", "焦", "范", "薛", "任", "常", "武", "毋", "齐", "尚", "闫",
)  # fmt: skip
_MALE_SINGLE = "军强磊涛斌鹏辉刚勇杰明超峰波华平东海林亮龙飞宇浩鑫振凯"
_FEMALE_SINGLE = "丽静敏燕娟艳芳霞玲婷慧琳萍红梅洁雪倩晶秀英兰凤"
_MALE_FIRST = "建国志永振海宏晓俊子明文家天德金新立卫春"
_MALE_SECOND = "军华强刚平伟明东林峰涛辉杰斌勇鹏波超龙亮生成民"
_FEMALE_FIRST = "秀丽晓春玉淑桂美雪静海艳红凤梦欣雅佳思"
_FEMALE_SECOND = "英兰芳霞梅华琴云娟玲萍丽燕洁婷慧颖琳"
_BRANDS = (
    "恒达", "鑫源", "宏泰", "瑞丰", "金凯", "华信", "永盛", "博远", "天成", "润通", "晟鑫", "和顺",
    "嘉禾", "隆鑫", "中晟", "腾达", "万通", "德润", "祥和", "宝丰", "豫丰", "北山", "泰和", "昌盛",
)  # fmt: skip

# Fictional insurers (no real company is named as a litigant).
_INSURERS = ("中原安信财产保险股份有限公司焦作中心支公司", "豫北联合财产保险股份有限公司焦作中心支公司")

_Note = str | Callable[[], str] | None
_Step = tuple[str, int, int, _Note]  # step, minimum and maximum days after the previous step, note


def id_check_digit(first17: str) -> str:
    """Check character of a citizen ID number (GB 11643-1999): weighted sum mod 11."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def case_number(year: int, type_code: str, seq: int) -> str:
    """Canonical case number of the demo court, e.g. （2024）豫0804民初1566号."""
    return f"（{year}）{DEMO_COURT_CODE}{type_code}{seq}号"


def seed_demo_court(session: Session, today: date, *, rng_seed: int = 20261126) -> int:
    """Insert the demo court's cases unless `cases` already has rows; return how many were inserted.

    Flushes but does not commit: the caller owns the unit of work.
    """
    if today < EARLIEST_TODAY:
        raise ValueError(f"today must be on or after {EARLIEST_TODAY}: the fixed 2024 case lies in the past")
    if session.scalar(select(func.count()).select_from(Case)):
        return 0
    drafts = _DocketBuilder(today, random.Random(rng_seed)).build()
    for draft in sorted(drafts, key=lambda d: (d.filed_on, d.type_code, d.seq or 0)):
        session.add(draft.to_case())
    session.flush()
    return len(drafts)


@dataclass(frozen=True)
class _Person:
    name: str
    phone: str | None
    id_number: str | None
    representative: str | None = None  # an organisation's 法定代表人 / 负责人


@dataclass
class _Event:
    day: date
    step: str
    location: str | None = None
    note: _Note = None
    at: time | None = None  # booked hearing time; other steps get an office-hours time


@dataclass
class _Draft:
    type_code: str
    cause: str
    status: str
    procedure: str
    department: str
    judge: str
    clerk: str
    parties: list[tuple[str, _Person]]
    events: list[tuple[str, datetime, str | None, _Note]]
    related: _Draft | None = None
    seq: int | None = None
    year: int = field(init=False)

    def __post_init__(self) -> None:
        self.year = self.filed_on.year

    @property
    def filed_on(self) -> date:
        return self.events[0][1].date()

    @property
    def number(self) -> str:
        if self.seq is None:
            raise RuntimeError("sequence number not assigned yet")
        return case_number(self.year, self.type_code, self.seq)

    def day_of(self, step: str) -> date:
        """Day of the last event with this step."""
        return next(at.date() for name, at, _, _ in reversed(self.events) if name == step)

    def to_case(self) -> Case:
        return Case(
            case_number=self.number,
            type_code=self.type_code,
            cause=self.cause,
            status=self.status,
            procedure=self.procedure,
            filed_on=self.filed_on,
            department=self.department,
            judge=self.judge,
            clerk=self.clerk,
            office_phone=DEPARTMENTS[self.department]["office_phone"],
            related_case_number=self.related.number if self.related else None,
            parties=[
                CaseParty(
                    role=role, name=p.name, phone=p.phone, id_number=p.id_number, representative=p.representative
                )
                for role, p in self.parties
            ],
            events=[
                CaseEvent(step=step, occurs_at=at, location=location, note=note() if callable(note) else note)
                for step, at, location, note in self.events
            ],
        )


def _yuan(amount: int) -> str:
    return f"{amount:,}元"


def _cn_datetime(at: datetime) -> str:
    return f"{at.year}年{at.month}月{at.day}日{at:%H:%M}"


def _is_workday(day: date) -> bool:
    """Monday to Friday outside the fixed-date holidays (元旦, 劳动节, 国庆节); the lunar holidays and
    make-up working days change every year and are not modelled here."""
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def _workday_on_or_before(day: date) -> date:
    while not _is_workday(day):
        day -= timedelta(days=1)
    return day


def _workday_between(day: date, low: date, high: date) -> date:
    """The first working day from `day` on, or failing that the last one before it, within [low, high]."""
    for candidate in (day + timedelta(days=n) for n in range((high - day).days + 1)):
        if _is_workday(candidate):
            return candidate
    for candidate in (day - timedelta(days=n) for n in range(1, (day - low).days + 1)):
        if _is_workday(candidate):
            return candidate
    return day


def _trial_plan(status: str, outcome: str, second_hearing: bool) -> list[tuple[str, int, int]]:
    """Steps of a trial-type case (民初, 行初, 刑初, 执异) in `status`; 已排期 adds a future hearing."""
    filed = [("立案", 0, 0), ("分案", 0, 2), ("送达", 3, 12)]
    if status == "已立案":
        return filed
    if status == "已结案" and outcome == "撤诉":
        return [*filed, ("撤诉结案", 5, 30), ("归档", 15, 45)]
    if status == "已结案" and outcome == "庭前调解":
        return [*filed, ("调解结案", 5, 20), ("归档", 15, 45)]
    scheduled = [*filed, ("排期", 1, 6)]
    if status == "已排期":
        return [*scheduled, ("开庭", 10, 30), ("排期", 3, 10)] if second_hearing else scheduled
    heard = [*scheduled, ("开庭", 10, 35)]
    if status == "审理中":
        return heard
    if status == "已宣判":
        return [*heard, ("宣判", 5, 30)]
    if outcome == "调解":
        return [*heard, ("调解结案", 0, 7), ("归档", 15, 45)]
    return [*heard, ("宣判", 5, 30), ("归档", 15, 60)]


_VERDICTS = {
    "民间借贷纠纷": "判决被告于判决生效之日起十日内偿还原告借款本金{amount}及利息",
    "买卖合同纠纷": "判决被告于判决生效之日起十日内支付原告货款{amount}及逾期付款损失",
    "机动车交通事故责任纠纷": "判决被告赔偿原告医疗费、误工费等各项损失共计{amount}",
    "劳动争议": "判决被告支付原告违法解除劳动合同赔偿金{amount}",
    "追索劳动报酬纠纷": "判决被告于判决生效之日起十日内支付原告劳动报酬{amount}",
    "房屋租赁合同纠纷": "判决解除双方租赁合同，被告支付原告租金{amount}",
    "物业服务合同纠纷": "判决被告支付原告物业服务费{amount}",
    "健康权纠纷": "判决被告赔偿原告医疗费、护理费等损失{amount}",
    "离婚纠纷": "判决准予原告与被告离婚，婚生子女由原告抚养",
    "赡养纠纷": "判决二被告自本月起每月各给付原告赡养费500元",
    "相邻关系纠纷": "判决被告于十日内拆除堵塞排水通道的围墙，恢复原状",
}

_MEDIATIONS = {
    "离婚纠纷": "经调解，双方自愿离婚，婚生子女由原告抚养，被告每月支付抚养费1,000元",
    "赡养纠纷": "经调解，二被告每月各给付原告赡养费400元，轮流照料原告生活",
    "相邻关系纠纷": "经调解，被告于十五日内疏通排水通道，双方互谅互让",
}

_AMOUNTS = {
    "民间借贷纠纷": (20, 300),
    "买卖合同纠纷": (50, 500),
    "机动车交通事故责任纠纷": (30, 200),
    "劳动争议": (10, 80),
    "追索劳动报酬纠纷": (8, 60),
    "房屋租赁合同纠纷": (10, 60),
    "健康权纠纷": (5, 50),
    "物业服务合同纠纷": (2, 9),
}


class _DocketBuilder:
    def __init__(self, today: date, rng: random.Random) -> None:
        self.today = today
        self.yesterday = today - timedelta(days=1)
        self.rng = rng
        self.drafts: list[_Draft] = []
        staff = {name for dept in DEPARTMENTS.values() for name in dept["judges"] + dept["clerks"]}
        self._names: set[str] = set(FIXED_PEOPLE) | staff
        self._phones: set[str] = set(FIXED_PEOPLE.values())
        self._ids: set[str] = set()
        self._brands: set[str] = set()
        self._agencies: dict[str, tuple[_Person, str]] = {}
        self._booked: set[tuple[str, datetime]] = set()  # (room or judge, hearing time)

    # ---------------------------------------------------------------- people
    def _name(self, gender: str, surname: str | None = None) -> str:
        male = gender == "男"
        for _ in range(10_000):
            family = surname or self.rng.choice(_SURNAMES)
            if self.rng.random() < 0.3:
                given = self.rng.choice(_MALE_SINGLE if male else _FEMALE_SINGLE)
            else:
                first, second = (_MALE_FIRST, _MALE_SECOND) if male else (_FEMALE_FIRST, _FEMALE_SECOND)
                given = self.rng.choice(first) + self.rng.choice(second)
                if given[0] == given[1]:
                    continue
            name = family + given
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("ran out of names")

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def _id_number(self, gender: str, age: int) -> str:
        while True:
            born = date(self.today.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
            last = self.rng.choice("13579" if gender == "男" else "02468")
            first17 = f"{self.rng.choice(_JIAOZUO_AREAS)}{born:%Y%m%d}{self.rng.randint(0, 99):02d}{last}"
            number = first17 + id_check_digit(first17)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def _person(
        self,
        *,
        gender: str | None = None,
        age: tuple[int, int] = (25, 65),
        surname: str | None = None,
        name: str | None = None,
        phone: str | None = None,
        reachable: bool = True,
    ) -> _Person:
        gender = gender or self.rng.choice("男女")
        name = name or self._name(gender, surname)
        phone = phone or (self._phone() if reachable else None)
        return _Person(name, phone, self._id_number(gender, self.rng.randint(*age)))

    def _company(self, kind: str) -> _Person:
        """A company; its phone is its legal representative's mobile."""
        brand = self.rng.choice([b for b in _BRANDS if b not in self._brands])
        self._brands.add(brand)
        place = self.rng.choice(("焦作市", "焦作市", "焦作市马村区", "河南"))
        representative = self._person(age=(32, 60))
        return _Person(f"{place}{brand}{kind}", representative.phone, None, representative.name)

    def _agency(self, name: str) -> tuple[_Person, str]:
        """An organisation sued by name (a government body, an insurer) and the official who answers
        for it; its phone is that official's mobile. The same organisation keeps the same official."""
        if name not in self._agencies:
            official = self._person(age=(38, 56))
            self._agencies[name] = (_Person(name, official.phone, None, official.name), official.name)
        return self._agencies[name]

    # ------------------------------------------------------------- calendar
    def _ago(self, low: int, high: int) -> date:
        return _workday_on_or_before(self.today - timedelta(days=self.rng.randint(low, high)))

    def _office_time(self) -> time:
        minutes = (
            self.rng.randint(8 * 60 + 30, 11 * 60 + 30)
            if self.rng.random() < 0.55
            else self.rng.randint(14 * 60 + 30, 17 * 60 + 20)
        )
        return time(minutes // 60, minutes % 60)

    def _days(self, first: date, gaps: Sequence[tuple[int, int]], last: date | None) -> list[date]:
        """Working days from `first`, spaced by the sampled gaps. With `last`, the final step falls on it
        (squeezing the others when they would not fit); without, everything ends before today."""
        offsets = [0]
        for low, high in gaps:
            offsets.append(offsets[-1] + self.rng.randint(low, high))
        high = min(last or self.yesterday, self.yesterday)
        span = max((high - first).days, 0)
        if last is not None and len(offsets) > 1 and offsets[-2] < span:
            offsets[-1] = span  # the earlier steps keep their pace; the last one waits until `last`
        elif offsets[-1] > span:
            offsets = [offset * span // offsets[-1] for offset in offsets]
        days = [first]
        for offset in offsets[1:]:
            day = min(max(first + timedelta(days=offset), days[-1]), high)
            days.append(_workday_between(day, days[-1], high))
        return days

    def _steps(
        self, first: date, plan: Sequence[_Step], last: date | None = None, room: str | None = None
    ) -> list[_Event]:
        days = self._days(first, [(low, high) for _, low, high, _ in plan[1:]], last)
        return [
            _Event(day, step, room if step == "开庭" else None, note)
            for day, (step, _, _, note) in zip(days, plan, strict=True)
        ]

    def _free(self, at: datetime, room: str, judge: str) -> bool:
        return (room, at) not in self._booked and (judge, at) not in self._booked

    def _book(self, at: datetime, room: str, judge: str) -> datetime:
        self._booked.update({(room, at), (judge, at)})
        return at

    def _future_hearing(self, room: str, judge: str, low: int = 5, high: int = 60) -> datetime:
        while True:
            day = self.today + timedelta(days=self.rng.randint(low, high))
            at = datetime.combine(day, self.rng.choice(HEARING_SLOTS))
            if _is_workday(day) and self._free(at, room, judge):
                return self._book(at, room, judge)

    def _past_hearing(self, day: date, room: str, judge: str) -> datetime:
        slots = list(HEARING_SLOTS)
        self.rng.shuffle(slots)
        for slot in slots:
            at = datetime.combine(day, slot)
            if self._free(at, room, judge):
                return self._book(at, room, judge)
        return datetime.combine(day, slots[0])

    # ---------------------------------------------------------------- cases
    def _team(self, department: str, index: int | None = None) -> tuple[str, str]:
        dept = DEPARTMENTS[department]
        index = self.rng.randrange(len(dept["judges"])) if index is None else index
        return dept["judges"][index], dept["clerks"][index]

    def _add(
        self,
        type_code: str,
        cause: str,
        department: str,
        status: str,
        procedure: str,
        parties: list[tuple[str, _Person]],
        events: list[_Event],
        team: tuple[str, str],
        *,
        related: _Draft | None = None,
        seq: int | None = None,
    ) -> _Draft:
        judge, clerk = team
        stamped: list[tuple[str, datetime, str | None, _Note]] = []
        for event in events:
            if event.at is not None:
                at = datetime.combine(event.day, event.at)
            elif event.step == "开庭" and event.location:
                at = self._past_hearing(event.day, event.location, judge)
            else:
                at = datetime.combine(event.day, self._office_time())
            if stamped and at <= stamped[-1][1]:
                at = stamped[-1][1] + timedelta(minutes=self.rng.randint(10, 30))
            stamped.append((event.step, at, event.location, event.note))
        draft = _Draft(
            type_code, cause, status, procedure, department, judge, clerk, parties, stamped, related, seq
        )
        self.drafts.append(draft)
        return draft

    def _window(self, status: str, first: date | None) -> tuple[date, date | None]:
        """Filing day and (for statuses whose last step must be recent) the day of the last past step."""
        ranges = {
            "已立案": ((30, 50), None),
            "已排期": ((30, 110), (1, 21)),
            "审理中": ((50, 150), (3, 30)),
            "已宣判": ((80, 200), (2, 14)),
            "已结案": ((180, 700), None),
        }
        filed_range, last_range = ranges[status]
        first = _workday_on_or_before(first) if first else self._ago(*filed_range)
        if last_range is None:
            return first, None
        return first, max(self._ago(*last_range), first)

    def _trial(
        self,
        type_code: str,
        cause: str,
        department: str,
        status: str,
        parties: list[tuple[str, _Person]],
        *,
        procedure: str,
        outcome: str = "判决",
        notes: dict[str, _Note] | None = None,
        filed: date | None = None,
        related: _Draft | None = None,
        second_hearing: bool = False,
        team: int | None = None,
    ) -> _Draft:
        """A case that is heard and decided: 民初, 行初, 刑初, 执异."""
        notes = dict(notes or {})
        judge, clerk = self._team(department, team)
        room = self.rng.choice(DEPARTMENTS[department]["hearing_rooms"])
        first, last = self._window(status, filed)
        plan = _trial_plan(status, outcome, second_hearing)
        if procedure == "速裁程序":  # 速裁 cases are decided at the hearing (当庭宣判)
            plan = [(step, 0, 0) if step == "宣判" else (step, low, high) for step, low, high in plan]
        steps: list[_Step] = [(step, low, high, notes.get(step)) for step, low, high in plan]
        future = None
        if status == "已排期":
            future = self._future_hearing(room, judge)
            step, low, high, _ = steps[-1]
            steps[-1] = (step, low, high, f"定于{_cn_datetime(future)}在{room}开庭")
            if second_hearing:
                steps[-1] = (step, low, high, f"{steps[-1][3]}（第二次开庭）")
        events = self._steps(first, steps, last, room)
        if future is not None:
            events.append(_Event(future.date(), "开庭", room, notes.get("开庭"), future.time()))
        return self._add(
            type_code, cause, department, status, procedure, parties, events, (judge, clerk), related=related
        )

    # ------------------------------------------------------------ 民初
    def _amount(self, cause: str) -> int | None:
        if cause not in _AMOUNTS:
            return None
        low, high = _AMOUNTS[cause]
        step = 100 if high < 20 else 1000
        return self.rng.randint(low * 1000 // step, high * 1000 // step) * step

    def _civil_parties(self, cause: str) -> list[tuple[str, _Person]]:
        person = self._person
        if cause == "买卖合同纠纷":
            seller = self._company(self.rng.choice(("商贸有限公司", "建材有限公司", "机械制造有限公司")))
            buyer = self._company("建筑工程有限公司") if self.rng.random() < 0.5 else person()
            return [("原告", seller), ("被告", buyer)]
        if cause == "离婚纠纷":
            wife, husband = person(gender="女", age=(24, 45)), person(gender="男", age=(26, 48))
            return (
                [("原告", wife), ("被告", husband)]
                if self.rng.random() < 0.7
                else [("原告", husband), ("被告", wife)]
            )
        if cause == "机动车交通事故责任纠纷":
            insurer, _ = self._agency(self.rng.choice(_INSURERS))
            return [("原告", person()), ("被告", person(gender="男")), ("被告", insurer)]
        if cause == "物业服务合同纠纷":
            return [("原告", self._company("物业服务有限公司")), ("被告", person())]
        if cause == "劳动争议":
            return [
                ("原告", person(age=(22, 55))),
                ("被告", self._company(self.rng.choice(("食品有限公司", "机械制造有限公司")))),
            ]
        if cause == "追索劳动报酬纠纷":
            parties = [
                ("原告", person(gender="男", age=(30, 58))),
                ("被告", self._company("建筑劳务有限公司")),
            ]
            if self.rng.random() < 0.6:
                parties.append(("第三人", self._company("房地产开发有限公司")))
            return parties
        if cause == "赡养纠纷":
            parent = person(age=(70, 86))
            family = parent.name[0]
            return [
                ("原告", parent),
                ("被告", person(age=(40, 58), surname=family)),
                ("被告", person(age=(38, 55), surname=family)),
            ]
        if cause == "房屋租赁合同纠纷":
            parties = [("原告", person(age=(35, 65))), ("被告", person())]
            if self.rng.random() < 0.5:
                parties.append(("第三人", person()))
            return parties
        if cause == "民间借贷纠纷" and self.rng.random() < 0.3:
            borrower = person(gender="男")
            return [
                ("原告", person()),
                ("被告", borrower),
                ("被告", person(gender="女")),
            ]  # borrower and spouse
        return [("原告", person()), ("被告", person())]

    def _civil_notes(self, cause: str, procedure: str, amount: int | None) -> dict[str, _Note]:
        hearing = "依法不公开开庭审理" if cause == "离婚纠纷" else f"适用{procedure}公开开庭审理"
        notes: dict[str, _Note] = {
            "送达": self.rng.choice(
                ("电子送达起诉状副本、应诉通知书、举证通知书", "邮寄送达起诉状副本、应诉通知书、举证通知书")
            ),
            "开庭": hearing,
            "宣判": _VERDICTS.get(cause, "判决支持原告部分诉讼请求").format(amount=_yuan(amount or 0)),
            "调解结案": _MEDIATIONS.get(cause)
            or f"经调解，双方自愿达成协议：被告分期支付原告{_yuan((amount or 0) * 8 // 1000 * 100)}",
            "撤诉结案": "原告以双方已自行和解为由申请撤诉，裁定准许",
            "归档": "结案归档",
        }
        if amount:
            notes["立案"] = f"诉讼请求金额{_yuan(amount)}"
        return notes

    def _civil(
        self,
        cause: str,
        department: str,
        status: str,
        outcome: str = "判决",
        *,
        parties: list[tuple[str, _Person]] | None = None,
        filed: date | None = None,
        related: _Draft | None = None,
        extra_notes: dict[str, _Note] | None = None,
        second_hearing: bool = False,
    ) -> _Draft:
        amount = self._amount(cause)
        if cause == "物业服务合同纠纷":
            procedure = "小额诉讼程序"
        elif cause in ("买卖合同纠纷", "机动车交通事故责任纠纷") and amount and amount > 200_000:
            procedure = "普通程序"
        else:
            procedure = self.rng.choice(("简易程序", "简易程序", "普通程序"))
        notes = self._civil_notes(cause, procedure, amount) | (extra_notes or {})
        return self._trial(
            "民初",
            cause,
            department,
            status,
            parties or self._civil_parties(cause),
            procedure=procedure,
            outcome=outcome,
            notes=notes,
            filed=filed,
            related=related,
            second_hearing=second_hearing,
        )

    def _required_case(self) -> _Draft:
        """（2024）豫0804民初1566号: fixed parties, staff and a hearing at today + 35 days, 09:30, 第三法庭."""
        judge, clerk = "王建军", "赵敏"
        room = "第三法庭"
        hearing = self._book(datetime.combine(self.today + timedelta(days=35), time(9, 30)), room, judge)
        filed = date(2024, 11, 18)
        served = date(2024, 11, 27)
        scheduled = _workday_between(
            max(self.today - timedelta(days=self.rng.randint(7, 14)), served + timedelta(days=1)),
            served + timedelta(days=1),
            self.yesterday,
        )
        events = [
            _Event(filed, "立案", note="诉讼请求金额80,000元"),
            _Event(date(2024, 11, 19), "分案"),
            _Event(served, "送达", note="邮寄送达起诉状副本、应诉通知书、举证通知书"),
            _Event(scheduled, "排期", note=f"定于{_cn_datetime(hearing)}在{room}开庭"),
            _Event(hearing.date(), "开庭", room, "适用普通程序公开开庭审理", hearing.time()),
        ]
        parties = [
            ("原告", self._person(name="张伟", gender="男", phone="13838915678", age=(38, 45))),
            ("被告", self._person(name="李娜", gender="女", phone="13903912468", age=(32, 40))),
        ]
        return self._add(
            "民初",
            "民间借贷纠纷",
            "民事审判第一庭",
            "已排期",
            "普通程序",
            parties,
            events,
            (judge, clerk),
            seq=1566,
        )

    def _example_case(self) -> _Draft:
        """（2023）豫0804民初1234号: 张三's loan case, decided and archived in 2023/2024."""
        amount = 60_000
        notes = self._civil_notes("民间借贷纠纷", "简易程序", amount)
        plan = _trial_plan("已结案", "判决", False)
        steps: list[_Step] = [(step, low, high, notes.get(step)) for step, low, high in plan]
        room = "第一法庭"
        events = self._steps(date(2023, 9, 6), steps, room=room)
        parties = [
            ("原告", self._person(name="张三", gender="男", phone="13512345678", age=(45, 55))),
            ("被告", self._person(gender="男")),
        ]
        return self._add(
            "民初",
            "民间借贷纠纷",
            "民事审判第一庭",
            "已结案",
            "简易程序",
            parties,
            events,
            self._team("民事审判第一庭", 1),
            seq=1234,
        )

    def _fixed_person(self, name: str, gender: str, age: tuple[int, int]) -> _Person:
        return self._person(name=name, gender=gender, phone=FIXED_PEOPLE[name], age=age)

    def _lease_case(self) -> None:
        """（2025）豫0804民初2001号: 陈静 v 刘洋 over a lease, filed and served, no hearing set yet."""
        events = [
            _Event(date(2025, 12, 29), "立案", note="诉讼请求金额36,000元"),
            _Event(date(2025, 12, 30), "分案"),
            _Event(date(2026, 1, 9), "送达", note="电子送达起诉状副本、应诉通知书、举证通知书"),
        ]
        parties = [
            ("原告", self._fixed_person("陈静", "女", (35, 50))),
            ("被告", self._fixed_person("刘洋", "男", (28, 45))),
        ]
        team = ("孙丽", "周强")
        self._add("民初", "房屋租赁合同纠纷", "民事审判第二庭", "已立案", "简易程序", parties, events, team, seq=2001)

    def _fixed_execution(self) -> None:
        """（2025）豫0804执1001号: 王磊 enforces his 2025 loan judgment against 赵刚; partly paid."""
        lender, borrower = self._fixed_person("王磊", "男", (35, 55)), self._fixed_person("赵刚", "男", (30, 50))
        judgment = self._add(
            "民初",
            "民间借贷纠纷",
            "民事审判第一庭",
            "已结案",
            "简易程序",
            [("原告", lender), ("被告", borrower)],
            [
                _Event(date(2025, 3, 10), "立案", note="诉讼请求金额50,000元"),
                _Event(date(2025, 3, 11), "分案"),
                _Event(date(2025, 3, 20), "送达", note="邮寄送达起诉状副本、应诉通知书、举证通知书"),
                _Event(date(2025, 4, 1), "排期", note="定于2025年4月22日09:00在第一法庭开庭"),
                _Event(date(2025, 4, 22), "开庭", "第一法庭", "适用简易程序公开开庭审理", time(9, 0)),
                _Event(date(2025, 5, 20), "宣判", note="判决被告偿还原告借款本金50,000元及利息"),
                _Event(date(2025, 6, 30), "归档", note="结案归档"),
            ],
            self._team("民事审判第一庭", 1),
        )
        events = [
            _Event(
                date(2025, 9, 26), "执行立案", note=lambda: f"执行依据：{judgment.number}民事判决书；申请执行标的50,000元"
            ),
            _Event(date(2025, 9, 29), "分案"),
            _Event(date(2025, 10, 9), "送达", note="送达执行通知书、报告财产令"),
            _Event(date(2025, 10, 20), "财产查控", note="冻结被执行人银行存款20,000元"),
            _Event(date(2025, 11, 18), "执行款发放", note="发放执行款20,000元"),
        ]
        self._add(
            "执",
            "民间借贷纠纷",
            "执行局",
            "执行中",
            "首次执行",
            [("申请执行人", lender), ("被执行人", borrower)],
            events,
            ("吴涛", "郑华"),
            related=judgment,
            seq=1001,
        )

    def _civil_docket(self) -> dict[str, _Draft]:
        """The other 民初 cases; returns the ones other cases refer to."""
        civil = self._civil
        one, two, tribunal = "民事审判第一庭", "民事审判第二庭", "马村人民法庭"
        kept = {
            "sale": civil("买卖合同纠纷", two, "已结案", filed=self._ago(560, 640)),
            "traffic": civil("机动车交通事故责任纠纷", one, "已结案", filed=self._ago(300, 420)),
        }
        civil("劳动争议", one, "已结案")
        civil("离婚纠纷", tribunal, "已结案", "调解")
        civil("物业服务合同纠纷", two, "已结案", "撤诉")
        civil("健康权纠纷", one, "已结案", "庭前调解")
        civil("房屋租赁合同纠纷", two, "已结案", "撤诉")
        civil("赡养纠纷", tribunal, "已结案", "调解")
        civil("民间借贷纠纷", tribunal, "已宣判")
        civil("追索劳动报酬纠纷", one, "已宣判")
        for cause, department in (
            ("离婚纠纷", tribunal),
            ("赡养纠纷", tribunal),
            ("相邻关系纠纷", tribunal),
            ("机动车交通事故责任纠纷", one),
            ("物业服务合同纠纷", two),
            ("买卖合同纠纷", two),
            ("劳动争议", one),
            ("房屋租赁合同纠纷", two),
        ):
            civil(cause, department, "已排期")
        civil("民间借贷纠纷", one, "已排期", second_hearing=True)
        civil("追索劳动报酬纠纷", one, "审理中")
        civil("健康权纠纷", tribunal, "审理中")
        civil("民间借贷纠纷", one, "审理中")
        civil("离婚纠纷", tribunal, "已立案")
        civil("民间借贷纠纷", one, "已立案")
        return kept

    # ------------------------------------------------------- 民诉前调, 民特
    def _mediation(self, cause: str, status: str, filed: date) -> _Draft:
        parties = self._civil_parties(cause)
        applicants = [
            ("申请人" if role == "原告" else "被申请人", p) for role, p in parties if role in ("原告", "被告")
        ]
        mediator = self._name(self.rng.choice("男女"))
        plan: list[_Step] = [
            ("诉前调解立案", 0, 0, "当事人同意诉前调解，委派特邀调解员调解"),
            ("分案", 0, 2, f"特邀调解员{mediator}"),
        ]
        amount = self._amount(cause) or 5_000
        if status == "调解成功":
            plan.append(("调解成功", 7, 20, f"双方达成调解协议：被申请人分期支付申请人{_yuan(amount)}"))
        events = self._steps(_workday_on_or_before(filed), plan)
        return self._add(
            "民诉前调", cause, "立案庭", status, "诉前调解", applicants, events, self._team("立案庭")
        )

    def _mediation_docket(self) -> None:
        self._mediation("物业服务合同纠纷", "调解中", self._ago(30, 45))
        self._mediation("民间借贷纠纷", "调解中", self._ago(30, 45))
        agreed = self._mediation("买卖合同纠纷", "调解成功", self._ago(100, 200))
        self._mediation("房屋租赁合同纠纷", "调解成功", self._ago(30, 60))
        for cause, department, status in (
            ("买卖合同纠纷", "民事审判第二庭", "审理中"),
            ("物业服务合同纠纷", "民事审判第二庭", "已排期"),
        ):
            self._failed_mediation(cause, department, status)
        self._confirmation(agreed)
        self._special_docket()

    def _failed_mediation(self, cause: str, department: str, status: str) -> None:
        """A 民诉前调 case that failed and became a 民初 case the same or the next working day."""
        first = self._ago(120, 170) if status == "审理中" else self._ago(70, 110)
        mediation = self._mediation(cause, "已结案", first)
        handover = _workday_between(
            mediation.day_of("分案") + timedelta(days=self.rng.randint(20, 30)), first, self.yesterday
        )
        handover_time = datetime.combine(handover, self._office_time())
        if handover_time <= mediation.events[-1][1]:
            handover_time = mediation.events[-1][1] + timedelta(minutes=15)
        parties = [("原告" if role == "申请人" else "被告", p) for role, p in mediation.parties]
        trial = self._civil(
            cause,
            department,
            status,
            parties=parties,
            filed=handover + timedelta(days=1),
            related=mediation,
            extra_notes={"立案": lambda: f"由{mediation.number}诉前调解不成转入"},
        )
        mediation.events.append(
            ("调解不成转立案", handover_time, None, lambda: f"调解不成，转立案登记为{trial.number}")
        )

    def _confirmation(self, agreed: _Draft) -> None:
        """民特 confirming the agreement reached in a 民诉前调 case (司法确认)."""
        first = _workday_between(
            agreed.day_of("调解成功") + timedelta(days=self.rng.randint(0, 3)),
            agreed.filed_on,
            self.yesterday,
        )
        plan: list[_Step] = [
            ("立案", 0, 0, lambda: f"双方共同申请确认{agreed.number}诉前调解达成的调解协议"),
            ("分案", 0, 1, None),
            ("司法确认", 3, 15, "裁定确认调解协议有效"),
            ("归档", 10, 30, "结案归档"),
        ]
        parties = [("申请人", p) for _, p in agreed.parties]
        self._add(
            "民特",
            "确认调解协议纠纷",
            "立案庭",
            "已结案",
            "特别程序",
            parties,
            self._steps(first, plan),
            self._team("立案庭"),
            related=agreed,
        )

    def _special_docket(self) -> None:
        # An agreement reached before a people's mediation committee, confirmed by the court.
        plan: list[_Step] = [
            ("立案", 0, 0, "申请确认经人民调解委员会主持达成的调解协议"),
            ("分案", 0, 1, None),
            ("司法确认", 3, 15, "裁定确认调解协议有效"),
            ("归档", 10, 30, "结案归档"),
        ]
        parties = [("申请人", self._person()), ("申请人", self._person())]
        self._add(
            "民特",
            "确认调解协议纠纷",
            "立案庭",
            "已结案",
            "特别程序",
            parties,
            self._steps(self._ago(150, 400), plan),
            self._team("立案庭"),
        )
        plan = [("立案", 0, 0, "申请确认调解协议"), ("分案", 0, 2, None)]
        parties = [("申请人", self._person()), ("申请人", self._person())]
        self._add(
            "民特",
            "确认调解协议纠纷",
            "立案庭",
            "已立案",
            "特别程序",
            parties,
            self._steps(self._ago(30, 40), plan),
            self._team("立案庭"),
        )

        # Declarations of disappearance: a three-month public notice, then the judgment.
        for status in ("已结案", "已宣判"):
            spouse = self._person(gender="女", age=(35, 60))
            missing = self._person(gender="男", age=(38, 65), reachable=False)
            plan = [
                ("立案", 0, 0, None),
                ("分案", 0, 2, None),
                ("送达", 3, 10, "发出寻找下落不明人公告，公告期间三个月"),
                ("宣判", 95, 110, f"判决宣告{missing.name}为失踪人，指定申请人{spouse.name}为其财产代管人"),
            ]
            if status == "已结案":
                plan.append(("归档", 15, 40, "结案归档"))
                events = self._steps(self._ago(200, 500), plan)
            else:
                events = self._steps(self._ago(125, 170), plan, self._ago(2, 14))
            self._add(
                "民特",
                "申请宣告公民失踪",
                "民事审判第二庭",
                status,
                "特别程序",
                [("申请人", spouse), ("被申请人", missing)],
                events,
                self._team("民事审判第二庭"),
            )

        child = self._person(age=(35, 55))
        parent = self._person(age=(72, 88), surname=child.name[0], reachable=False)
        plan = [
            ("立案", 0, 0, None),
            ("分案", 0, 2, None),
            ("送达", 3, 10, "委托司法鉴定机构进行民事行为能力鉴定"),
            ("宣判", 20, 45, f"判决认定{parent.name}为无民事行为能力人，指定{child.name}为其监护人"),
            ("归档", 15, 40, "结案归档"),
        ]
        self._add(
            "民特",
            "申请认定公民无民事行为能力",
            "马村人民法庭",
            "已结案",
            "特别程序",
            [("申请人", child), ("被申请人", parent)],
            self._steps(self._ago(180, 450), plan),
            self._team("马村人民法庭"),
        )

    # ------------------------------------------------------------ 执, 执恢, 执异
    def _payouts(self, total: int, parts: int) -> list[int]:
        cuts = sorted(self.rng.sample(range(1, 20), parts - 1))
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, 20], strict=True)]
        paid = [total * share // 2000 * 100 for share in shares]
        paid[-1] = total - sum(paid[:-1])
        return paid

    def _execution(
        self,
        status: str,
        parties: list[tuple[str, _Person]],
        cause: str,
        *,
        filed: date,
        amount: int,
        basis: _Draft | None = None,
        type_code: str = "执",
        recent: bool = False,
    ) -> _Draft:
        """执 or 执恢: ends 执行中 (partly paid or not yet), 执行完毕 or 终结本次执行."""
        if basis is not None and type_code == "执":
            opening: _Note = lambda: f"执行依据：{basis.number}民事判决书；申请执行标的{_yuan(amount)}"  # noqa: E731
        elif type_code == "执恢":
            opening = "申请执行人提供被执行人新的财产线索，恢复执行"
        else:
            opening = f"执行依据：已生效法律文书；申请执行标的{_yuan(amount)}"
        plan: list[_Step] = [("执行立案", 0, 0, opening), ("分案", 0, 2, None)]
        if type_code == "执":
            plan.append(("送达", 2, 7, "送达执行通知书、报告财产令"))
        if status == "终结本次执行":
            plan += [
                ("财产查控", 3, 15, "网络查控未发现被执行人名下可供执行的财产"),
                ("终结本次执行", 60, 100, "经网络查控及现场调查未发现可供执行财产，裁定终结本次执行程序"),
            ]
        else:
            seized = self.rng.choice(
                (
                    f"冻结被执行人银行存款{_yuan(amount)}",
                    f"扣划被执行人银行存款{_yuan(amount)}",
                    "查封被执行人名下房产一处",
                    "查封被执行人名下车辆一辆",
                )
            )
            plan.append(("财产查控", 3, 15, seized))
            payouts = self._payouts(amount, 2)
            if status == "执行中":
                payouts = payouts[:1] if self.rng.random() < 0.8 else []
            plan += [("执行款发放", 10, 40, f"发放执行款{_yuan(paid)}") for paid in payouts]
            if status == "执行完毕":
                plan.append(("执行完毕", 3, 10, "申请执行人债权已全部实现，执行完毕"))
        last = self._ago(3, 20) if recent else None
        events = self._steps(_workday_on_or_before(filed), plan, last)
        return self._add(
            type_code,
            cause,
            "执行局",
            status,
            "首次执行" if type_code == "执" else "恢复执行",
            parties,
            events,
            self._team("执行局"),
            related=basis,
        )

    @staticmethod
    def _enforcement_parties(judgment: _Draft) -> list[tuple[str, _Person]]:
        roles = {"原告": "申请执行人", "被告": "被执行人"}
        return [(roles[role], p) for role, p in judgment.parties if role in roles]

    def _objection(self, execution: _Draft, status: str) -> _Draft:
        """执异: a stranger to the case claims the seized property (案外人执行异议)."""
        objector = self._person()
        sides = [(role, p) for role, p in execution.parties]
        verdict = self.rng.choice(("裁定驳回异议人的异议请求", "裁定中止对该财产的执行"))
        notes: dict[str, _Note] = {
            "立案": lambda: f"案外人对{execution.number}案中查封的财产提出书面异议",
            "送达": "向申请执行人、被执行人送达异议书副本",
            "开庭": "公开听证",
            "宣判": verdict,
            "归档": "结案归档",
        }
        filed = _workday_between(
            execution.day_of("财产查控") + timedelta(days=self.rng.randint(10, 30)),
            execution.filed_on,
            self.today - timedelta(days=30),
        )
        filed = min(filed, self.today - timedelta(days=30))
        return self._trial(
            "执异",
            "案外人执行异议",
            "执行局",
            status,
            [("异议人", objector), *sides],
            procedure="执行审查",
            notes=notes,
            filed=filed,
            related=execution,
        )

    def _execution_docket(self, example: _Draft, kept: dict[str, _Draft]) -> None:
        person, company = self._person, self._company
        # From the example judgment: 张三 recovers his loan in full.
        filed = max(
            example.day_of("宣判") + timedelta(days=45),
            self.today - timedelta(days=self.rng.randint(480, 640)),
        )
        self._execution(
            "执行完毕",
            self._enforcement_parties(example),
            example.cause,
            filed=min(filed, self.today - timedelta(days=200)),
            amount=60_000,
            basis=example,
        )

        # From the sale-of-goods judgment: a stranger's objection to the seizure has been decided.
        sale = kept["sale"]
        sale_exec = self._execution(
            "执行中",
            self._enforcement_parties(sale),
            sale.cause,
            filed=sale.day_of("宣判") + timedelta(days=self.rng.randint(40, 70)),
            amount=self.rng.randint(60, 300) * 1000,
            basis=sale,
        )
        self._objection(sale_exec, "已结案")

        traffic = kept["traffic"]
        self._execution(
            "执行完毕",
            self._enforcement_parties(traffic),
            traffic.cause,
            filed=traffic.day_of("宣判") + timedelta(days=self.rng.randint(30, 60)),
            amount=self.rng.randint(30, 120) * 1000,
            basis=traffic,
        )

        self._execution(
            "执行中",
            [("申请执行人", person()), ("被执行人", person())],
            "民间借贷纠纷",
            filed=self._ago(90, 200),
            amount=self.rng.randint(20, 150) * 1000,
            recent=True,
        )
        self._execution(
            "执行完毕",
            [("申请执行人", company("商贸有限公司")), ("被执行人", person())],
            "买卖合同纠纷",
            filed=self._ago(200, 400),
            amount=self.rng.randint(20, 200) * 1000,
        )

        # Closed for want of assets (终本), later resumed (执恢) with the same parties.
        for cause, debtor, resumed_status in (
            ("民间借贷纠纷", person(gender="男"), "执行中"),
            ("劳动争议", company("建筑劳务有限公司"), "执行完毕"),
            ("房屋租赁合同纠纷", person(), "执行中"),
        ):
            amount = self.rng.randint(15, 200) * 1000
            parties = [("申请执行人", person()), ("被执行人", debtor)]
            closed = self._execution("终结本次执行", parties, cause, filed=self._ago(420, 650), amount=amount)
            resumed_on = min(
                closed.day_of("终结本次执行") + timedelta(days=self.rng.randint(120, 250)),
                self.today - timedelta(days=40),
            )
            self._execution(
                resumed_status,
                parties,
                cause,
                filed=resumed_on,
                amount=amount,
                basis=closed,
                type_code="执恢",
                recent=resumed_status == "执行中",
            )

        # Enforcements a stranger has objected to: hearing coming up, and heard but undecided.
        for debtor, objection_status in ((person(), "已排期"), (company("汽车销售服务有限公司"), "审理中")):
            execution = self._execution(
                "执行中",
                [("申请执行人", person()), ("被执行人", debtor)],
                "买卖合同纠纷",
                filed=self._ago(150, 260),
                amount=self.rng.randint(30, 250) * 1000,
            )
            self._objection(execution, objection_status)

    # ------------------------------------------------------------ 行初, 刑初
    def _administrative_docket(self) -> None:
        specs = (
            ("行政处罚", "焦作市马村区市场监督管理局", False, "已排期", "判决"),
            ("行政确认", "焦作市马村区人力资源和社会保障局", True, "已结案", "判决"),
            ("政府信息公开", "焦作市马村区住房和城乡建设局", False, "审理中", "判决"),
            ("行政强制", "焦作市马村区城市管理局", True, "已宣判", "判决"),
        )
        verdicts = {
            "行政处罚": "判决驳回原告的诉讼请求",
            "行政确认": "判决撤销被告作出的不予认定工伤决定及复议决定，责令重新作出认定",
            "政府信息公开": "判决被告于十五个工作日内答复原告的政府信息公开申请",
            "行政强制": "判决确认被告强制拆除行为违法",
        }
        for cause, agency_name, reviewed, status, outcome in specs:
            plaintiff = self._company("商贸有限公司") if cause == "行政处罚" else self._person(age=(30, 65))
            agency, official = self._agency(agency_name)
            parties = [("原告", plaintiff), ("被告", agency)]
            served = f"向被告送达起诉状副本及应诉通知书；被告出庭应诉负责人：{official}"
            if reviewed:
                # The district government upheld the decision on review, so it is a co-defendant
                # and the case stays at the basic court (复议机关作共同被告).
                government, minister = self._agency("焦作市马村区人民政府")
                parties.append(("被告", government))
                served += f"；复议机关出庭应诉负责人：{minister}"
            notes: dict[str, _Note] = {
                "送达": served,
                "开庭": "公开开庭审理",
                "宣判": verdicts[cause],
                "归档": "结案归档",
            }
            self._trial(
                "行初",
                cause,
                "行政审判庭",
                status,
                parties,
                procedure=self.rng.choice(("普通程序", "简易程序")),
                outcome=outcome,
                notes=notes,
            )

    def _criminal_docket(self) -> None:
        specs = (
            ("危险驾驶罪", "速裁程序", "已结案", 1, False, "判处被告人拘役二个月，并处罚金4,000元"),
            ("盗窃罪", "简易程序", "已排期", 2, True, ""),
            ("帮助信息网络犯罪活动罪", "普通程序", "已排期", 1, False, ""),
            ("故意伤害罪", "简易程序", "审理中", 1, True, ""),
            (
                "诈骗罪",
                "普通程序",
                "已宣判",
                1,
                True,
                "判处被告人有期徒刑三年，并处罚金20,000元，责令退赔被害人损失",
            ),
            ("交通肇事罪", "简易程序", "已结案", 1, False, "判处被告人有期徒刑一年，缓刑一年六个月"),
        )
        for cause, procedure, status, defendants, victim, verdict in specs:
            parties: list[tuple[str, _Person]] = [("公诉机关", _Person(PROSECUTOR, None, None))]
            # A defendant's phone is often a relative's; each number still belongs to one person.
            parties += [("被告人", self._person(gender="男", age=(19, 55))) for _ in range(defendants)]
            if victim:
                parties.append(("被害人", self._person()))
            notes: dict[str, _Note] = {
                "立案": f"{PROSECUTOR}提起公诉，指控被告人犯{cause}",
                "送达": "向被告人送达起诉书副本",
                "开庭": f"适用{procedure}公开开庭审理",
                "宣判": verdict,
                "归档": "结案归档",
            }
            self._trial("刑初", cause, "刑事审判庭", status, parties, procedure=procedure, notes=notes)

    # ---------------------------------------------------------- numbering
    def _assign_numbers(self) -> None:
        """Sequence numbers per (year, type) in order of filing; fixed cases keep theirs."""
        groups: dict[tuple[int, str], list[_Draft]] = {}
        for draft in self.drafts:
            groups.setdefault((draft.year, draft.type_code), []).append(draft)
        for (year, type_code), drafts in groups.items():
            volume = _ANNUAL_VOLUME[type_code]
            days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
            per_day = max(1, volume // days_in_year)
            taken = {d.seq for d in drafts if d.seq is not None}
            previous = 0
            for draft in sorted(drafts, key=lambda d: d.events[0][1]):
                if draft.seq is None:
                    day = draft.filed_on.timetuple().tm_yday
                    seq = max(
                        volume * (day - 1) // days_in_year + 1 + self.rng.randint(0, per_day - 1),
                        previous + 1,
                    )
                    while seq in taken:
                        seq += 1
                    draft.seq = seq
                    taken.add(seq)
                previous = draft.seq

    def build(self) -> list[_Draft]:
        self._required_case()
        example = self._example_case()
        kept = self._civil_docket()
        self._mediation_docket()
        self._execution_docket(example, kept)
        self._administrative_docket()
        self._criminal_docket()
        # Built last, so the rest of the docket stays what it was before they were added.
        self._lease_case()
        self._fixed_execution()
        self._assign_numbers()
        return self.drafts
