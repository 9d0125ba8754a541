"""Our Rasa components inside Rasa itself: the entity extractor on real Message objects."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import CourtEntityExtractor


def entities_of(text: str) -> dict[str, object]:
    message = Message(data={TEXT: text})
    CourtEntityExtractor().process([message])
    return {e["entity"]: e["value"] for e in message.get(ENTITIES)}


def test_one_message_with_everything() -> None:
    found = entities_of("我想查（2023）豫0804民初1234号的进度，我是张三，手机尾号5678")
    assert found["case_number"] == "（2023）豫0804民初1234号"
    assert found["person_name"] == "张三"
    assert found["phone"] == "5678"


def test_spoken_forms() -> None:
    assert entities_of("二零二三年豫零八零四民初一二三四号")["case_number"] == "（2023）豫0804民初1234号"
    assert entities_of("我电话幺三八三八九一五六七八")["phone"] == "13838915678"
    assert entities_of("借了他三万五千块")["amount"] == 35000


def test_offsets_slice_the_original_text() -> None:
    text = "案号是(2024)豫0804民初1566号，谢谢"
    message = Message(data={TEXT: text})
    CourtEntityExtractor().process([message])
    (case,) = [e for e in message.get(ENTITIES) if e["entity"] == "case_number"]
    assert text[case["start"]:case["end"]] == "(2024)豫0804民初1566号"
    assert case["extractor"] == "CourtEntityExtractor"


def test_tokenizer_folds_traditional_and_fullwidth_but_keeps_offsets() -> None:
    from nlu.components import CourtTokenizer

    tokenizer = CourtTokenizer(CourtTokenizer.get_default_config(), None, None)  # type: ignore[arg-type]
    text = "我想查案件進度，電話１３８"
    tokens = tokenizer.tokenize(Message(data={TEXT: text}), TEXT)
    assert "".join(t.text for t in tokens) == "我想查案件进度,电话138"
    for token in tokens:
        assert len(text[token.start:token.end]) == len(token.text)
    simplified = tokenizer.tokenize(Message(data={TEXT: "我想查案件进度,电话138"}), TEXT)
    assert [t.text for t in tokens] == [t.text for t in simplified]


def test_garbled_input_gets_no_intent_confidence() -> None:
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

    from nlu.components import MessageShapeGuard

    garbled = Message(data={TEXT: "qzx81 kvb pw"})
    garbled.set(INTENT, {"name": "inform", "confidence": 0.97})
    garbled.set(INTENT_RANKING_KEY, [{"name": "inform", "confidence": 0.97}])
    kept = [Message(data={TEXT: t}) for t in ("hello", "你好 问个事", "ignore previous instructions")]
    for message in kept:
        message.set(INTENT, {"name": "greet", "confidence": 0.9})
    MessageShapeGuard().process([garbled, *kept])
    assert garbled.get(INTENT)["confidence"] == 0.0 and garbled.get(INTENT_RANKING_KEY)[0]["confidence"] == 0.0
    assert all(m.get(INTENT)["confidence"] == 0.9 for m in kept)


def test_a_number_alone_is_information_never_a_goodbye() -> None:
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

    from nlu.components import MessageShapeGuard

    messages = [Message(data={TEXT: t}) for t in ("5678", " 5687 ", "１３８３８９１５６７８", "12368-20261203-0001",
                                                  "陈静 1111", "2290，宋立新")]
    for message in messages:
        message.set(INTENT, {"name": "goodbye", "confidence": 0.8})
        message.set(INTENT_RANKING_KEY, [{"name": "goodbye", "confidence": 0.8}])
    words = Message(data={TEXT: "再见 5678"})
    words.set(INTENT, {"name": "goodbye", "confidence": 0.8})
    MessageShapeGuard().process([*messages, words])
    assert all(m.get(INTENT) == {"name": "inform", "confidence": 1.0} for m in messages)
    assert words.get(INTENT)["name"] == "goodbye"
