"""./courtbot wechat simulate "文本" | menu push | menu show — local trials of the WeChat channel and
installing the official account's menu (channels/wechat/menu.json)."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("wechat", help="WeChat official account: simulate a user, push the menu")
    actions = parser.add_subparsers(dest="wechat_command", required=True)
    simulate = actions.add_parser("simulate", help="send a message signed and encrypted as WeChat does, print the reply")
    simulate.add_argument("text", nargs="*", help="what the user writes (or the voice recognition text)")
    simulate.add_argument("--url", help="gateway base URL (default: the configured gateway)")
    simulate.add_argument("--openid", default="o-courtbot-simulator", help="the simulated user's OpenID")
    simulate.add_argument("--voice", action="store_true", help="send as a voice message with this recognition text")
    simulate.add_argument("--event", help="send an event instead: subscribe, unsubscribe or CLICK")
    simulate.add_argument("--key", help="the menu key of a CLICK event, e.g. CASE_PROGRESS")
    simulate.add_argument("--plain", action="store_true", help="plain mode even when WECHAT_AES_KEY is set")
    simulate.set_defaults(func=cmd_simulate)
    menu = actions.add_parser("menu", help="the official account's menu")
    menu_actions = menu.add_subparsers(dest="menu_command", required=True)
    menu_actions.add_parser("show", help="print the menu as WeChat receives it").set_defaults(func=cmd_menu_show)
    menu_actions.add_parser("push", help="install the menu through WeChat's menu API").set_defaults(func=cmd_menu_push)


def _settings():  # type: ignore[no-untyped-def]
    from channels.wechat.settings import get_wechat_settings

    settings = get_wechat_settings()
    if not settings.configured:
        sys.exit("未配置微信公众号：请设置 WECHAT_APPID 和 WECHAT_TOKEN（安全模式另需 WECHAT_AES_KEY），见 README 的 WeChat 一节。")
    return settings


def cmd_simulate(args: argparse.Namespace) -> None:
    import httpx

    from channels.wechat.simulator import WeChatPeer, event_xml, text_xml, voice_xml
    from core.config import get_settings

    settings = _settings()
    text = " ".join(args.text).strip()
    if args.event:
        xml = event_xml("gh_courtbot", args.openid, args.event, args.key)
    elif text:
        xml = (voice_xml if args.voice else text_xml)("gh_courtbot", args.openid, text)
    else:
        sys.exit("请给出要发送的文字，或用 --event 发送事件。")
    aes = None if args.plain or not settings.aes_key else settings.aes_key.get_secret_value()
    peer = WeChatPeer(settings.token.get_secret_value(), settings.appid, aes)
    base = args.url or f"http://127.0.0.1:{get_settings().gateway_port}"
    query, body = peer.post(xml, openid=args.openid)
    try:
        response = httpx.post(f"{base}/wechat?{query}", content=body, timeout=10)
    except httpx.HTTPError as exc:
        sys.exit(f"无法连接网关 {base}：{type(exc).__name__}（先运行 make run）")
    if response.status_code != 200:
        sys.exit(f"网关拒绝了消息：HTTP {response.status_code} {response.text}")
    reply = peer.decode(response.text)
    print(reply if reply is not None else "（网关回复 success：答复将通过客服消息接口发送）")


def cmd_menu_show(_args: argparse.Namespace) -> None:
    from channels.wechat.menu import wechat_menu

    print(json.dumps(wechat_menu(), ensure_ascii=False, indent=2))


def cmd_menu_push(_args: argparse.Namespace) -> None:
    from channels.wechat.api import WeChatAPIError
    from channels.wechat.menu import wechat_menu
    from channels.wechat.runtime import http_api

    try:
        http_api(_settings()).create_menu(wechat_menu())
    except (WeChatAPIError, RuntimeError) as exc:
        sys.exit(f"菜单未能安装：{exc}")
    print("==> 菜单已安装（微信客户端约5分钟内生效，重新关注可立即看到）")
