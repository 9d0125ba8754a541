"""Pre-litigation guidance (诉前辅导) for a caller who describes a dispute.

classify → the 2–3 most similar cases (one line each: what happened, how it ended) → the best FAQ answer
with its legal basis → main risks (limitation period, evidence) → the fee when an amount was named →
a matching mediation organisation → "guidance, not a judgment" → offer a person. Nothing close enough:
say so and queue the question for curation. Reply texts of this skill live here.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.config import get_settings
from knowledge.classifier import dispute_classifier
from knowledge.queue import CurationQueue
from knowledge.service import Hit, KnowledgeBase
from knowledge.store import knowledge_base

log = logging.getLogger("courtbot.knowledge")
LOW_CONFIDENCE = 0.3
CASES_SHOWN = 3
ANSWER_CHARS = 160
PERSON_AFTER_TURNS = 3  # a request for a person this many caller turns after guidance is about it
NOT_A_JUDGMENT = "以上是诉前辅导信息，帮助您了解情况，不是法院的判决或裁定，具体以法院审理结果为准。"
OFFER_PERSON = "需要进一步解答的，可以说“转人工”，由工作人员为您解答。"
NO_MATCH = ("知识库里暂时没有与您的情况足够相近的案例和解答，我不随便给您结论；您的问题已经记录，工作人员会补充解答。"
            "现在就需要帮助的，可以说“转人工”，或到诉讼服务中心、拨打12368咨询。")
NO_MATCH_NOTE = "（知识库里暂时没有与您情况足够相近的案例，您的问题已记录，工作人员会补充解答。）"
GENERAL_RISK = ("一般民事纠纷的诉讼时效是3年，从您知道或者应当知道权利受到损害以及对方是谁之日起算；"
                "请保留好合同、转账记录、聊天记录、票据、照片等证据。")
# Risks per dispute type where they differ from the general rule (limitation period, evidence).
RISKS: dict[str, str] = {
    "劳动纠纷": "劳动争议须先申请劳动仲裁，仲裁时效为1年；请保留劳动合同、工资条或转账记录、考勤和工作群记录。",
    "交通事故": "赔偿的诉讼时效一般为3年；请保留事故认定书、病历和医疗票据、误工证明，伤情需要时做伤残鉴定。",
    "债权债务": "民间借贷的诉讼时效为3年，从约定的还款期限届满之日起算，催要过的重新计算；请保留借条、转账记录和催款记录。",
    "婚姻家庭": "离婚本身不受诉讼时效限制，离婚后发现对方隐藏转移财产的3年内可请求再次分割；请保留结婚证、财产和子女情况的证明。",
    "医疗纠纷": "医疗损害赔偿的诉讼时效为3年；请及时封存、复印病历，需要时申请医疗损害鉴定。",
    "行政诉讼": "行政诉讼一般应在知道行政行为之日起6个月内起诉（经复议的在收到复议决定之日起15日内）；请保留决定书、送达材料。",
    "拆迁安置": "对征收补偿决定不服的，可在6个月内提起行政诉讼或在60日内申请行政复议；请保留征收公告、补偿协议和评估报告。",
    "刑事辩护": "刑事案件有严格的期限，被羁押的家属应尽快委托律师或申请法律援助；被害人的附带民事诉讼在刑事诉讼中一并提出。",
    "人身损害": "人身损害赔偿的诉讼时效为3年，从伤情确定之日起算；请保留病历、医疗票据、报警记录和证人信息。",
    "建设工程": "工程款的诉讼时效为3年；请保留施工合同、签证单、结算资料和付款记录，工程价款优先受偿权应在合理期限内行使（最长18个月）。",
    "抵押担保": "保证期间没有约定的为主债务履行期届满之日起6个月，过了期间保证人不再担责；请保留担保合同和抵押登记。",
    "消费权益": "请保留购物凭证、聊天记录和商品实物；欺诈可主张三倍赔偿，食品安全问题可主张十倍赔偿。",
}


@dataclass
class Guidance:
    text: str
    dispute_type: str
    confidence: float
    matched: bool  # False: nothing close enough (the question was queued)
    case_ids: list[str] = field(default_factory=list)
    faq_id: str | None = None
    mediation_org_id: str | None = None


def _one_line(hit: Hit) -> str:
    record = hit.record
    facts = re.split(r"[。；]", record.get("facts", ""))[0].rstrip("，")
    return f"{facts}——{record.get('outcome', '').rstrip('。')}。"


def _short(text: str, chars: int = ANSWER_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[:chars].rstrip("，。；") + "……"


def _legal_basis(text: str) -> str:
    """Statute names only (LeCoQA bases carry the article text too)."""
    names = [line.split("：", 1)[0].strip() for line in text.splitlines() if line.strip()]
    return "；".join(names[:3])


class GuidanceService:
    def __init__(self, kb: KnowledgeBase, queue: CurationQueue, min_similarity: float) -> None:
        self.kb = kb
        self.queue = queue
        self.min_similarity = min_similarity

    def guide(self, text: str, fee_text: str | None = None, channel: str = "", risks: str | None = None) -> Guidance:
        """`risks`: the caller's own per-kind safe text (limitation period, evidence, first step) when the
        bot already knows the kind; otherwise the dispute type's risks from RISKS."""
        result = dispute_classifier().classify(text)
        label = result.label
        vector = self.kb.embed_queries([text])[0]
        cases = self.kb.search(text, "case", k=CASES_SHOWN, query_vector=vector,
                               dispute_type=label if result.confidence >= LOW_CONFIDENCE else None)
        faqs = self.kb.search(text, "faq", k=3, query_vector=vector)
        good_cases = [c for c in cases if c.dense >= self.min_similarity]
        good_faq = next((f for f in faqs if f.dense >= self.min_similarity and f.record.get("answer")), None)
        best = max([*cases, *faqs], key=lambda h: h.dense, default=None)
        if not good_cases and good_faq is None:
            self.queue.add(text, "no_match", channel, label, best.id if best else None, best.dense if best else None)
            return Guidance(NO_MATCH, label, result.confidence, matched=False)
        if result.confidence < LOW_CONFIDENCE:
            self.queue.add(text, "low_confidence", channel, label, best.id if best else None, best.dense if best else None)
        parts = [f"{'初步判断' if result.confidence >= LOW_CONFIDENCE else '可能'}属于“{label}”类纠纷。"]
        if good_cases:
            parts.append("类似案例：" + "".join(f"{n}. {_one_line(c)}" for n, c in enumerate(good_cases, start=1)))
        if good_faq is not None:
            basis = _legal_basis(good_faq.record.get("legal_basis", ""))
            parts.append(f"相关解答：{_short(good_faq.record['answer'])}" + (f"（法律依据：{basis}）" if basis else ""))
        parts.append(risks or "风险提示：" + RISKS.get(label, GENERAL_RISK))
        if fee_text:
            parts.append(fee_text)
        org = self.mediation_org(text, label)
        if org is not None:
            fields = org.record
            parts.append(f"可以先试试调解：{org.title}（{fields.get('area', '')}，电话{fields.get('contact', '')}，"
                         f"{fields.get('hours', '')}），达成调解协议的可以申请法院司法确认。")
        parts.append(NOT_A_JUDGMENT + OFFER_PERSON)
        return Guidance("\n".join(parts), label, result.confidence, matched=True,
                        case_ids=[c.id for c in good_cases], faq_id=good_faq.id if good_faq else None,
                        mediation_org_id=org.id if org else None)

    def mediation_org(self, text: str, label: str) -> Hit | None:
        """The organisation that handles this type, most similar first; else any general one."""
        hits = self.kb.search(f"{label} {text}", "mediation_org", k=10)
        handles = [h for h in hits if label in h.record.get("dispute_types", [])]
        return (handles or hits or [None])[0]


def guided_question(events: Sequence[dict[str, Any]], within: int = PERSON_AFTER_TURNS) -> str | None:
    """The caller's question that got guidance (or "nothing matched") among the last `within` caller turns
    of a Rasa event list, the current one included; None when no guidance was given that recently."""
    turns, guided = 0, False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "bot" and any(mark in (event.get("text") or "") for mark in (NOT_A_JUDGMENT, NO_MATCH, NO_MATCH_NOTE)):
            guided = True
        elif kind == "user":
            if guided:
                return event.get("text") or None
            turns += 1
            if turns > within:
                return None
    return None


def note_person_requested(events: Sequence[dict[str, Any]], channel: str = "") -> int | None:
    """Queue (or mark) the question a caller got guidance on before asking for a person; the queue id."""
    question = guided_question(events)
    if question is None:
        return None
    label = dispute_classifier().classify(question).label
    return guidance_service().queue.person_requested(question, channel, label)


@lru_cache
def guidance_service() -> GuidanceService:
    kb = knowledge_base()
    return GuidanceService(kb, CurationQueue(kb.sessions), get_settings().kb_min_similarity)


_ready = threading.Event()
_started = threading.Lock()


def warm_up() -> None:
    """Load the encoder, indexes and classifier in the background (once per process), so the first
    caller does not wait for them; until then the action answers with its fixed texts."""
    if not _started.acquire(blocking=False):
        return  # already loading or loaded

    def load() -> None:
        try:
            service = guidance_service()
            dispute_classifier()
            for kind in ("case", "faq", "mediation_org"):
                service.kb.sync(kind)
            service.kb.embed_queries(["预热"])
            _ready.set()
        except Exception:  # the bot keeps its fixed answers; the log says why
            log.exception("knowledge guidance unavailable")

    threading.Thread(target=load, name="knowledge-warm-up", daemon=True).start()


def ready() -> bool:
    return _ready.is_set()
