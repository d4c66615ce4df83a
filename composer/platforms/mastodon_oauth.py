"""Mastodon's own login, for a writer without a personal access token: the app registered on
the server, then OAuth 2.0's out-of-band code flow with PKCE (platforms.md section 1.1). The
scopes are the narrowest that name the account (`profile` on 4.3+, else `read:accounts`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from .errors import AuthError, Rejected, TransientError
from .http import error_detail, parse_json, raise_for_status, send
from .oauth import pkce
from .records import Ask, Secret

if TYPE_CHECKING:
    import httpx

OOB = "urn:ietf:wg:oauth:2.0:oob"
POST_SCOPES = "write:statuses write:media"
READ_SCOPES = "read:statuses read:notifications"
"""To read the replies (humane replies); a token without them can still publish."""


async def oauth(http: httpx.AsyncClient, base: str, ask: Ask, *, label: str) -> Secret:
    """App registration (`POST /api/v1/apps`) and the out-of-band code flow with PKCE: the writer
    opens the authorize address, approves, and pastes the code the page shows; the token it buys."""
    where = urlsplit(base).netloc

    async def call(method: str, path: str, what: str, **kw: Any) -> Any:
        response = await send(http, method, base + path, label=label, follow_redirects=False, **kw)
        if response.status_code >= 400:
            detail = error_detail(response, "error_description", "error")
            if response.status_code in (400, 401) and path == "/oauth/token":
                raise AuthError(
                    f"{label} at {where} did not accept the code ({detail or response.status_code}).",
                    hint="A code works once and only for a few minutes: log in again and paste the new code.",
                )
            if response.status_code in (404, 405):
                raise Rejected(
                    f"{where} has no {what} (HTTP {response.status_code}).",
                    hint=f"Is {base} the address of a Mastodon server? Or paste a personal access token instead.",
                )
            raise_for_status(response, label=label, detail=detail)
        data = parse_json(response)
        if not isinstance(data, dict):
            raise TransientError(
                f"{label} at {where} answered the {what} request with something that is not JSON.",
                hint=f"Is {base} the address of a Mastodon server?",
            )
        return data

    scopes = f"read:accounts {POST_SCOPES} {READ_SCOPES}"
    try:
        meta = await send(http, "GET", base + "/.well-known/oauth-authorization-server",
                          label=label, follow_redirects=False)
        found = parse_json(meta) if meta.status_code == 200 else None
        if isinstance(found, dict) and "profile" in (found.get("scopes_supported") or []):
            scopes = f"profile {POST_SCOPES} {READ_SCOPES}"  # 4.3+: the narrowest scope that still names the account
    except Rejected:  # a redirect: an older server; keep read:accounts
        pass

    app = await call("POST", "/api/v1/apps", "app registration", json={
        "client_name": "Humane Composer",
        "redirect_uris": OOB,
        "scopes": scopes,
    })
    client_id, client_secret = app.get("client_id"), app.get("client_secret")
    if not isinstance(client_id, str) or not isinstance(client_secret, str):
        raise TransientError(f"{label} at {where} registered the app but sent no client id.",
                             hint="Try again, or paste a personal access token instead.")
    verifier, challenge = pkce()
    url = base + "/oauth/authorize?" + urlencode({
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": OOB,
        "scope": scopes,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    })
    code = ask(
        f"Open this address in your browser, sign in to {where} and approve Humane Composer:\n\n"
        f"  {url}\n\nThen paste the code the page shows",
        False,
    ).strip()
    if not code:
        raise AuthError("No code was pasted, so nothing was saved.", hint="Log in again when you have the code.")
    token = await call("POST", "/oauth/token", "token", data={
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": OOB,
        "code_verifier": verifier,
        "scope": scopes,
    })
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise TransientError(f"{label} at {where} accepted the code but sent no access token.",
                             hint="Log in again.")
    return Secret(access)
