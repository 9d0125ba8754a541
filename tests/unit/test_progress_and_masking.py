"""The progress answer, masking of personal numbers, Rasa endpoints from settings, model hashing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cases.progress import describe_progress, split_timeline
from cases.system import CaseRecord, Staff, TimelineEntry
from cli.endpoints import rasa_endpoints
from core.config import Settings
from core.masking import mask_phone, mask_text

RECORD = CaseRecord("（2024）豫0804民初1566号", "民初", "民间借贷纠纷", "已排期", date(2024, 11, 18))
STAFF = Staff("王建军", "赵敏", "民事审判第一庭", "0391-3921312")
TIMELINE = [
    TimelineEntry("立案", datetime(2024, 11, 18, 9, 0)),
    TimelineEntry("排期", datetime(2026, 11, 12, 10, 0), note="定于2026年12月31日开庭"),
    TimelineEntry("开庭", datetime(2026, 12, 31, 9, 30), location="第三法庭"),
]


def test_progress_names_latest_and_next_step_and_staff() -> None:
    text = describe_progress(RECORD, TIMELINE, STAFF, now=datetime(2026, 11, 26, 12, 0))
    assert "当前状态：已排期" in text
    assert "最近进展：2026年11月12日（星期四） 排期" in text
    assert "下一步安排：2026年12月31日（星期四）09:30 开庭，地点：第三法庭" in text
    assert "承办法官：王建军，书记员：赵敏" in text and "0391-3921312" in text


def test_progress_without_upcoming_step_says_so() -> None:
    text = describe_progress(RECORD, TIMELINE, STAFF, now=datetime(2027, 1, 5))
    assert "最近进展：2026年12月31日（星期四） 开庭" in text
    assert "暂无已排定" in text


def test_split_timeline_on_the_boundary() -> None:
    latest, upcoming = split_timeline(TIMELINE, datetime(2026, 12, 31, 9, 30))
    assert latest is not None and latest.step == "开庭" and upcoming is None


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("电话13838915678", "电话138****5678"),
        ("身份证410802199003071234号", "身份证41**************34号"),
        ("案号（2024）豫0804民初1566号", "案号（2024）豫0804民初1566号"),
        ("金额200000元", "金额200000元"),
    ],
)
def test_mask_text(raw: str, masked: str) -> None:
    assert mask_text(raw) == masked


def test_mask_phone() -> None:
    assert mask_phone("13838915678") == "138****5678"
    assert mask_phone("5678") == "****"


def test_endpoints_embedded_and_redis(tmp_path: Path) -> None:
    embedded = rasa_endpoints(Settings(COURTBOT_DATA_DIR=str(tmp_path), REDIS_URL=None))
    assert embedded["tracker_store"] == {"type": "rasa_runtime.tracker_store.BoundedSQLTrackerStore",
                                         "max_session_turns": 20, "dialect": "sqlite",
                                         "db": str(tmp_path / "rasa_tracker.db")}
    assert "lock_store" not in embedded
    assert embedded["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    redis = rasa_endpoints(Settings(REDIS_URL="redis://:s3cret@10.0.0.5:6380/2", COURTBOT_ACTIONS_PORT="6055"))
    assert redis["tracker_store"] == {"type": "rasa_runtime.tracker_store.BoundedRedisTrackerStore",
                                      "url": "10.0.0.5", "port": 6380, "db": 2, "key_prefix": "courtbot",
                                      "password": "s3cret", "record_exp": 180 * 86400, "max_session_turns": 20}
    assert redis["lock_store"]["type"] == "redis" and redis["lock_store"]["key_prefix"] == "courtbot"
    assert redis["action_endpoint"]["url"] == "http://127.0.0.1:6055/webhook"


def test_database_url_gets_the_psycopg3_driver() -> None:
    assert Settings(DATABASE_URL="postgresql://u@h:5432/d").sqlalchemy_url == "postgresql+psycopg://u@h:5432/d"
    assert Settings(DATABASE_URL="postgres://u@h/d").sqlalchemy_url == "postgresql+psycopg://u@h/d"
    assert Settings(COURTBOT_DATA_DIR="/x", DATABASE_URL=None).sqlalchemy_url == "sqlite:////x/courtbot.db"
