"""A WeChat user who verified for a case is remembered for that case (30 days by default) until they
send "解除绑定"; a web sender id (the browser picks it) never is."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from channels.wechat.simulator import text_xml
from channels.wechat.users import sender_for
from core.timeutil import utcnow
from tests.wechat.conftest import APPID, harness

CASE = "（2024）豫0804民初1566号"


def identity(sessions):  # type: ignore[no-untyped-def]
    from cases.system import load_case_system
    from identity.remembered import RememberedVerifications
    from identity.service import IdentityService

    return IdentityService(sessions, load_case_system(None, sessions), remembered=RememberedVerifications(sessions, 30))


@pytest.mark.usefixtures("seeded", "no_case_locks")
def test_a_verified_wechat_user_is_remembered_for_that_case_only(sessions) -> None:  # type: ignore[no-untyped-def]
    from identity.service import Caller

    service = identity(sessions)
    wechat = Caller(id=f"wechat:{uuid.uuid4().hex[:32]}", channel="wechat")
    web = Caller(id=f"web:{uuid.uuid4().hex[:10]}", channel="web", address="203.0.113.5")
    assert service.verify_caller(CASE, "张伟", "5678", wechat).verified
    assert service.verify_caller(CASE, "张伟", "5678", web).verified
    assert service.remembered.party_for(wechat.id, CASE) == "张伟"
    assert service.remembered.party_for(wechat.id, "（2025）豫0804民初2001号") is None
    assert service.remembered.party_for(web.id, CASE) is None
    assert service.remembered.party_for(wechat.id, CASE, now=utcnow() + timedelta(days=31)) is None
    failed = Caller(id=f"wechat:{uuid.uuid4().hex[:32]}", channel="wechat")
    assert not service.verify_caller(CASE, "张伟", "0000", failed).verified
    assert service.remembered.party_for(failed.id, CASE) is None


@pytest.mark.usefixtures("seeded", "no_case_locks", "wechat_env")
def test_unbinding_through_wechat_forgets_every_case(sessions) -> None:  # type: ignore[no-untyped-def]
    from identity.service import Caller

    openid = "o" + uuid.uuid4().hex[:27]
    caller = Caller(id=f"wechat:{sender_for(APPID, openid)}", channel="wechat")
    service = identity(sessions)
    assert service.verify_caller(CASE, "张伟", "5678", caller).verified

    async def go() -> tuple[str | None, str | None, int]:
        async with harness() as h:
            first = h.peer.decode((await h.post(text_xml(APPID, openid, "解除绑定"))).text)
            second = h.peer.decode((await h.post(text_xml(APPID, openid, "解除绑定。"))).text)
            return first, second, len(h.rasa.calls)

    first, second, rasa_calls = asyncio.run(go())
    assert first and "已解除" in first and "1件" in first
    assert second and "没有绑定" in second
    assert rasa_calls == 0 and service.remembered.party_for(caller.id, CASE) is None
