"""Rasa graph components of courtbot's Chinese NLU (loaded by bot/config.yml as nlu.components.*)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.entities import extract_all
from nlu.numerals import to_halfwidth
from nlu.t2s import to_simplified

_COURT_TZ = timezone(timedelta(hours=8))  # relative dates (明天, 下周三) are court-local


def _court_today() -> date:
    return datetime.now(_COURT_TZ).date()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CourtEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based extraction of case numbers, phones, ID numbers, names, amounts, dates, case types.

    Structured entities are exact by rule, not learned: DIET's spans snap to jieba tokens and run
    over (Rasa #8722/#10578), and a case number must come out canonical to be looked up.
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CourtEntityExtractor:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        today = _court_today()
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {
                    "entity": e.entity,
                    "value": e.value,
                    "start": e.start,
                    "end": e.end,
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for e in extract_all(text, today)
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CourtTokenizer(JiebaTokenizer):
    """Jieba with our court dictionary, over text folded to simplified, half-width characters.

    Callers write 案件進度 as often as 案件进度, and full-width digits from phone keyboards; folding is
    character for character, so token offsets still index the caller's original text.
    """

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        import jieba

        text = fold_characters(message.get(attribute))
        tokens = [Token(word, start) for (word, start, _end) in jieba.tokenize(text)]
        return self._apply_token_pattern(tokens)


def fold_characters(text: str) -> str:
    """Traditional → simplified and full-width → half-width, one character for one character."""
    return to_simplified(to_halfwidth(text))



# Two kinds of message whose intent is plain from their shape, whatever the classifier makes of them:
# - a number alone ("5678", "0391 3921368"), or with a name ("陈静 1111"), is information — a phone tail,
#   a case or ticket number — never a goodbye or a yes (the classifier has misread bare tails);
# - the public writes Chinese: a message with no Chinese character, no entity we read and no word of the
#   little English callers use is garbled input ("xyz123abc"), whose classifier confidence means nothing,
#   so it is set to zero and the FallbackClassifier asks to rephrase.
_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBER_ALONE = re.compile(r"[\s\d\-－—+＋()（）.,，。]*\d{4}[\s\d\-－—+＋()（）.,，。]*")
_NAME_AND_NUMBER = re.compile(r"[\u3400-\u9fff]{1,5}[\s,，、:：]*\d{4,}|\d{4,}[\s,，、:：]*[\u3400-\u9fff]{1,5}")
_FAREWELL = re.compile(r"再见|拜拜|谢谢|多谢|感谢|好的|没事")
_KNOWN_ENGLISH = re.compile(
    r"\b(hello|hi|hey|ok|okay|yes|no|thanks|thank|bye|help|ignore|instructions?|prompt|system|admin|case|phone)\b",
    re.IGNORECASE,
)
INFORM = "inform"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageShapeGuard(GraphComponent):
    """After the classifier: a number alone is `inform`; garbled input gets zero confidence (→ fallback)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageShapeGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = to_halfwidth(message.get(TEXT) or "")
            intent = dict(message.get(INTENT) or {})
            if not intent:
                continue
            if is_information_by_shape(text.strip()):
                message.set(INTENT, {**intent, "name": INFORM, "confidence": 1.0}, add_to_output=True)
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INFORM]
                message.set(INTENT_RANKING_KEY, [{"name": INFORM, "confidence": 1.0}, *ranking], add_to_output=True)
            elif is_garbled(text, bool(message.get(ENTITIES))):
                message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
                ranking = [{**r, "confidence": 0.0} for r in message.get(INTENT_RANKING_KEY) or []]
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def is_information_by_shape(text: str) -> bool:
    """A number alone, or a short name with a number, and no farewell or thanks in it."""
    if _NUMBER_ALONE.fullmatch(text):
        return True
    return bool(_NAME_AND_NUMBER.fullmatch(text)) and not _FAREWELL.search(text)


def is_garbled(text: str, has_entities: bool) -> bool:
    """Latin letters with no Chinese, no entity and no known English word (bare digits are a tail, not this)."""
    letters = len(re.findall(r"[A-Za-z]", text))
    return letters >= 3 and not has_entities and not _CJK.search(text) and not _KNOWN_ENGLISH.search(text)
