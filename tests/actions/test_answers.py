"""Questions answered against the topic in hand, legal questions by kind, fees by the matter's rule."""

from __future__ import annotations

from typing import Any

import pytest

from actions.answers import ActionAnswerQuestion
from actions.fees import ActionLitigationFee
from nlu.entities import extract_all
from tests.actions.trackers import Conversation


def ask(convo: Conversation, text: str, intent: str, action: Any = None) -> str:
    """The user says text (classified as intent), the answer action runs; its one reply."""
    convo.user(text, intent)
    convo.latest_message["entities"] = [
        {"entity": e.entity, "value": e.value, "start": e.start, "end": e.end} for e in extract_all(text)
    ]
    texts, _ = convo.run(action or ActionAnswerQuestion())
    assert len(texts) == 1, texts
    return texts[0]


def test_a_materials_follow_up_after_mediation_gets_mediation_materials_not_filing() -> None:
    convo = Conversation()
    ask(convo, "俺想先找法院调解一下 不想直接打官司", "mediation")
    reply = ask(convo, "那要带啥材料", "filing_help")  # the NLU reads 材料 as filing
    assert "诉前调解" in reply and "调解申请" in reply
    assert "起诉状（正本一份" not in reply
    assert convo.slots["topic"] == "mediation"


def test_where_to_pay_after_a_fee_question_gets_the_ways_to_pay() -> None:
    convo = Conversation()
    ask(convo, "欠我五万块 起诉诉讼费多少", "litigation_fee", ActionLitigationFee())
    reply = ask(convo, "那去哪交", "litigation_fee", ActionLitigationFee())
    assert "5号窗口" in reply and "移动微法院" in reply
    assert "1050" not in reply


def test_from_when_after_a_labour_question_is_the_labour_time_limit() -> None:
    convo = Conversation()
    first = ask(convo, "在工地干活摔断了腿 老板一分钱不给", "legal_consult")
    assert "工伤" in first and "借条" not in first
    reply = ask(convo, "从啥时候开始算", "legal_consult")
    assert "1年" in reply and "事故伤害发生之日" in reply
    assert "案号" not in reply


def test_how_long_after_filing_is_the_filing_period() -> None:
    convo = Conversation()
    ask(convo, "我想起诉 咋立案", "filing_help")
    reply = ask(convo, "需要多久", "case_progress")
    assert "7日" in reply


def test_a_side_question_keeps_the_topic_and_the_next_follow_up_returns_to_it() -> None:
    convo = Conversation()
    ask(convo, "调解是咋回事", "mediation")
    side = ask(convo, "你们周六上班不", "court_info")
    assert "周六" in side and convo.slots["topic"] == "mediation"
    reply = ask(convo, "那大概得多长时间", "ask_follow_up")
    assert "30日" in reply


def test_a_follow_up_with_no_topic_says_what_it_understood_and_offers_choices() -> None:
    reply = ask(Conversation(), "那得准备些啥", "ask_follow_up")
    assert "要准备的材料" in reply and "立案" in reply and "诉前调解" in reply


@pytest.mark.parametrize(
    ("question", "kind_name", "must", "must_not"),
    [
        ("离了婚孩子跟谁 抚养费咋给", "子女抚养", "出生证明", "借条"),
        ("单位不给认工伤 医药费也不报", "工伤", "劳动人事争议仲裁", "借条"),
        ("朋友借我两万一直拖着不还", "民间借贷", "借条", "抚养"),
        ("被车撞了 对方保险不赔", "交通事故", "事故认定书", "借条"),
        ("房东扣着押金不退", "房屋租赁", "押金", "借条"),
        # A death said plainly ("没了", "走了") with an estate is inheritance, though no word names it.
        ("俺娘前年走了 老宅子叫俺弟一家占着不让分 能告不", "继承纠纷", "死亡证明", "借条"),
        ("公公没了以后 存款都叫小叔子拿走了 俺咋弄", "继承纠纷", "遗产", "赡养"),
    ],
)
def test_legal_questions_are_answered_for_their_own_kind(question: str, kind_name: str, must: str,
                                                         must_not: str) -> None:
    reply = ask(Conversation(), question, "legal_consult")
    assert kind_name in reply and must in reply and must_not not in reply
    assert "转人工" in reply  # a person is offered


def test_a_legal_question_of_no_known_kind_says_so_and_offers_a_person() -> None:
    reply = ask(Conversation(), "我这事儿该咋整啊", "legal_consult")
    assert "没能判断" in reply and "转人工" in reply and "借条" not in reply


@pytest.mark.parametrize(
    ("question", "must", "must_not"),
    [
        ("俺要离婚 房子值三十万 诉讼费多少", "50元至300元", "5800"),  # not a property claim of 300,000
        ("老板欠我两万块工资 去告要交多少钱", "10元", "350元"),
        ("他到处造谣坏我名声 起诉收多少费", "100元至500元", "受理费约为"),
        ("告县政府的行政案子 收费吗", "50元", "受理费约为"),
        ("判决了他不还钱 申请执行十万块要交多少", "1400元", "2300"),
    ],
)
def test_each_kind_of_matter_gets_its_own_fee_rule(question: str, must: str, must_not: str) -> None:
    reply = ask(Conversation(), question, "litigation_fee", ActionLitigationFee())
    assert must in reply and must_not not in reply


def test_an_interest_figure_alone_is_not_priced_as_a_claim() -> None:
    reply = ask(Conversation(), "光利息就八千块 诉讼费多少", "litigation_fee", ActionLitigationFee())
    assert "不是诉讼请求金额" in reply and "受理费约为" not in reply


def test_a_property_claim_is_priced_from_the_principal_not_the_interest() -> None:
    reply = ask(Conversation(), "本金八万块 利息一万块 诉讼费多少", "litigation_fee", ActionLitigationFee())
    assert "80000元" in reply and "1800元" in reply  # 50 + 70,000 × 2.5 %


def test_a_fee_question_after_a_divorce_question_uses_the_divorce_rule() -> None:
    convo = Conversation()
    ask(convo, "跟老公过不下去了想离婚", "legal_consult")
    reply = ask(convo, "那打这官司诉讼费多少", "litigation_fee", ActionLitigationFee())
    assert "离婚案件" in reply


@pytest.mark.parametrize("question", ["俺老公出车祸没了 保险公司不赔", "俺爹走了以后俺娘没人管 俺哥不给生活费"])
def test_a_death_without_an_estate_is_not_read_as_inheritance(question: str) -> None:
    reply = ask(Conversation(), question, "legal_consult")
    assert "继承纠纷" not in reply


def test_fee_relief_then_where_to_apply_names_the_window() -> None:
    convo = Conversation()
    first = ask(convo, "家里实在困难 诉讼费交不起 能少交点不", "litigation_fee", ActionLitigationFee())
    assert "缓交" in first and "证明" in first
    reply = ask(convo, "那去哪儿申请", "ask_follow_up")
    assert "5号窗口" in reply and "缓减免" in reply
    assert "1万元以下每件50元" not in reply  # not the fee scale again


def test_a_party_who_cannot_pay_read_as_filing_gets_fee_relief() -> None:
    reply = ask(Conversation(), "俺家是特困户 打官司钱交不起咋办", "filing_help")
    assert "免交" in reply and "证明材料" in reply and "5号窗口" in reply
    assert "起诉状" not in reply


def test_an_elliptical_court_question_read_as_yes_or_no_is_answered() -> None:
    from actions.answers import ActionNoQuestionPending

    convo = Conversation()
    ask(convo, "你们几点上班", "court_info")
    reply = ask(convo, "礼拜天呢", "cancel", ActionNoQuestionPending())
    assert "周六、周日不对外办公" in reply
