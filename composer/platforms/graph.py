"""Meta's Graph API as Threads and Instagram answer it: an error answer mapped to our shared errors
(with Graph's code and subcode kept), and Graph's times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .errors import AuthError, PlatformError, RateLimited, Rejected, TransientError
from .http import body_snippet, retry_after

if TYPE_CHECKING:
    import httpx

AUTH_CODES = {102, 190, 467}
PERMISSION_CODES = {10, *range(200, 300)}
RATE_CODES = {4, 17, 32, 613}
TRANSIENT_CODES = {1, 2}


class GraphError(PlatformError):
    """Marker mix-in data for a Graph API error (the raised object is also an AuthError, Rejected, ...)."""

    code: int | None = None
    subcode: int | None = None

    @property
    def not_ready(self) -> bool:
        """Threads' "the requested resource does not exist" for a container still being made."""
        return self.code == 24 and self.subcode == 4279009

    @property
    def not_found(self) -> bool:
        return self.not_ready or (self.code == 100 and self.subcode == 33)


class _GraphAuth(AuthError, GraphError):
    pass


class _GraphRate(RateLimited, GraphError):
    pass


class _GraphTransient(TransientError, GraphError):
    pass


class _GraphRejected(Rejected, GraphError):
    pass


def graph_error(response: httpx.Response, error: Mapping[str, Any] | None, *, service: str, write: bool,
                what: str, renew: str, scopes: str) -> PlatformError:
    """The shared error for a Graph API error answer of `service` ("Threads", "Instagram");
    `scopes` names what a token needs, for a permission error."""
    status = response.status_code
    code = _int(error.get("code")) if error else None
    subcode = _int(error.get("error_subcode")) if error else None
    message = str(error.get("error_user_msg") or error.get("message") or "") if error else ""
    if error and error.get("error_user_msg") and error.get("message") and error["message"] not in message:
        message = f"{error['message']} — {message}"
    message = message or (body_snippet(response) or "")
    said = f"HTTP {status}" + (f", code {code}" if code is not None else "") + (f": {message}" if message else "")
    later = "The post waits in the outbox and is retried later."
    err: GraphError
    if code in AUTH_CODES or status == 401:
        err = _GraphAuth(f"{service} did not accept the access token ({said}).", hint=renew)
    elif code in PERMISSION_CODES or status == 403:
        err = _GraphAuth(f"{service} says the token may not do this ({said}).", hint=f"The token needs {scopes}. {renew}")
    elif status == 429 or code in RATE_CODES:
        err = _GraphRate(f"{service} asks us to slow down ({said}).", retry_after=retry_after(response), hint=later)
    elif (status >= 500 or (error and error.get("is_transient")) or code in TRANSIENT_CODES or error is None
          or (code == 24 and subcode == 4279009)):
        err = _GraphTransient(f"{service} had a problem with {what} ({said}).", ambiguous=write, hint=later)
    else:
        err = _GraphRejected(f"{service} refused {what} ({said}).", hint=f"Fix what {service} names, then publish again.")
    err.code, err.subcode = code, subcode
    return err


def graph_time(value: Any) -> datetime | None:
    """A Graph time ("2026-12-05T09:30:00+0000", or ISO 8601), None when there is none."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # Graph's "+0000"
        text = text[:-2] + ":" + text[-2:]
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
