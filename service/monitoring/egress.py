"""Where the service may send webhooks: public addresses only, plus the networks the operator allows.

Checked when a webhook is registered and again before every delivery, on the addresses the name resolves
to then (a name may point elsewhere by the time an event is sent: DNS rebinding); the connection then goes to
the very address that was checked, with the original host name in `Host` and in TLS (SNI and certificate
check). The host is resolved as the HTTP client would (`127.1`, `2130706433`, `0x7f000001` are 127.0.0.1),
and an IPv4 address inside IPv6 (`::ffff:127.0.0.1`, 6to4, NAT64) is judged as that IPv4 address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]  # host, port -> addresses as text
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
NOT_ALLOWED = "the URL's host must resolve to public addresses only (not loopback, private, link-local or reserved)"


class EgressRefusedError(ValueError):
    """The URL may not be called; the message is safe to show the tenant (no resolved address in it)."""


def system_resolver(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


@dataclass(frozen=True)
class Target:
    url: str  # the checked address in place of the host name
    host: str  # for the Host header
    sni: str | None  # for TLS: the name the certificate must carry


@dataclass(frozen=True)
class EgressPolicy:
    allowed: tuple[IPNetwork, ...] = ()
    resolver: Resolver = system_resolver

    @classmethod
    def from_setting(cls, networks: str, resolver: Resolver = system_resolver) -> EgressPolicy:
        """`networks`: comma-separated CIDRs (FLRISK_WEBHOOK_ALLOWED_NETWORKS); ValueError when one is not."""
        parsed = tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks.split(",") if n.strip())
        return cls(parsed, resolver)

    def permitted(self, address: IPAddress) -> bool:
        judged = _embedded_ipv4(address) or address
        if judged.is_unspecified or judged.is_multicast:
            return False
        return judged.is_global or any(judged in network for network in self.allowed)

    def check(self, url: str) -> Target:
        """The address to connect to for `url`; EgressRefusedError when any address of its host is not allowed."""
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise EgressRefusedError("only http and https URLs with a host are allowed")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in self.resolver(parsed.host, port)]
        except (OSError, UnicodeError, ValueError):
            found = []
        if not found or not all(self.permitted(a) for a in found):
            raise EgressRefusedError(NOT_ALLOWED)
        host_header = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
        if ":" in parsed.host:
            host_header = f"[{parsed.host}]" + (f":{parsed.port}" if parsed.port else "")
        sni = parsed.host if parsed.scheme == "https" and not _is_literal(parsed.host) else None
        return Target(url=str(parsed.copy_with(host=str(found[0]))), host=host_header, sni=sni)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
