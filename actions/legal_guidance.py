"""Pre-litigation guidance from the knowledge base for a caller describing a dispute (knowledge/guidance.py).

Models load once per action-server process in the background (actions/warm_up.py starts it); until they
are ready, or if the knowledge base fails, the caller gets the fixed per-kind answer instead."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker

from actions.fees import amounts_in, fee_reply
from fees.kinds import claim_amounts
from knowledge.guidance import NO_MATCH_NOTE, guidance_service, note_person_requested, ready, warm_up

log = logging.getLogger("courtbot.actions")


def legal_guidance(text: str, tracker: Tracker, fixed: str, kind_known: bool) -> str:
    """The guidance reply around `fixed` (the per-kind safe answer, kept as the risks part when the kind
    is known); `fixed` alone while the models load or if the knowledge base fails; with a note when
    nothing in the knowledge base is close enough (the question is then queued for curation)."""
    if not ready():
        warm_up()
        return fixed
    amounts = amounts_in(tracker)
    fee_text = fee_reply(text, amounts, None) if claim_amounts(text, amounts) else None
    channel = (tracker.sender_id or "").split(":", 1)[0]
    try:
        guidance = guidance_service().guide(text, fee_text, channel, risks=fixed if kind_known else None)
    except Exception:  # the fixed answer is still correct, only less specific
        log.exception("knowledge guidance failed")
        return fixed
    return guidance.text if guidance.matched else f"{fixed}{NO_MATCH_NOTE}"


def queue_person_request(tracker: Tracker) -> None:
    """Call where the caller asks for a person (转人工): a question answered with guidance in the last
    few turns goes to the curation queue as "asked for a person". Never fails the hand-off."""
    if not ready():
        return
    try:
        note_person_requested(tracker.events, (tracker.sender_id or "").split(":", 1)[0])
    except Exception:
        log.exception("queueing the question before a hand-off failed")
