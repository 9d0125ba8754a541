"""Which fee rule a matter falls under, and that rule (《诉讼费用交纳办法》 Arts. 13(2)–(5) and 14).

Only a property claim (Art. 13(1), fees/calculator.py) is priced by its amount; divorce, personality
rights, labour, administrative and execution matters have rules of their own, stated here once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fees.calculator import CENT, banded_fee, property_case_fee

# Kind → words that name it, checked in this order (执行 before 财产: "申请执行五万" is an execution).
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("preservation", ("保全",)),
    ("execution", ("申请执行", "执行申请", "执行费", "强制执行", "执行案", "申请强制")),
    ("labour", ("劳动", "工资", "工伤", "辞退", "开除", "加班费", "经济补偿", "社保", "劳务派遣")),
    ("divorce", ("离婚", "离个婚", "离了婚", "分居")),
    ("personality", ("名誉", "人格", "肖像", "隐私", "姓名权", "侮辱", "诽谤", "精神损害")),
    ("administrative", ("行政", "告政府", "告镇政府", "告街道", "告派出所", "告公安", "告城管", "拆迁决定", "行政处罚")),
    ("ip", ("专利", "商标", "著作权", "版权", "知识产权", "侵权盗版")),
    ("payment_order", ("支付令", "督促程序")),
)


@dataclass(frozen=True)
class FeeRule:
    kind: str
    name: str
    rule: str  # the rule as the caller hears it, citing the article


RULES: dict[str, FeeRule] = {
    "divorce": FeeRule("divorce", "离婚案件",
                       "按《诉讼费用交纳办法》第十三条第（二）项，离婚案件每件交纳50元至300元；涉及财产分割、"
                       "财产总额不超过20万元的不另行交纳，超过20万元的部分按0.5%交纳。"),
    "personality": FeeRule("personality", "侵害人格权案件",
                           "按《诉讼费用交纳办法》第十三条第（二）项，侵害姓名权、名誉权、肖像权等人格权的案件每件交纳"
                           "100元至500元；同时要求损害赔偿的，赔偿金额不超过5万元的不另行交纳，超过5万元至10万元的部分"
                           "按1%交纳，超过10万元的部分按0.5%交纳。"),
    "labour": FeeRule("labour", "劳动争议案件",
                      "按《诉讼费用交纳办法》第十三条第（四）项，劳动争议案件每件交纳10元，不按请求金额计算。"
                      "另外劳动争议须先经劳动人事争议仲裁，对仲裁裁决不服的再向法院起诉。"),
    "administrative": FeeRule("administrative", "行政案件",
                              "按《诉讼费用交纳办法》第十三条第（五）项，行政案件每件交纳50元；"
                              "商标、专利、海事行政案件每件交纳100元。"),
    "execution": FeeRule("execution", "申请执行",
                         "按《诉讼费用交纳办法》第十四条第（一）项，申请执行没有执行金额的，每件交纳50元至500元；"
                         "有执行金额的，不超过1万元的每件50元，超过1万元至50万元的部分按1.5%，超过50万元至500万元的部分"
                         "按1%，超过500万元至1000万元的部分按0.5%，超过1000万元的部分按0.1%交纳。执行申请费一般不预交，"
                         "执行后由被执行人负担。"),
    "preservation": FeeRule("preservation", "申请财产保全",
                            "按《诉讼费用交纳办法》第十四条第（二）项，申请保全的财产数额不超过1000元或者不涉及财产数额的，"
                            "每件交纳30元；超过1000元至10万元的部分按1%，超过10万元的部分按0.5%交纳，但最多不超过5000元。"),
    "ip": FeeRule("ip", "知识产权民事案件",
                  "按《诉讼费用交纳办法》第十三条第（三）项，知识产权民事案件没有争议金额的每件交纳500元至1000元；"
                  "有争议金额的，按财产案件的标准交纳。"),
    "payment_order": FeeRule("payment_order", "申请支付令",
                             "按《诉讼费用交纳办法》第十四条第（三）项，依法申请支付令的，比照财产案件受理费标准的"
                             "三分之一交纳。"),
    "property": FeeRule("property", "财产案件",
                        "按《诉讼费用交纳办法》第十三条第（一）项，财产案件按诉讼请求的金额分段累计交纳：不超过1万元的"
                        "每件50元，超过1万元至10万元的部分按2.5%，超过10万元至20万元的部分按2%，超过20万元至50万元的部分"
                        "按1.5%……例如请求20万元，受理费为4300元。"),
}

# An amount right after these words is a fee or an interest figure, not the claim.
_NOT_CLAIM_BEFORE = re.compile(r"(利息|利率|月息|年息|诉讼费|受理费|执行费|保全费|律师费|费用|交了|交过|预交|手续费|违约金)"
                               r"[^，,。；;\d一二三四五六七八九十两百千万]{0,3}$")
_NOT_CLAIM_AFTER = re.compile(r"^(的)?(利息|诉讼费|受理费|执行费|保全费|律师费|手续费|费用)")
# A percentage or "几分息" is a rate, never an amount.
_RATE_AFTER = re.compile(r"^\s*(%|％|厘|分息|分利)")


def fee_kind(text: str) -> str | None:
    """The fee rule a message is about, or None when it names no kind (then a claim amount means property)."""
    for kind, words in KIND_WORDS:
        if any(w in text for w in words):
            return kind
    return None


def claim_amounts(text: str, amounts: list[tuple[float, int | None, int | None]]) -> list[Decimal]:
    """The amounts (value, start, end) that are what the caller claims: fee and interest figures dropped."""
    claims = []
    for value, start, end in amounts:
        if value is None or value < 0:
            continue
        if start is not None and end is not None:
            before, after = text[:start], text[end:]
            if _NOT_CLAIM_BEFORE.search(before) or _NOT_CLAIM_AFTER.match(after) or _RATE_AFTER.match(after):
                continue
        claims.append(Decimal(str(value)))
    return claims


def execution_fee(amount: Decimal) -> Decimal:
    """Art. 14(1) with an amount: 50 up to 10,000; then 1.5 %, 1 %, 0.5 %, 0.1 % by band."""
    return banded_fee(amount, Decimal(10_000), Decimal(50), (
        (Decimal(500_000), Decimal("0.015")),
        (Decimal(5_000_000), Decimal("0.01")),
        (Decimal(10_000_000), Decimal("0.005")),
        (None, Decimal("0.001")),
    ))


def preservation_fee(amount: Decimal) -> Decimal:
    """Art. 14(2): 30 up to 1,000; 1 % to 100,000; 0.5 % above; never more than 5,000."""
    fee = banded_fee(amount, Decimal(1_000), Decimal(30), ((Decimal(100_000), Decimal("0.01")), (None, Decimal("0.005"))))
    return min(fee, Decimal(5_000))


def divorce_property_extra(division: Decimal) -> Decimal:
    """Art. 13(2)(a): 0.5 % of a property division above 200,000, on top of the 50–300 per case."""
    return max(Decimal(0), (division - Decimal(200_000)) * Decimal("0.005")).quantize(CENT, rounding=ROUND_HALF_UP)


def personality_damages_extra(damages: Decimal) -> Decimal:
    """Art. 13(2)(b): damages above 50,000 to 100,000 at 1 %, above 100,000 at 0.5 %, on top of 100–500."""
    return banded_fee(damages, Decimal(50_000), Decimal(0), ((Decimal(100_000), Decimal("0.01")), (None, Decimal("0.005"))))


def payment_order_fee(amount: Decimal) -> Decimal:
    """Art. 14(3): one third of the property-case fee."""
    return (property_case_fee(amount) / 3).quantize(CENT, rounding=ROUND_HALF_UP)
