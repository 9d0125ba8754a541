"""WeChat's callback protocol: signatures, the timestamp window, plain / compatible / safe (AES)
mode, XML parsed only after defusedxml refused DTDs and entities (no XXE, no entity bombs), and
passive replies (encrypted again in AES mode)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature


class Refused(Exception):
    """Not from WeChat (signature, decryption, stale timestamp): 403, nothing processed."""


class Malformed(Exception):
    """From WeChat's side of the signature, but not a message we can read: 400."""


@dataclass(frozen=True)
class Callback:
    signature: str
    timestamp: str
    nonce: str
    encrypt_type: str | None = None
    msg_signature: str | None = None

    @property
    def encrypted(self) -> bool:
        return (self.encrypt_type or "raw").lower() == "aes"


class Protocol:
    def __init__(self, token: str, appid: str, aes_key: str | None, timestamp_window: int) -> None:
        self.token = token
        self.window = timestamp_window
        self.crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None

    def verify(self, callback: Callback, now: float | None = None) -> None:
        try:
            check_signature(self.token, callback.signature, callback.timestamp, callback.nonce)
        except InvalidSignatureException:
            raise Refused("bad signature") from None
        try:
            stamp = int(callback.timestamp)
        except ValueError:
            raise Refused("timestamp is not a number") from None
        if abs((now or time.time()) - stamp) > self.window:
            raise Refused("timestamp outside the window")

    def read(self, callback: Callback, body: bytes) -> BaseMessage:
        """The message of a verified callback."""
        _check_xml(body)
        try:
            xml = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("body is not UTF-8") from None
        if callback.encrypted:
            if self.crypto is None:
                raise Refused("encrypted message but no WECHAT_AES_KEY")
            if not callback.msg_signature:
                raise Refused("encrypted message without msg_signature")
            try:
                xml = self.crypto.decrypt_message(xml, callback.msg_signature, callback.timestamp, callback.nonce)
            except (InvalidSignatureException, InvalidAppIdException):
                raise Refused("bad msg_signature or appid") from None
            except KeyError:
                raise Malformed("no Encrypt element") from None
            except Exception:  # bad base64, padding, key: not made with our key
                raise Refused("cannot decrypt") from None
            _check_xml(xml.encode("utf-8"))
        try:
            return parse_message(xml)
        except Exception:
            raise Malformed("not a WeChat message") from None

    def reply(self, callback: Callback, message: BaseMessage, text: str) -> str:
        xml = TextReply(message=message, content=text).render()
        if callback.encrypted and self.crypto is not None:
            return self.crypto.encrypt_message(xml, callback.nonce, str(int(time.time())))
        return xml


def _check_xml(body: bytes) -> None:
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, SyntaxError, ValueError, UnicodeError) as exc:
        raise Malformed(f"malformed or unsafe XML: {type(exc).__name__}") from None
    if root.tag != "xml":
        raise Malformed("root element is not <xml>")
