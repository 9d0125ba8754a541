"""Rule-based entity extraction for courtbot messages (typed or transcribed speech).

Each extractor returns `Entity` objects whose start/end index the ORIGINAL text, even though matching
runs on a normalised copy (full-width → ASCII, traditional → simplified, Chinese numerals → digits)
kept aligned by an index map.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from nlu.case_number import find_case_numbers
from nlu.numerals import MappedText, normalize_numbers_mapped, to_halfwidth
from nlu.t2s import T2S, to_simplified


@dataclass(frozen=True)
class Entity:
    entity: str
    value: Any
    start: int
    end: int
    text: str


def _normalise(text: str, *, spaced_digits: bool = False) -> MappedText:
    return normalize_numbers_mapped(text, halfwidth=True, simplify=True, spaced_digits=spaced_digits)


def _fold(text: str) -> str:
    """Same-length copy for matching words (names, case types): half-width and simplified."""
    return to_simplified(to_halfwidth(text))


def _entity(mapped: MappedText, name: str, value: Any, start: int, end: int) -> Entity:
    """Entity for normalised span [start, end) with offsets and text taken from the original."""
    o_start, o_end = mapped.span(start, end)
    return Entity(name, value, o_start, o_end, mapped.original[o_start:o_end])


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


# ---------------------------------------------------------------- phones and ID numbers

# A separator may sit between any two digits: 138 3891 5678, 138-3891-5678, 1 3 8 3 8 9 1 5 6 7 8.
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?(1[\s-]?[3-9](?:[\s-]?[0-9]){9})(?![0-9])")
_LANDLINE_RE = re.compile(r"(?<![0-9])(\(?0[0-9]{2,3}\)?[\s-]?[0-9]{7,8})(?![0-9])")
# 尾号5678, 尾数是5678, 后4位 5678, 末四位：5678, 尾号 4 4 0 1 (四→4 is done by normalisation before 位).
_TAIL_RE = re.compile(
    r"(?:尾号|尾数|末尾|(?:最)?[后末]\s*(?P<n>[3-6])\s*位)(?:数字|号码|数)?\s*(?:是|为)?\s*[:：,，]?\s*"
    r"(?P<tail>[0-9](?:\s?[0-9]){2,5}(?:\s?[Xx])?)(?![0-9A-Za-z])"
)
# In spaced digits a last digit followed by a counter is a quantity: 尾号 4 4 0 1 2 个人 → 4401.
_SPACED_LAST_DIGIT_RE = re.compile(r"\s[0-9]$")
_QUANTITY_AFTER_RE = re.compile(r"\s*[年月日号个人次天岁位件条份名户家套台辆块元万千百]")
_SEPARATED_DIGIT_BEFORE_RE = re.compile(r"[0-9][\s-]$")
_SEPARATED_DIGIT_AFTER_RE = re.compile(r"[\s-][0-9]")
_ID_CONTEXT_RE = re.compile(r"身份证|证件|身份号")
_CLAUSE_BREAK = re.compile(r"[，。！？；,.!?;]")
_ID_RE = re.compile(
    r"(?<![0-9A-Za-z])([1-9][0-9]{5})\s?((?:19|20)[0-9]{2}[01][0-9][0-3][0-9])\s?([0-9]{3}[0-9Xx])(?![0-9A-Za-z])"
)


def _tails(mapped: MappedText) -> Iterable[tuple[str, int, int, bool]]:
    """Tail mentions as (value, start, end, is_id); is_id says it is about an ID number, else a phone."""
    s = mapped.text
    for m in _TAIL_RE.finditer(s):
        start, end = m.span("tail")
        last = _SPACED_LAST_DIGIT_RE.search(s, start, end)
        if last is not None and _QUANTITY_AFTER_RE.match(s, end):
            end = last.start()
        tail = re.sub(r"\s", "", s[start:end])
        wanted = m.group("n")
        if len(tail) < 3 or (wanted is not None and len(tail) != int(wanted)):
            continue
        clause_start = max((b.end() for b in _CLAUSE_BREAK.finditer(s, 0, m.start())), default=0)
        is_id = bool(_ID_CONTEXT_RE.search(s, clause_start, m.start()))
        if not is_id and not tail.isdigit():
            continue  # only ID numbers end in X
        yield tail, start, end, is_id


def _glued_to_other_digits(s: str, start: int, end: int) -> bool:
    """True when a separated number touches more digits across a separator (2 1 3 8 … 7 8 9 is no phone)."""
    if not re.search(r"[\s-]", s[start:end]):
        return False
    return bool(_SEPARATED_DIGIT_BEFORE_RE.search(s, 0, start) or _SEPARATED_DIGIT_AFTER_RE.match(s, end))


def extract_phones(text: str) -> list[Entity]:
    """Mobile numbers (value: 11 digits), landlines (value: digits only, e.g. 03911234567) and
    phone tails (尾号5678, 后四位是五六七八 → value "5678"); all as entity "phone"."""
    mapped = _normalise(text, spaced_digits=True)
    s = mapped.text
    found: list[Entity] = []
    ids = [(m.start(), m.end()) for m in _ID_RE.finditer(s)]
    taken = list(ids)
    for m in _MOBILE_RE.finditer(s):
        if not _overlaps(m.start(), m.end(), taken) and not _glued_to_other_digits(s, m.start(), m.end()):
            found.append(_entity(mapped, "phone", re.sub(r"[^0-9]", "", m.group(1)), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _LANDLINE_RE.finditer(s):
        if not _overlaps(m.start(), m.end(), taken):
            found.append(_entity(mapped, "phone", re.sub(r"[^0-9]", "", m.group(1)), m.start(), m.end()))
    for tail, start, end, is_id in _tails(mapped):
        if not is_id:
            found.append(_entity(mapped, "phone", tail, start, end))
    return sorted(found, key=lambda e: e.start)


def _valid_birth_date(digits: str) -> bool:
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return True


def extract_id_numbers(text: str) -> list[Entity]:
    """18-character resident ID numbers (value upper-case, spaces removed; the birth date must be a real
    date, the check digit is NOT verified) and tails (身份证后四位1234 → "1234"); entity "id_number"."""
    mapped = _normalise(text, spaced_digits=True)
    found: list[Entity] = []
    for m in _ID_RE.finditer(mapped.text):
        if _valid_birth_date(m.group(2)):
            value = (m.group(1) + m.group(2) + m.group(3)).upper()
            found.append(_entity(mapped, "id_number", value, m.start(), m.end()))
    for tail, start, end, is_id in _tails(mapped):
        if is_id:
            found.append(_entity(mapped, "id_number", tail.upper(), start, end))
    return sorted(found, key=lambda e: e.start)


# ---------------------------------------------------------------- amounts

_AMOUNT_RE = re.compile(
    r"(?<![0-9.])(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?![0-9])"
    r"(?P<unit>\s*多?\s*(?:元|块钱|块|圆|人民币|rmb|RMB))?"
)
_MONEY_PREFIX_RE = re.compile(
    r"(?:金额|标的额?|借款|欠款|欠我|欠了|借了|借给|赔偿|赔了|诉讼费|费用|工资|货款|租金|人民币|RMB|rmb|[¥￥])"
    r"\s*(?:他|她|我|对方|人家)?\s*(?:是|为|有|共|总共|一共|合计)?\s*[:：]?\s*$"
)
# A bare number written with 万/亿 is money unless a counter follows (三万人, 两万年).
_NOT_MONEY_AFTER = "年月日号个人次天岁位件条份名户家套台辆公里米斤%"


def _bare_amount_ok(mapped: MappedText, m: re.Match[str]) -> bool:
    o_start, o_end = mapped.span(m.start(), m.end())
    following = mapped.text[m.end() : m.end() + 1]
    if following and following in _NOT_MONEY_AFTER:
        return False
    if re.search("[万萬亿億]", mapped.original[o_start:o_end]):
        return True
    return bool(_MONEY_PREFIX_RE.search(mapped.text[max(0, m.start() - 12) : m.start()]))


def extract_amounts(text: str) -> list[Entity]:
    """Money in yuan: int when whole, else float (三万五千块 → 35000, 1.5万 → 15000, 10,000元 → 10000).

    A number counts when a currency word follows (元/块/块钱/圆/人民币), when it was written with 万/亿,
    or when a money word precedes it (金额/标的/欠款/借了/￥…). Numbers inside phone numbers, ID
    numbers, case numbers and dates are never amounts.
    """
    mapped = _normalise(text)
    blocked = (
        _spans(extract_phones(text)) + _spans(extract_id_numbers(text)) + _spans(extract_case_numbers(text))
    )
    blocked += [mapped.span(m.start(), m.end()) for m in _DATE_RE.finditer(mapped.text)]
    found: list[Entity] = []
    for m in _AMOUNT_RE.finditer(mapped.text):
        o_start, o_end = mapped.span(m.start(), m.end())
        if _overlaps(o_start, o_end, blocked):
            continue
        if m.group("unit") is None and not _bare_amount_ok(mapped, m):
            continue
        value = Decimal(m.group("num").replace(",", ""))
        number: int | float = int(value) if value == value.to_integral_value() else float(value)
        found.append(_entity(mapped, "amount", number, m.start(), m.end()))
    return found


def _spans(entities: Iterable[Entity]) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in entities]


# ---------------------------------------------------------------- dates

_RELATIVE_DAYS: dict[str, int] = {
    "大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0,
    "明天": 1, "明日": 1, "后天": 2, "大后天": 3,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
    "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6,
}  # fmt: skip
_WEEK_OFFSETS = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, "下下": 2}

_DATE_RE = re.compile(
    r"(?<![0-9])(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})(?![0-9])\s*[日号]?"
    r"|(?<![0-9])(?P<iy>[0-9]{4})(?P<sep>[-/.])(?P<im>[0-9]{1,2})(?P=sep)(?P<id>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9年])(?P<mm>[0-9]{1,2})\s*月\s*(?P<md>[0-9]{1,2})\s*[日号]"
    r"|(?P<mp>上个?月|本月|这个?月|下个?月)\s*(?P<pd>[0-9]{1,2})\s*[日号]"
    r"|(?P<rel>大前天|大后天|(?<![之以提])前天|昨天|昨日|今天|今日|明天|明日|(?<![以之然随最])后天)"
    r"|(?P<wp>上上|下下|上|下|本|这)个?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])"
    r"|(?<![一二两三四五六七八九十0-9几每上下本这个])(?:周|星期|礼拜)(?P<bwd>[一二三四五六日天1-7])"
)


def _month_shift(today: date, months: int, day: int) -> date:
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, day)


def _resolve_date(m: re.Match[str], today: date) -> date | None:
    try:
        if m.group("y"):
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if m.group("iy"):
            return date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        if m.group("mm"):
            return date(today.year, int(m.group("mm")), int(m.group("md")))
        if m.group("mp"):
            shift = {"上": -1, "下": 1}.get(m.group("mp")[0], 0)
            return _month_shift(today, shift, int(m.group("pd")))
    except ValueError:
        return None  # 2月30日 and the like
    if m.group("rel"):
        return today + timedelta(days=_RELATIVE_DAYS[m.group("rel")])
    monday = today - timedelta(days=today.weekday())
    if m.group("wp"):
        return monday + timedelta(weeks=_WEEK_OFFSETS[m.group("wp")], days=_WEEKDAYS[m.group("wd")])
    return today + timedelta(days=(_WEEKDAYS[m.group("bwd")] - today.weekday()) % 7)


def extract_dates(text: str, today: date | None = None) -> list[Entity]:
    """Dates as ISO strings (entity "date"); `today` defaults to date.today() (pass the court's date).

    - 2024年3月5日, 2024-03-05, 2024/3/5, 二零二四年三月五日: as written; 3月5号: this year (no roll-over);
      本月/下个月5号: that month.
    - 今天/明天/后天/大后天/昨天/前天/大前天: relative to `today`.
    - 本周五/这周五, 下周三, 下下周一, 上周一: weeks run Monday–Sunday; 本周X may be in the past.
    - bare 周三/星期三/礼拜天: the next such day, TODAY INCLUDED (on a Wednesday, 周三 is today).
    """
    today = today or date.today()
    mapped = _normalise(text)
    found: list[Entity] = []
    for m in _DATE_RE.finditer(mapped.text):
        value = _resolve_date(m, today)
        if value is not None:
            found.append(_entity(mapped, "date", value.isoformat(), m.start(), m.end()))
    return found


# ---------------------------------------------------------------- person names

# Common single-character surnames (well over the 200 most frequent) and compound surnames.
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴"
    "盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况"
    "那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
    "毋郏职菅禚訾"  # rarer nationally, common in Henan (焦作 has many 毋)
)


def _words(text: str) -> list[str]:
    return text.split()


COMPOUND_SURNAMES = frozenset(
    _words(
        "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 公冶 宗政 濮阳 "
        "淳于 单于 太叔 申屠 端木 拓跋 呼延 百里 东郭 南宫 西门 独孤 闻人 万俟 赫连 左丘 司空 亓官 仲孙 "
        "第五 乐正 壤驷 公良 梁丘 鲜于 闾丘 谷梁 羊舌 微生 巫马"
    )
)

# Longest first where one role contains another (被告人 before 被告).
_PARTY_ROLES = "申请执行人|被申请人|被执行人|被告人|当事人|申请人|第三人|联系人|原告|被告"
# `loose` triggers announce a name (我是, 原告是); after a `strict` one (a bare role word or 叫) ordinary
# words follow as often as names (被告不还钱, 申请人需要…, 叫什么), so the name must also end cleanly.
_NAME_TRIGGER_RE = re.compile(
    r"(?:(?P<loose>我的?姓名(?:是|叫)?|我的?名字(?:是|叫)|我叫|我是|本人(?:是|叫)?|姓名(?:是|叫|为)?"
    rf"|名字(?:是|叫)|(?:{_PARTY_ROLES})(?:是|叫|为|[:：]))|(?P<strict>{_PARTY_ROLES}|叫))\s*[:：]?\s*"
)
# What may directly follow a name after a strict trigger (besides the end, a non-Chinese character or a
# multi-character stop word): 原告刘桂兰诉被告…, 被告李秀英的电话, 被告王五欠我钱.
_STRICT_NAME_FOLLOWERS = frozenset("的和与跟诉说是在欠还")
# Characters that T2S folds (於→于, 乾→干, 甯→宁) but which are also standard simplified characters used
# in names: a name's value keeps them as written.
_NAME_AS_WRITTEN = frozenset("於乾甯")
# Role words that may sit between the trigger and the name: 我是原告张伟.
_ROLE_WORDS = (
    "申请执行人",
    "被申请人",
    "被执行人",
    "被告人",
    "当事人",
    "申请人",
    "第三人",
    "原告",
    "被告",
    "那个",
    "这个",
    "就是",
)
# Words that end a name. Single characters only end it after the surname, so 来/和 still work as surnames.
_STOP_WORDS = (
    "手机", "电话", "尾号", "号码", "身份证", "证件", "联系", "今天", "明天", "昨天", "后天", "现在", "刚才",
    "刚刚", "之前", "以前", "上次", "先生", "女士", "小姐", "律师", "法官", "老师", "同志", "师傅", "家属",
    "本人", "一下", "一直", "已经", "这边", "那边", "案子", "案件", "起诉", "咨询", "法院", "法庭",
    "的", "了", "吗", "呢", "吧", "啊", "呀", "哦", "嗯", "啦", "哈", "想", "要", "问", "来", "去", "在",
    "是", "有", "没", "不", "和", "跟", "与", "请", "找", "查", "我", "你", "他", "她", "们", "这", "那",
    "就", "也", "都", "还", "说", "能", "会", "给", "打", "办", "从", "对", "把", "被", "让", "叫", "诉",
    "告", "啥", "么", "欠",
)  # fmt: skip
_MULTI_CHAR_STOP_WORDS = tuple(word for word in _STOP_WORDS if len(word) > 1)
# Whole-message words that start with a surname character but are not names.
_COMMON_WORDS = frozenset(
    _words(
        "马上 高兴 方便 安全 明白 明天 明确 时间 时候 和解 万一 于是 由于 向前 成功 金额 石头 白天 周末 周一 "
        "周二 周三 周四 周五 周六 周日 关于 江湖 程序 宁可 宁愿 华为 文件 文书 原告 原来 申请 申请人 都是 "
        "那个 那些 那边 谢谢 公告 公正 公开 公司 信息 展开 计算 解决 车辆 房子 房产 费用 项目 应该 全部 "
        "师傅 商量 国家 平时 相关 初审 门口 容易 来了 普通 宣判 安排 齐全 乐意 包括 成立 简单 连续 卫生 "
        "仲裁 查询 查一下 麻烦 官司 劳动 满意 权利 强制 支付 索赔 修改 危险 银行 利息 居住 但是 智能 幸福 "
        "富裕 衡量 元旦 任何 任务 管辖 管理 程度 曾经 常见 常用 温馨 康复 施工 文明 安装 齐心 乔迁 庞大 "
        "章程 鲁莽 岳父 岳母 殷切 关系 关注 关心 兰花 焦虑 左右 甘心 包含 尚未 符合 舒服 纪律 梅花 单位 "
        "季度 成本 成功 苗头 谷歌 盛情 曲折 路上 游客 辛苦 管家 蒙古 华丽 房东 屈服 解释 艾滋 时效 农民 "
        "司法 卓越 古代 吉利 简称 车主 项目 连接 景区 党员 宫殿 费心 冷静 席位 卫星 宗旨 全面 应当 边界 "
        "师范 和平 商品 沙发 荣誉 桑拿 仲介 明显 池子 查看 封闭 谈话 惠民 乐观 南方 班级 原因 燕子 楚楚 "
        "劳务 皮肤 满足 闻到 位置 区别 海关 花钱 权益 强调 帅哥 屠宰 豆腐 盖章 练习 井水 祖国 巴士 丰富 "
        "支持 国内 平台 计划 索取 宣传 相同 初步 门票 云端 容许 敬请 来访 都市 普及 鹿茸 薄弱 羊毛 阿姨 "
        "阿里 乌鲁 母亲 修正 宿舍 鲜花 印章 隆重 战争 危机 玉米 银行卡 公证 公安 公积金 哈哈 宾馆 利率 "
        "居民 揭发 干嘛 干啥 但愿 信用 信访 展示 智慧 幸好 富有 由此 "
        # after a bare role word: 被告方面…, 被告常年…, 当事人双方, 当事人何时…, 被告余额…
        "方面 常年 双方 何时 何必 何处 余额 余款 毛病 钱多"
    )
)
# Places that start with a surname character: 我是江苏的, 我是温县人 are not names.
_PLACE_WORDS = frozenset(
    _words(
        "江苏 江西 山东 山西 河南 河北 湖南 湖北 广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 "
        "安徽 福建 浙江 辽宁 吉林 黑龙江 内蒙古 北京 天津 上海 重庆 焦作 温县 武陟 修武 博爱 孟州 沁阳 郑州 "
        "洛阳 新乡 安阳 南阳 商丘 周口 信阳 许昌 平顶山 开封 鹤壁 濮阳 三门峡 驻马店 漯河 济源 解放 山阳 "
        "马村 中站 温州 南京 武汉 长沙 成都 西安 广州 深圳 杭州 苏州 合肥 南昌 济南 石家庄 太原 沈阳 长春 "
        "哈尔滨 福州 昆明 贵阳 南宁 海口 兰州 西宁 银川 乌鲁木齐 拉萨 呼和浩特 本地 外地 农村 城里 城区 市区 "
        "县城 乡下 村里"
    )
)
_CJK = r"[\u4e00-\u9fff]"


def _is_word_not_name(candidate: str) -> bool:
    """True for common words and places (exactly, or as the first two or three characters)."""
    prefixes = {candidate, candidate[:2], candidate[:3]}
    starts_with_word = candidate[:2] in _COMMON_WORDS and candidate[:2] not in COMPOUND_SURNAMES
    return bool(candidate in _COMMON_WORDS or starts_with_word or prefixes & _PLACE_WORDS)


def _split_surname(candidate: str) -> int:
    """Length of the surname at the start of `candidate` (2 for 欧阳, 1 for 张), 0 if none."""
    if candidate[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if candidate[:1] in SINGLE_SURNAMES else 0


def _cut_at_stop_word(candidate: str, surname_len: int) -> str:
    for i in range(surname_len, len(candidate)):
        if candidate.startswith(_STOP_WORDS, i):
            return candidate[:i]
    return candidate


def _ends_cleanly(text: str, end: int) -> bool:
    if end == len(text) or not re.match(_CJK, text[end]):
        return True
    return text[end] in _STRICT_NAME_FOLLOWERS or text.startswith(_MULTI_CHAR_STOP_WORDS, end)


def _name_at(text: str, pos: int, *, strict: bool = False) -> tuple[int, int] | None:
    """Span of a name starting at `pos` (after a trigger), or None; strict also checks how it ends."""
    run = re.match(f"{_CJK}{{1,8}}", text[pos:])
    if run is None:
        return None
    candidate = run.group()
    for role in _ROLE_WORDS:
        if candidate.startswith(role):
            return _name_at(text, pos + len(role), strict=strict) if len(candidate) > len(role) else None
    surname_len = _split_surname(candidate)
    if surname_len == 0:
        return None
    name = _cut_at_stop_word(candidate, surname_len)
    if not 1 <= len(name) - surname_len <= 2 or _is_word_not_name(name):
        return None  # too long means we cannot tell where the name ends: better no name than a wrong one
    if strict and not _ends_cleanly(text, pos + len(name)):
        return None
    return pos, pos + len(name)


def _name_entity(text: str, start: int, end: int) -> Entity:
    """Entity for original text[start:end]; the value is simplified (劉桂蘭 → 刘桂兰) to match records."""
    written = text[start:end]
    value = "".join(ch if ch in _NAME_AS_WRITTEN else T2S.get(ch, ch) for ch in written)
    return Entity("person_name", value, start, end, written)


def extract_person_names(text: str, *, allow_bare: bool = True) -> list[Entity]:
    """Person names (entity "person_name", value the name).

    A name is a known surname (single or compound) plus one or two characters, either after a trigger
    (我是/我叫/本人/我姓名是/姓名/名字是/当事人是/原告是/被告是…, also 我是原告张伟) or — with
    allow_bare — when the whole message is just a 2–4 character name ("张伟", "欧阳娜娜。").
    A bare role word or 叫 (原告刘桂兰, 被告李秀英，…, 我姓赵 叫赵德胜) also works, but then the name must be
    followed by the end, punctuation, a stop word like 电话/身份证 or one of 的和与跟诉说是在欠还.
    When the end of the name is unclear (我是张伟今天想问 is fine, 我是张伟伟伟 is not) nothing is returned.
    Traditional input is matched in simplified form; the value is simplified too (劉桂蘭 → 刘桂兰).
    """
    folded = _fold(text)
    found: list[Entity] = []
    for m in _NAME_TRIGGER_RE.finditer(folded):
        span = _name_at(folded, m.end(), strict=m.group("strict") is not None)
        if span is not None and not any(e.start == span[0] for e in found):
            found.append(_name_entity(text, *span))
    if not found and allow_bare:
        bare = re.fullmatch(rf"\s*({_CJK}{{2,4}})\s*[。.!！~～]*\s*", folded)
        if bare is not None:
            candidate = bare.group(1)
            surname_len = _split_surname(candidate)
            if (
                surname_len
                and 1 <= len(candidate) - surname_len <= 2
                and not _is_word_not_name(candidate)
                and _cut_at_stop_word(candidate, surname_len) == candidate
            ):
                found.append(_name_entity(text, bare.start(1), bare.end(1)))
    return found


# ---------------------------------------------------------------- case types and numbers

_CASE_TYPE_RE = re.compile("民事|刑事|行政|执行")


def extract_case_types(text: str) -> list[Entity]:
    """The broad case category named in words: 民事, 刑事, 行政, 执行 (entity "case_type"; 執行 → 执行)."""
    return [
        Entity("case_type", m.group(), m.start(), m.end(), text[m.start() : m.end()])
        for m in _CASE_TYPE_RE.finditer(_fold(text))
    ]


def extract_case_numbers(text: str) -> list[Entity]:
    """Case numbers (entity "case_number", value the canonical form, e.g. （2023）豫0804民初1234号)."""
    return [
        Entity("case_number", value.canonical, s, e, text[s:e]) for s, e, value in find_case_numbers(text)
    ]


# ---------------------------------------------------------------- everything

# Earlier wins on overlap: a case number's digits are not a phone, a phone's digits are not an amount.
_PRIORITY: tuple[Callable[[str, date], list[Entity]], ...] = (
    lambda t, _: extract_case_numbers(t),
    lambda t, _: extract_id_numbers(t),
    lambda t, _: extract_phones(t),
    extract_dates,
    lambda t, _: extract_amounts(t),
    lambda t, _: extract_person_names(t),
    lambda t, _: extract_case_types(t),
)


def extract_all(text: str, today: date | None = None) -> list[Entity]:
    """All entities with non-overlapping spans, sorted by start.

    On overlap the earlier kind wins: case_number > id_number > phone > date > amount > person_name >
    case_type.
    """
    today = today or date.today()
    chosen: list[Entity] = []
    for extractor in _PRIORITY:
        for entity in extractor(text, today):
            if not _overlaps(entity.start, entity.end, _spans(chosen)):
                chosen.append(entity)
    return sorted(chosen, key=lambda e: (e.start, e.end))
