"""Rasa graph components of courtbot's Chinese NLU (loaded by bot/config.yml as nlu.components.*)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, TEXT
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

