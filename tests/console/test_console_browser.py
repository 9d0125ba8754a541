"""The operator console in a real browser (Debian Chromium driven by Playwright) against a real
gateway (uvicorn, with its lifespan and scheduler): log in, take a ticket from the queue, assign it
to a department, the handler accepts and feeds back, the operator records the revisit and closes
it; new work appears without reloading; a stale page is told someone else acted first; the
dashboard and 考核. Screenshots of every step are saved (the path is printed)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import chromium, served
from tests.tickets.conftest import DEPARTMENT, PASSWORD
from tickets.service import NewTicket, TicketService


@pytest.fixture(scope="module")
def gateway(configured: str) -> Iterator[str]:
    from api.main import create_app

    with served(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("console-screenshots")
    yield folder
    print(f"\nconsole screenshots: {folder}")


class Desk:
    """One person at the console in their own browser context."""

    def __init__(self, browser: Browser, gateway: str, username: str, shots: Path) -> None:
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1500, "height": 950})
        self.page: Page = self.context.new_page()
        self.gateway, self.username, self.shots = gateway, username, shots

    def login(self) -> None:
        page = self.page
        page.goto(f"{self.gateway}/console")
        assert "/console/login" in page.url  # the workspace needs a signed-in person
        page.fill("input[name=username]", self.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form.login button")
        page.wait_for_url(f"{self.gateway}/console")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def open_from_queue(self, queue: str, number: str) -> None:
        self.page.click(f"#queues button[data-queue='{queue}']")
        row = self.page.locator(f"#tickets tr[data-number='{number}']")
        expect(row).to_be_visible(timeout=10_000)
        row.click()
        expect(self.page.locator("#detail-number")).to_contain_text(number)

    def act(self, action: str, **fields: str) -> None:
        form = self.page.locator(f"form.action[data-action='{action}']")
        for name, value in fields.items():
            field = form.locator(f"[name={name}]")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        form.locator("button[type=submit]").click()

    def fact(self, label: str) -> str:
        return self.page.locator(f"dd[data-field='{label}']").inner_text()


def test_a_ticket_from_the_queue_to_closing(browser: Browser, gateway: str, role_users: dict[str, str],
                                            shots: Path) -> None:
    from core.db import get_session_factory

    service = TicketService(get_session_factory())
    ticket = service.open_ticket(NewTicket(
        "转人工", "web", "browser-caller", "来电人要求转人工：想知道（2025）豫0804民初2001号何时开庭",
        case_number="（2025）豫0804民初2001号", caller_name="陈静", caller_verified=True,
        caller_contact="13700001111",
        transcript=[{"role": "caller", "text": "我是陈静，电话13700001111，想问开庭时间"},
                    {"role": "bot", "text": "已为您转接人工，工单号稍后告知"}]))

    operator = Desk(browser, gateway, role_users["operator"], shots)
    operator.login()
    operator.shot("01-workspace")
    operator.open_from_queue("unassigned", ticket.number)
    detail = operator.page.locator("#detail")
    expect(detail).to_contain_text("（2025）豫0804民初2001号")
    expect(detail.locator(".transcript")).to_contain_text("137****1111")  # masked in the transcript
    expect(detail.locator(".transcript")).not_to_contain_text("13700001111")
    expect(detail.locator("#events")).to_contain_text("登记")
    assert operator.fact("联系方式") == "13700001111"  # the operator calls back: whole number on the detail
    expect(detail.locator(".badge")).to_contain_text("剩")  # SLA countdown
    operator.act("assign", department=DEPARTMENT, assignee=role_users["department_handler"], text="请联系当事人")
    expect(operator.page.locator("#flash")).to_contain_text(f"已交办：{ticket.number}")
    expect(operator.page.locator("dd[data-field='状态']")).to_have_text("已交办")
    expect(detail.locator("#events")).to_contain_text(f"交办 {DEPARTMENT}")
    operator.shot("02-assigned")

    # New work appears without reloading.
    fresh = service.open_ticket(NewTicket("投诉举报", "wechat", "browser-new", "对执行进度不满意，要求督办"))
    operator.page.click("#queues button[data-queue='unassigned']")
    expect(operator.page.locator(f"#tickets tr[data-number='{fresh.number}']")).to_be_visible(timeout=15_000)
    expect(operator.page.locator("[data-count='unassigned']")).not_to_be_empty(timeout=15_000)

    handler = Desk(browser, gateway, role_users["department_handler"], shots)
    handler.login()
    handler.open_from_queue("mine", ticket.number)
    expect(handler.page.locator("dd[data-field='联系方式']")).to_have_text("137****1111")  # not theirs to call
    handler.act("accept")
    expect(handler.page.locator("dd[data-field='状态']")).to_have_text("办理中")
    handler.act("feedback", text="已电话告知当事人：定于下周三上午九时在第三法庭开庭")
    expect(handler.page.locator("#flash")).to_contain_text("已反馈")
    expect(handler.page.locator("dd[data-field='状态']")).to_have_text("已反馈")
    handler.shot("03-fed-back")

    operator.open_from_queue("awaiting_revisit", ticket.number)
    expect(operator.page.locator("#detail")).to_contain_text("第三法庭")
    operator.act("revisit", satisfaction="4", text="答复清楚")
    expect(operator.page.locator("dd[data-field='满意度']")).to_have_text("4 分（答复清楚）")
    operator.act("close")
    expect(operator.page.locator("dd[data-field='状态']")).to_have_text("已办结")
    events = operator.page.locator("#events")
    for step in ("受理", "反馈", "满意度 4 分", "办结"):
        expect(events).to_contain_text(step)
    operator.shot("04-closed")

    closed = service.get(ticket.number)
    assert closed is not None and (closed.status, closed.satisfaction, closed.handled_by) == (
        "closed", 4, role_users["department_handler"])

    # Two people on the same ticket: the second is told, nothing of theirs is written.
    supervisor = Desk(browser, gateway, role_users["supervisor"], shots)
    supervisor.login()
    supervisor.open_from_queue("unassigned", fresh.number)
    operator.open_from_queue("unassigned", fresh.number)
    supervisor.act("note", text="督办员已关注")
    expect(supervisor.page.locator("#flash")).to_contain_text("已备注")
    operator.act("note", text="话务员的备注")
    expect(operator.page.locator("#flash")).to_contain_text("刚刚已被其他人更新")
    operator.shot("05-conflict")
    notes = [e.note for e in (service.get(fresh.number) or fresh).events if e.action == "note"]
    assert notes == ["督办员已关注"]

    supervisor.page.goto(f"{gateway}/console/dashboard")
    expect(supervisor.page.locator("#card-total b")).not_to_have_text("0")
    expect(supervisor.page.locator("#by_category")).to_contain_text("投诉举报")
    expect(supervisor.page.locator("#performance")).to_contain_text(role_users["department_handler"])
    supervisor.page.select_option("#perf-by", "department")
    expect(supervisor.page.locator("#performance")).to_contain_text(DEPARTMENT)
    href = supervisor.page.locator("#export-perf").get_attribute("href") or ""
    csv = supervisor.context.request.get(gateway + href)
    assert csv.ok and DEPARTMENT in csv.text() and "按期反馈率" in csv.text()
    supervisor.page.click("#audit-verify")
    expect(supervisor.page.locator("#audit-result")).to_contain_text("留痕完整", timeout=10_000)
    audit = supervisor.context.request.get(gateway + (supervisor.page.locator("#audit-export").get_attribute("href") or ""))
    assert audit.ok and fresh.number in audit.text() and "督办员已关注" in audit.text()
    supervisor.shot("06-dashboard")
    for desk in (operator, handler, supervisor):
        desk.context.close()


def test_an_operator_takes_over_a_live_web_chat(browser: Browser, gateway: str, role_users: dict[str, str],
                                                shots: Path) -> None:
    import httpx

    from conversations.models import LiveConversation
    from conversations.service import MessageLog
    from core.db import get_session_factory
    from core.timeutil import utcnow

    sessions = get_session_factory()
    sender = f"browser-live-{int(time.time() * 1000)}"
    ticket = TicketService(sessions).open_ticket(NewTicket("转人工", "web", f"web:{sender}", "来电人要求人工服务"))
    MessageLog(sessions).record_inbound("web", sender, "我要找人工")
    with sessions.begin() as session:
        row = LiveConversation(channel="web", sender=sender, state="waiting", ticket_number=ticket.number,
                               requested_at=utcnow())
        session.add(row)
        session.flush()
        live_id = row.id

    operator = Desk(browser, gateway, role_users["operator"], shots)
    operator.login()
    page = operator.page
    expect(page.locator("[data-count='live']")).not_to_be_empty(timeout=10_000)
    page.click("#queues button[data-queue='live']")
    expect(page.locator("#tickets thead th")).to_have_text(["工单号", "渠道", "状态", "最新消息", "接待人员", "等待"])
    page.locator(f"#tickets tr[data-live='{live_id}']").click()
    expect(page.locator("#live-messages")).to_contain_text("我要找人工")
    page.click("#live-take")
    expect(page.locator("dd[data-field='会话状态']")).to_have_text("人工接管中")
    expect(page.locator("#flash")).to_contain_text("已接管")

    # The caller writes in the same chat: the bot stays silent, the operator sees it.
    with httpx.Client(base_url=gateway, timeout=30) as caller:
        said = caller.post("/api/chat", json={"sender": sender, "message": "我的电话13800001111，想问立案进度"}).json()
        assert said["replies"] == [] and said["live"] is True
        expect(page.locator("#live-messages")).to_contain_text("138****1111", timeout=10_000)
        page.fill("#live-composer textarea[name=text]", "您好，您的立案材料已收到，三个工作日内审查完毕")
        page.click("#live-composer button[type=submit]")
        expect(page.locator("#live-messages")).to_contain_text("三个工作日内审查完毕", timeout=10_000)
        operator.shot("07-live-chat")

        # A second person cannot take it any more.
        supervisor = httpx.Client(base_url=gateway, timeout=30)
        token = supervisor.post("/api/auth/token", data={"username": role_users["supervisor"], "password": PASSWORD})
        second = supervisor.post(f"/api/live/conversations/{live_id}/take",
                                 headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert second.status_code == 409 and "已由工作人员" in second.json()["detail"]
        supervisor.close()

        page.click("#live-hand-back")
        expect(page.locator("dd[data-field='会话状态']")).to_have_text("已交回")
        pushed = [m["text"] for m in caller.get("/api/chat/messages", params={"sender": sender, "after": 0})
                  .json()["messages"]]
    assert "您好，您的立案材料已收到，三个工作日内审查完毕" in pushed
    assert pushed[-1].startswith("人工服务已结束")
    notes = [e.note for e in (TicketService(sessions).get(ticket.number) or ticket).events if e.action == "note"]
    assert any("接管了在线会话" in n for n in notes) and any("交回智能客服" in n for n in notes)
    operator.shot("08-handed-back")
    page.click("#queues button[data-queue='']")  # back to the tickets: their own headings again
    expect(page.locator("#tickets thead th")).to_have_text(["工单号", "类别", "状态", "摘要", "承办", "时限"])
    operator.context.close()
