"""Which web addresses a credential may go to: the secure scheme anywhere, its plain twin (http,
ws) only to this machine (127.0.0.0/8, ::1, localhost). Config validation and the platform
clients both ask here, so the rule is written once."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
PLAIN = {"https": "http", "wss": "ws"}
"""The unencrypted twin of each secure scheme."""


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    import ipaddress  # only when a host is checked: start-up of `humane check` does not pay for it

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def problem(url: str, scheme: str = "https") -> str | None:
    """Why `url` may not carry a credential: "not-an-address" (no scheme of ours or no host),
    "unencrypted" (the plain scheme to another machine); None when it may."""
    plain = PLAIN.get(scheme, "http")
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # a broken IPv6 literal, say
        return "not-an-address"
    if parts.scheme not in (scheme, plain) or not host:
        return "not-an-address"
    if parts.scheme == plain and not is_loopback(host):
        return "unencrypted"
    return None
