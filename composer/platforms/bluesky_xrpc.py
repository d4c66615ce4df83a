"""The AT Protocol's XRPC as a Bluesky PDS answers it: an error answer mapped onto our shared errors,
a JSON answer read, and the PDS named in a session's DID document (the session's plumbing, apart from
the client in bluesky.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from composer import registry

from .errors import AuthError, Rejected, TransientError
from .http import body_snippet, parse_json, slow_down
from .records import now

if TYPE_CHECKING:
    import httpx

LABEL = registry.get("bluesky").label

AUTH_HINT = (
    "Make an app password in Bluesky (Settings → Privacy and security → App passwords) and run "
    "`humane accounts add NAME --platform bluesky` again."
)

AUTH_ERRORS = {
    "ExpiredToken",
    "InvalidToken",
    "AuthMissing",
    "AuthRequired",
    "AuthenticationRequired",
    "AccountTakedown",
    "AccountDeactivated",
    "AuthFactorTokenRequired",
}


def pds_from_did_doc(doc: Any) -> str | None:
    if not isinstance(doc, Mapping):
        return None
    for service in doc.get("service") or []:
        if not isinstance(service, Mapping):
            continue
        sid = str(service.get("id", ""))
        if sid.endswith("#atproto_pds") and isinstance(service.get("serviceEndpoint"), str):
            return service["serviceEndpoint"]
    return None


def xrpc_error(response: httpx.Response) -> tuple[str | None, str | None]:
    """(error name, message) from an XRPC error body; (None, None) when it is not one."""
    data = parse_json(response)
    if not isinstance(data, Mapping):
        return None, None
    name = data.get("error")
    message = data.get("message")
    return (name if isinstance(name, str) else None, message if isinstance(message, str) else None)


def raise_for_xrpc(response: httpx.Response, *, write: bool = False, what: str = "the request") -> None:
    """Map an XRPC answer onto the shared errors; return on 2xx."""
    status = response.status_code
    if status < 400:
        return
    name, message = xrpc_error(response)
    said = message or name or body_snippet(response) or ""
    said_part = f": {said}" if said else ""
    if status == 429 or name == "RateLimitExceeded":
        raise slow_down(response, label=LABEL, said=said_part)
    if status >= 500 or parse_json(response) is None or name is None and status not in (400, 401, 403):
        raise TransientError(
            f"{LABEL} had a problem with {what} (HTTP {status}{said_part}).",
            ambiguous=write,
            hint="The post waits in the outbox and is retried later.",
        )
    if status == 401 or name in AUTH_ERRORS:
        if name == "AuthFactorTokenRequired":
            hint = "Your account asks for an email code at login; an app password does not: use one."
        else:
            hint = AUTH_HINT
        raise AuthError(f"{LABEL} did not accept your credentials (HTTP {status}{said_part}).", hint=hint)
    raise Rejected(f"{LABEL} refused {what} (HTTP {status}{said_part}).")


def json_body(response: httpx.Response, *, write: bool, what: str) -> Mapping[str, Any]:
    data = parse_json(response)
    if not isinstance(data, Mapping):
        raise TransientError(
            f"{LABEL} sent an answer to {what} that is not JSON (HTTP {response.status_code}).",
            ambiguous=write,
            hint="The post waits in the outbox; the retry checks before sending again.",
        )
    return data


def now_iso() -> str:
    """Now as the AT Protocol writes times: UTC, milliseconds, a `Z`."""
    return now().isoformat(timespec="milliseconds").replace("+00:00", "Z")
