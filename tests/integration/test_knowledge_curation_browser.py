"""The curation pages in a real browser (Debian Chromium via Playwright) against a real gateway:
log in as a knowledge editor, create a draft, try a question, publish, edit, unpublish, import a bad
file, answer a queued question, export and delete."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser import chromium, served

PASSWORD = "Kb-Editor-2026!x"


@pytest.fixture(scope="module")
def gateway(configured: str) -> Iterator[str]:
    from api.main import create_app
    from knowledge.guidance import guidance_service
    from knowledge.store import knowledge_base

    knowledge_base.cache_clear()
    guidance_service.cache_clear()
    app = create_app()
    with served(app) as url:
        yield url
    knowledge_base.cache_clear()


@pytest.fixture(scope="module")
def editor(configured: str) -> str:
    from auth.service import AuthService
    from core.db import get_session_factory

    name = f"kb-{uuid.uuid4().hex[:6]}"
    AuthService(get_session_factory()).create_user(name, "knowledge_editor", PASSWORD, display_name="知识库编辑小王")
    return name


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def login(page: Page, gateway: str, editor: str) -> None:
    page.goto(f"{gateway}/console/knowledge")
    assert "/console/login" in page.url  # pages need a signed-in editor
    page.fill("input[name=username]", editor)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    page.wait_for_url(f"{gateway}/console/knowledge*")


def test_an_editor_curates_knowledge_end_to_end(browser: Browser, gateway: str, editor: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from knowledge.queue import CurationQueue
    from knowledge.store import knowledge_base

    item_id = f"faq-{uuid.uuid4().hex[:6]}"
    page = browser.new_page()
    login(page, gateway, editor)

    page.click("#new-item")
    page.fill("input[name=id]", item_id)
    page.fill("input[name=question]", "法院的停车场对来访群众免费开放吗")
    page.fill("textarea[name=answer]", "诉讼服务中心东侧停车场对来访群众免费开放，车位有限。")
    page.click("#edit-form button")
    assert page.inner_text("#status") == "草稿"

    public = httpx.post(f"{gateway}/api/knowledge/search", json={"query": "去法院办事能停车吗", "kind": "faq", "k": 5}).json()
    assert item_id not in [r["id"] for r in public["results"]]  # a draft is not public yet
    page.fill("input[name=try_query]", "去法院办事能停车吗")
    page.click("#try-form button")
    assert "第 1 位" in page.inner_text("#trial-rank")  # but it can be tried before publishing

    page.click("#to-published")
    assert page.inner_text("#status") == "已发布"
    public = httpx.post(f"{gateway}/api/knowledge/search", json={"query": "去法院办事能停车吗", "kind": "faq", "k": 5}).json()
    assert public["results"][0]["id"] == item_id

    page.click("#edit")
    page.fill("textarea[name=answer]", "诉讼服务中心东侧停车场免费开放，节假日不开放。")
    page.click("#edit-form button")
    assert "节假日不开放" in page.inner_text("#preview")
    history = page.inner_text("#history")
    assert "创建" in history and "发布" in history and "编辑" in history and "知识库编辑" not in history and editor in history

    page.click("#to-unpublished")
    assert page.inner_text("#status") == "已下线"

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "ok-1", "question": "好的一行", "answer": "答"}, ensure_ascii=False) + "\n"
                   + json.dumps({"id": "bad-1", "answer": "缺少问题"}, ensure_ascii=False) + "\n", encoding="utf-8")
    page.goto(f"{gateway}/console/knowledge?kind=faq")
    page.set_input_files("#import-form input[type=file]", str(bad))
    page.click("#import-form button")
    assert "未导入任何内容" in page.inner_text("#import-result")
    assert "第2行" in page.inner_text("main") and knowledge_base().get("ok-1") is None

    CurationQueue(knowledge_base().sessions).add("调解不成功以后诉讼费怎么交，我手机13812345678", "no_match", "web")
    page.goto(f"{gateway}/console/knowledge/queue")
    row = page.locator("#queue tr", has_text="调解不成功以后")
    assert "138****5678" in row.inner_text()  # stored masked
    row.locator("a.answer").click()
    assert "调解不成功以后" in page.input_value("input[name=question]")
    page.fill("input[name=id]", f"{item_id}-q")
    page.fill("textarea[name=answer]", "调解不成的，按诉讼费用交纳办法交纳案件受理费。")
    page.click("#edit-form button")
    page.goto(f"{gateway}/console/knowledge/queue")
    assert "调解不成功以后" not in page.inner_text("#queue")

    exported = page.request.get(f"{gateway}/console/knowledge/export?kind=faq&format=csv")
    assert exported.status == 200 and item_id in exported.text()

    page.goto(f"{gateway}/console/knowledge/item/{item_id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#delete")
    page.wait_for_url(f"{gateway}/console/knowledge?kind=faq")
    assert knowledge_base().get(item_id) is None
    page.screenshot(path=str(tmp_path / "curation.png"))
    page.close()


def test_other_roles_and_anonymous_callers_are_refused(gateway: str, configured: str) -> None:
    from auth.service import AuthService
    from core.db import get_session_factory

    anonymous = httpx.get(f"{gateway}/console/knowledge/queue", follow_redirects=False)
    assert anonymous.status_code == 303 and "/console/login" in anonymous.headers["location"]
    name = f"op-{uuid.uuid4().hex[:6]}"
    service = AuthService(get_session_factory())
    user = service.create_user(name, "operator", PASSWORD)
    token, _ = service.issue(user, "cookie")
    refused = httpx.get(f"{gateway}/console/knowledge", cookies={"courtbot_session": token}, follow_redirects=False)
    assert refused.status_code == 403
