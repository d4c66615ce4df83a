"""Shared HTTP plumbing for the platform clients: safe URLs, one configured httpx client,
and the mapping of transport failures and HTTP statuses onto the shared error types.

Rules every client gets from here:
- a credential only ever goes over https, or plain http to a loopback server (tests, local servers);
- redirects are never followed (a redirect could carry the Authorization header to another host);
- every request has a timeout;
- a failure after the request may have reached the server is marked `ambiguous`, so a retry checks first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from composer import __version__, urls

from .errors import AuthError, InsecureURL, RateLimited, Rejected, TransientError
from .untrusted import clean

USER_AGENT = f"humane-composer/{__version__}"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Connect within 10 s, and no single read, write or pool wait longer than 30 s."""

def check_url(url: str, *, what: str = "server", scheme: str = "https", exact: bool = False) -> str:
    """Return `url` without a trailing slash (with `exact`: as it is, for an endpoint a site
    announces: `/micropub/` and `/micropub` may be different resources) if it is safe to send a
    credential to; else raise.

    https (or `scheme`) anywhere; plain http (ws) only to 127.0.0.0/8, ::1 or localhost."""
    raw = url.strip()
    why = urls.problem(raw, scheme)
    if why == "not-an-address":
        raise InsecureURL(
            f"The {what} address {raw!r} is not a web address.",
            hint=f"Write it in full, like {scheme}://example.social.",
        )
    if why == "unencrypted":
        plain = urls.PLAIN.get(scheme, "http")
        raise InsecureURL(
            f"The {what} address {raw!r} uses plain {plain}, which would send your credentials unencrypted.",
            hint=f"Use its {scheme}:// address (plain {plain} is allowed only for servers on this machine).",
        )
    return raw if exact else raw.rstrip("/")


def new_http_client(**kwargs: Any) -> httpx.AsyncClient:
    """The one AsyncClient a run shares across clients: timeouts on, redirects off."""
    kwargs.setdefault("timeout", TIMEOUT)
    kwargs.setdefault("follow_redirects", False)
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    return httpx.AsyncClient(headers=headers, **kwargs)


async def send(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    label: str,
    write: bool = False,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request, turning transport failures into TransientError.

    `label` names the platform in messages ("Mastodon"). `write` marks a request that changes
    something on the server: a failure after it was sent is then `ambiguous`."""
    check_url(url)
    try:
        response = await http.request(method, url, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as err:
        raise TransientError(
            f"Could not reach {label} at {_origin(url)} ({_reason(err)}).",
            hint="Check your connection; the post waits in the outbox and is retried later.",
        ) from None
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as err:
        raise TransientError(
            f"{label} did not answer in full ({_reason(err)}).",
            ambiguous=write,
            hint="It may or may not have been posted; the retry checks before sending again.",
        ) from None
    except httpx.HTTPError as err:
        raise TransientError(f"Talking to {label} failed ({_reason(err)}).", ambiguous=write) from None
    if 300 <= response.status_code < 400:
        location = response.headers.get("location", "another address")
        raise Rejected(
            f"{label} answered with a redirect to {location}; Humane Composer does not follow "
            "redirects with your credentials.",
            hint="Check the server address in your config (is it the API's own address?).",
        )
    return response


CLOCK_SKEW = timedelta(seconds=2)
"""How much earlier than our own record of a try (on the server's clock) a post may be dated and
still be that try's: `Date` headers and our stamps are whole seconds."""


def clock_offset(response: httpx.Response, asked: datetime) -> timedelta | None:
    """How far the server's clock is ahead of ours, from the answer's `Date` header (whole
    seconds); `asked` is when the request went out. None when the server did not say."""
    value = response.headers.get("date")
    if not value:
        return None
    try:
        theirs = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if theirs.tzinfo is None:
        theirs = theirs.replace(tzinfo=UTC)
    mine = asked + (datetime.now(UTC) - asked) / 2
    return theirs - mine


def parse_json(response: httpx.Response) -> Any:
    """The response's JSON, or None when the body is not JSON (an HTML error page, a proxy)."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None


def json_answer(response: httpx.Response, *, who: str, what: str, write: bool, unsure: str, otherwise: str) -> Any:
    """The answer's JSON (an object or a list). Anything else (an HTML page, a proxy's words) is
    a TransientError saying that `who` ("Mastodon at example.social") answered `what` with it:
    ambiguous where the request was a `write`, with the hint `unsure` then, else `otherwise`."""
    data = parse_json(response)
    if not isinstance(data, (dict, list)):
        raise TransientError(
            f"{who} answered {what} with something that is not JSON (HTTP {response.status_code}).",
            ambiguous=write,
            hint=unsure if write else otherwise,
        )
    return data


def retry_after(response: httpx.Response, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait, from Retry-After (seconds or HTTP date) or a rate-limit reset header
    (X-RateLimit-Reset / ratelimit-reset as epoch seconds or ISO-8601)."""
    value = response.headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now())
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    for name in ("x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"):
        value = response.headers.get(name)
        if not value:
            continue
        value = value.strip()
        try:
            number = float(value)
        except ValueError:
            try:
                return max(0.0, datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() - now())
            except ValueError:
                continue
        # A small number is a delay in seconds (IETF draft); a large one an epoch time.
        return max(0.0, number - now()) if number > 10**9 else number
    return None


def raise_for_status(
    response: httpx.Response,
    *,
    label: str,
    detail: str | None,
    write: bool = False,
    auth_hint: str = "",
) -> None:
    """Raise the shared error for an unsuccessful response; do nothing on 2xx.

    `detail` is the server's own message, already extracted from its error body (or None)."""
    status = response.status_code
    if status < 400:
        return
    said = f": {detail}" if detail else ""
    if status == 401 or status == 403 and _looks_like_auth(detail):
        raise AuthError(
            f"{label} did not accept your credentials (HTTP {status}{said}).",
            hint=auth_hint or "Log in again with `humane accounts add`.",
        )
    if status == 429:
        raise slow_down(response, label=label, said=said)
    if status in (408, 425) or status >= 500:
        raise TransientError(
            f"{label} had a problem (HTTP {status}{said}).",
            ambiguous=write,
            hint="The post waits in the outbox and is retried later.",
        )
    raise Rejected(f"{label} refused the request (HTTP {status}{said}).")


def slow_down(response: httpx.Response, *, label: str, said: str) -> RateLimited:
    """The error for a server asking us to slow down (`said`: ": its words", or empty)."""
    wait = retry_after(response)
    when = f" Try again in {int(wait) + 1} s." if wait is not None else ""
    return RateLimited(
        f"{label} asks us to slow down (HTTP {response.status_code}{said}).{when}",
        retry_after=wait,
        hint="The post waits in the outbox and is retried after that.",
    )


def _looks_like_auth(detail: str | None) -> bool:
    text = (detail or "").lower()
    return any(w in text for w in ("token", "auth", "scope", "credential", "login", "expired"))


def body_snippet(response: httpx.Response, limit: int = 120) -> str | None:
    """A short, single-line piece of a non-JSON body (for an HTML error page's title, say),
    cleaned (`untrusted.clean`) before it is cut short."""
    text = response.text.strip()
    if not text:
        return None
    import re

    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if title:
        text = title.group(1)
    text = " ".join(clean(re.sub(r"<[^>]+>", " ", text)).split())
    return text[:limit] + ("…" if len(text) > limit else "") if text else None


def error_detail(response: httpx.Response, *keys: str) -> str | None:
    """The server's message from a JSON error body (the `keys` present, joined), or an HTML
    snippet; cleaned (`untrusted.clean`)."""
    data = parse_json(response)
    if isinstance(data, Mapping):
        parts = []
        for key in keys:
            value = data.get(key)
            if isinstance(value, Mapping):
                value = value.get("message")
            if isinstance(value, str) and value:
                value = clean(value)
                if value not in parts:
                    parts.append(value)
        if parts:
            return " — ".join(parts)
    return body_snippet(response)


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _reason(err: Exception) -> str:
    text = str(err).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
