"""./courtbot wechat menu push|show and the simulator's refusal without configuration."""

from __future__ import annotations

import uuid

import pytest

from channels.wechat.fake_server import FakeWeChatServer
from channels.wechat.settings import get_wechat_settings
from cli.__main__ import main


@pytest.fixture(autouse=True)
def fresh_settings() -> None:  # type: ignore[misc]
    get_wechat_settings.cache_clear()
    yield
    get_wechat_settings.cache_clear()


def test_menu_push_installs_the_repo_menu(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeWeChatServer() as fake:
        for key, value in {"WECHAT_APPID": f"wx{uuid.uuid4().hex[:16]}", "WECHAT_TOKEN": "t",
                           "WECHAT_APPSECRET": "s", "WECHAT_API_BASE": fake.base}.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("REDIS_URL", raising=False)
        main(["wechat", "menu", "push"])
        assert "菜单已安装" in capsys.readouterr().out
        [menu] = fake.state.menus
    names = [b["name"] for b in menu["button"]]
    assert names == ["查进度", "诉讼服务", "联系我们"]
    keys = {b.get("key") for top in menu["button"] for b in top.get("sub_button", [top])}
    assert {"CASE_PROGRESS", "FILING_GUIDE", "FEE_CALCULATOR", "MEDIATION", "COMPLAINT", "HUMAN_AGENT"} <= keys
    assert all("says" not in b and "intent" not in b for top in menu["button"] for b in top.get("sub_button", [top]))


def test_menu_push_without_a_secret_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WECHAT_APPID", "wx1")
    monkeypatch.setenv("WECHAT_TOKEN", "t")
    monkeypatch.delenv("WECHAT_APPSECRET", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["wechat", "menu", "push"])
    assert "WECHAT_APPSECRET" in str(stopped.value)


def test_simulate_without_configuration_explains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WECHAT_APPID", raising=False)
    monkeypatch.delenv("WECHAT_TOKEN", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["wechat", "simulate", "你好"])
    assert "WECHAT_APPID" in str(stopped.value)
