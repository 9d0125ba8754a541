"""WeChat's side of the callback, for tests, the benchmark and `./courtbot wechat simulate`: builds
messages and events, signs them (signature, msg_signature) and encrypts them exactly as WeChat's
servers do (wechatpy's own crypto), and decodes the passive reply."""

from __future__ import annotations

import hashlib
import itertools
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import xmltodict
from wechatpy.crypto import WeChatCrypto

_ids = itertools.count(int(time.time() * 1000) % 10**12 * 1000)


def signature(token: str, *parts: str) -> str:
    return hashlib.sha1("".join(sorted([token, *parts])).encode()).hexdigest()


def text_xml(to: str, openid: str, text: str, msg_id: int | None = None, at: int | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{at or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id or next(_ids)}</MsgId></xml>")


def voice_xml(to: str, openid: str, recognition: str, msg_id: int | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
            f"<MediaId><![CDATA[media-{secrets.token_hex(4)}]]></MediaId><Format><![CDATA[amr]]></Format>"
            f"<Recognition><![CDATA[{recognition}]]></Recognition><MsgId>{msg_id or next(_ids)}</MsgId></xml>")


def event_xml(to: str, openid: str, event: str, key: str | None = None, at: int | None = None) -> str:
    key_xml = f"<EventKey><![CDATA[{key}]]></EventKey>" if key is not None else ""
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{at or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event>{key_xml}</xml>")


def media_xml(to: str, openid: str, kind: str) -> str:
    extra = {
        "image": "<PicUrl><![CDATA[http://mmbiz.example/pic.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>",
        "location": "<Location_X>35.24</Location_X><Location_Y>113.32</Location_Y><Scale>15</Scale>"
                    "<Label><![CDATA[焦作市马村区]]></Label>",
        "link": "<Title><![CDATA[链接]]></Title><Description><![CDATA[说明]]></Description>"
                "<Url><![CDATA[http://example.com/]]></Url>",
        "video": "<MediaId><![CDATA[m2]]></MediaId><ThumbMediaId><![CDATA[t2]]></ThumbMediaId>",
    }.get(kind, "")
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>{extra}"
            f"<MsgId>{next(_ids)}</MsgId></xml>")


@dataclass
class WeChatPeer:
    token: str
    appid: str
    aes_key: str | None = None  # set: safe mode (encrypted); unset: plain mode
    account: str = "gh_courtbot"
    compatible: bool = False  # compatible mode: plain fields next to <Encrypt>
    _crypto: WeChatCrypto | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.aes_key:
            self._crypto = WeChatCrypto(self.token, self.aes_key, self.appid)

    def post(self, xml: str, timestamp: int | None = None, openid: str = "") -> tuple[str, bytes]:
        """(query string, body) of the POST WeChat would make."""
        stamp, nonce = str(timestamp or int(time.time())), secrets.token_hex(5)
        query = {"signature": signature(self.token, stamp, nonce), "timestamp": stamp, "nonce": nonce}
        if openid:
            query["openid"] = openid
        if self._crypto is None:
            return urlencode(query), xml.encode()
        wrapped = xmltodict.parse(self._crypto.encrypt_message(xml, nonce, stamp))["xml"]
        inner = xmltodict.parse(xml)["xml"] if self.compatible else {}
        envelope = {"xml": {"ToUserName": self.account, **inner, "Encrypt": wrapped["Encrypt"]}}
        query |= {"encrypt_type": "aes", "msg_signature": wrapped["MsgSignature"]}
        return urlencode(query), xmltodict.unparse(envelope, full_document=False).encode()

    def verify_query(self, echostr: str, timestamp: int | None = None) -> str:
        stamp, nonce = str(timestamp or int(time.time())), secrets.token_hex(5)
        return urlencode({"signature": signature(self.token, stamp, nonce), "timestamp": stamp, "nonce": nonce,
                          "echostr": echostr})

    def decode(self, body: str) -> str | None:
        """The text of a passive reply (None for `success` / empty), decrypted and its signature checked."""
        if body.strip() in ("", "success"):
            return None
        xml = body
        if self._crypto is not None:
            outer = xmltodict.parse(body)["xml"]
            xml = self._crypto.decrypt_message(body, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        reply = xmltodict.parse(xml)["xml"]
        return str(reply.get("Content") or "")
