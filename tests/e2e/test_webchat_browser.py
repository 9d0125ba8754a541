"""The web chat page in a real browser (Debian Chromium driven by Playwright)."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


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
