"""Rasa graph components of courtbot's Chinese NLU (loaded by bot/config.yml as nlu.components.*)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.entities import extract_all

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
