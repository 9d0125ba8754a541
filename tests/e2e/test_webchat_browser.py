"""The web chat page in a real browser (Debian Chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def test_chat_page_converses(browser, gateway: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{gateway}/")
    assert "诉讼服务" in page.title()
    page.fill("#message", "我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678")
    page.click("#send")
    page.wait_for_selector("li.bot:has-text('第三法庭')", timeout=20000)
    page.click("text=转人工")
    reply = page.wait_for_selector("li.bot:has-text('工单号')", timeout=20000)
    assert "12368-" in reply.inner_text()
    page.screenshot(path=str(tmp_path / "webchat.png"))
    page.close()


def test_an_operator_takes_over_the_chat_page(browser, gateway: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The page shows the operator's replies (its poll), the bot stays silent, hand-back brings it back."""
    import re
    import uuid

    import httpx

    from auth.service import AuthService
    from core.db import get_session_factory

    name, password = f"live{uuid.uuid4().hex[:6]}", "Live-browser-pass-1"
    AuthService(get_session_factory()).create_user(name, "operator", password, display_name="话务员小李")
    token = httpx.post(f"{gateway}/api/auth/token", data={"username": name, "password": password}).json()
    staff = httpx.Client(base_url=gateway, headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=20)

    page = browser.new_page()
    page.goto(f"{gateway}/")
    page.fill("#message", "转人工")
    page.click("#send")
    reply = page.wait_for_selector("li.bot:has-text('工单号')", timeout=20000)
    number = re.search(r"12368-\d{8}-\d{4}", reply.inner_text()).group(0)  # type: ignore[union-attr]
    waiting = staff.get("/api/live/conversations").json()["conversations"]
    conversation = next(c for c in waiting if c["ticket_number"] == number)
    assert staff.post(f"/api/live/conversations/{conversation['id']}/take").status_code == 200
    page.wait_for_selector("li.operator:has-text('工作人员已接入')", timeout=10000)
    page.fill("#message", "我想问开庭时间")
    page.click("#send")
    staff.post(f"/api/live/conversations/{conversation['id']}/messages", json={"text": "您的案件下周二在第三法庭开庭。"})
    page.wait_for_selector("li.operator:has-text('第三法庭')", timeout=10000)
    said = staff.get(f"/api/live/conversations/{conversation['id']}/messages").json()["messages"]
    assert any(m["author"] == "caller" and m["text"] == "我想问开庭时间" for m in said)
    # greeting, the ticket reply and the hand-off notice: nothing from the bot while the operator has it
    assert page.locator("li.bot:not(.operator)").count() == 3
    staff.post(f"/api/live/conversations/{conversation['id']}/hand-back")
    page.wait_for_selector("li:has-text('人工服务已结束')", timeout=10000)
    page.screenshot(path=str(tmp_path / "webchat-live.png"))
    page.close()
