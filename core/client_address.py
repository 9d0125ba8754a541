"""The web client's address, which per-caller limits count (identity checks, knowledge API): only
our own proxies may set X-Forwarded-For."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from starlette.requests import Request

from core.config import get_settings


def client_address(request: Request) -> str | None:
    """The web client's address: the peer, or X-Forwarded-For's last untrusted hop behind our proxies."""
    peer = request.client.host if request.client else None
    trusted = _trusted_proxies(get_settings().trusted_proxies)
    if peer is None or not _is_in(peer, trusted):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):  # the right-most hop not added by our own proxies is the client
        if not _is_in(hop, trusted):
            return hop
    return hops[0] if hops else peer


@lru_cache
def _trusted_proxies(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def _is_in(address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
