"""Dispute-type classifier over the 20 types of schema.DISPUTE_TYPES.

Character 1–3-grams and jieba words (TF-IDF) into a logistic regression, trained at first use in
each process (about a second) on the written examples of data/classifier_train.tsv and the labelled
seed items (case summaries and FAQ with a dispute type). Nothing it is tested on is trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.schema import DISPUTE_TYPES
from knowledge.text import normalise, tokens

DATA = Path(__file__).resolve().parent / "data"
TRAIN_FILE = DATA / "classifier_train.tsv"
FALLBACK_LABEL = "综合咨询"


@dataclass(frozen=True)
class Classification:
    label: str
    confidence: float
    ranking: list[tuple[str, float]]  # every type, most likely first


def read_tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label.strip(), text.strip()))
    return rows


def training_examples() -> list[tuple[str, str]]:
    """(label, text): the written examples, then each labelled seed item's title and gist."""
    from knowledge.seed import seed_records

    examples = read_tsv(TRAIN_FILE)
    seed = seed_records()
    examples += [(r["dispute_type"], f"{r['title']}，{r['facts']}") for r in seed["case"]]
    examples += [(r["dispute_type"], r["question"]) for r in seed["faq"] if r.get("dispute_type")]
    unknown = {label for label, _ in examples} - set(DISPUTE_TYPES)
    if unknown:
        raise ValueError(f"unknown dispute types in training data: {sorted(unknown)}")
    return examples


def _words(text: str) -> list[str]:
    return tokens(text)


class DisputeClassifier:
    def __init__(self, examples: list[tuple[str, str]]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        features = make_union(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=normalise, sublinear_tf=True),
            TfidfVectorizer(analyzer=_words, sublinear_tf=True),
        )
        self.model = make_pipeline(features, LogisticRegression(C=20.0, max_iter=2000))
        labels, texts = zip(*examples, strict=True)
        self.model.fit(list(texts), list(labels))
        self.labels = [str(c) for c in self.model.classes_]

    def classify_many(self, texts: list[str]) -> list[Classification]:
        if not texts:
            return []
        results = []
        for probabilities in self.model.predict_proba(texts):
            ranking = sorted(zip(self.labels, (float(p) for p in probabilities), strict=True), key=lambda lp: -lp[1])
            results.append(Classification(ranking[0][0], round(ranking[0][1], 4), [(lab, round(p, 4)) for lab, p in ranking]))
        return results

    def classify(self, text: str) -> Classification:
        if not text.strip():
            return Classification(FALLBACK_LABEL, 0.0, [(label, 0.0) for label in DISPUTE_TYPES])
        return self.classify_many([text])[0]


@lru_cache(maxsize=1)
def dispute_classifier() -> DisputeClassifier:
    """Trained once per process."""
    return DisputeClassifier(training_examples())
