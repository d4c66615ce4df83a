"""A fake Mastodon (and Mastodon-API) server: a real HTTP server on 127.0.0.1 that follows the
documented API closely enough for the client to meet the server's rules, not ours.

What it does, and where the behaviour comes from (see /work/shared/platforms.md, section 1):
- apps, OAuth (authorization code with the out-of-band redirect, PKCE S256 from 4.3), token,
  revoke, and `/.well-known/oauth-authorization-server` (4.3+; `oauth_metadata=False` = older).
  `approve(url)` plays the writer clicking "Authorize" in the browser and returns the code.
- `verify_credentials` with scope checks; 401 `{"error": "The access token is invalid"}`.
- `/api/v2/instance` and `/api/v1/instance` (`v2=False` for servers without v2, `v1=False` too).
- `POST /api/v1/statuses` (form or JSON) with the server's own length rule, counted here
  independently of the app's counter: Mastodon = grapheme clusters of spoiler_text + text, every
  URL with a scheme costs `url_cost`, `@user@domain` counts as `@user`; Pleroma = graphemes in
  full. `in_reply_to_id` must exist (404). Content is rendered to HTML as Mastodon does (links
  split into invisible/ellipsis spans, mentions as `@user`), so a client cannot read its text back
  verbatim.
- Idempotency-Key: Mastodon keeps key -> status for an hour and returns that status on a repeat,
  or answers 500 on a repeat when `repeat_500=True` (mastodon#40399). Flavour "pleroma" caches the
  whole response (any status) per token and key, replays it with `idempotent-replayed: true`, and
  answers 409 while the first request with that key is still running.
- Rate limits as Mastodon's rack-attack does: `X-RateLimit-Limit/-Remaining/-Reset` (ISO-8601) on
  API answers, 429 `{"error": "Too many requests"}` when spent (Mastodon sends no Retry-After
  itself; inject a "status" fault with a Retry-After header for what a proxy adds).
- Account statuses listing (newest first, limit/max_id/since_id, author sees every visibility).
- Dialogue: a status mentioning a local account (`@bob`) makes a `mention` notification for it;
  `GET /api/v1/notifications` (scope read:notifications, `types[]`, limit/max_id/since_id, newest
  first), `GET /api/v1/statuses/:id/context` (ancestors and descendants), `DELETE
  /api/v1/statuses/:id` (the owner only; answers the status with its source `text`) and `PUT
  /api/v1/statuses/:id` (an edit: same id, `edited_at` set, same length rule). `say(user, text,
  in_reply_to=...)` makes a reader's post as the server would.
Faults (latency, 5xx, 429, 401, malformed JSON, HTML pages, drop-after-commit) come from
`FakeServer.inject`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import re
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import regex

from .server import FakeServer, Request, Response, route

OOB = "urn:ietf:wg:oauth:2.0:oob"
INVALID_TOKEN = {"error": "The access token is invalid"}
OUT_OF_SCOPE = {"error": "This action is outside the authorized scopes"}
VISIBILITIES = ("public", "unlisted", "private", "direct")
SCOPES = {
    "read", "write", "push", "follow", "profile",
    "read:accounts", "read:statuses", "read:notifications",
    "write:statuses", "write:media", "write:accounts",
}

# Mastodon's entity rules (Account::MENTION_RE; twitter-text URLs with a scheme).
MENTION_RE = re.compile(r"(?<![=/\w])@(([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@([\w.-]+\w+))?)", re.I)
URL_RE = re.compile(r"(?<![\w@/.])https?://[^\s<>\"]+", re.I)
HASHTAG_RE = re.compile(r"(?<![\w#/])#(\w*[^\W\d_]\w*)")
TRAILING = ".,:;!?'\"*"


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def find_urls(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in URL_RE.finditer(text):
        start, end = m.span()
        url = m.group()
        # Trim trailing punctuation, and a closing bracket that has no opening one inside the URL.
        while url:
            if url[-1] in TRAILING:
                url = url[:-1]
            elif url[-1] == ")" and url.count("(") < url.count(")"):
                url = url[:-1]
            else:
                break
        host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
        if "." in host.strip(".") or host == "localhost":  # twitter-text wants a real domain
            spans.append((start, start + len(url)))
    return spans


def entities(text: str) -> list[tuple[int, int, str, re.Match[str] | None]]:
    """URLs and mentions, overlapping ones removed (Extractor.remove_overlapping_entities)."""
    found: list[tuple[int, int, str, re.Match[str] | None]] = [(s, e, "url", None) for s, e in find_urls(text)]
    found += [(m.start(), m.end(), "mention", m) for m in MENTION_RE.finditer(text)]
    found.sort(key=lambda t: t[0])
    kept: list[tuple[int, int, str, re.Match[str] | None]] = []
    for ent in found:
        if kept and ent[0] < kept[-1][1]:
            continue
        kept.append(ent)
    return kept


def mastodon_length(text: str, spoiler: str, url_cost: int) -> int:
    """StatusLengthValidator: graphemes of spoiler_text + countable_text(text)."""
    if not text.strip():
        countable = ""
    else:
        out, last = [], 0
        for start, end, kind, m in entities(text):
            out.append(text[last:start])
            out.append("x" * url_cost if kind == "url" else "@" + m.group(2))  # type: ignore[union-attr]
            last = end
        out.append(text[last:])
        countable = "".join(out)
    return graphemes(spoiler + countable)


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of an uploaded image, read by Pillow as a server would (0, 0 if unreadable)."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            return im.size
    except Exception:
        return 0, 0


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scope_allows(granted: set[str], needed: str) -> bool:
    """`read` covers `read:*`, `write` covers `write:*`."""
    return needed in granted or needed.split(":")[0] in granted


@dataclass
class App:
    client_id: str
    client_secret: str
    name: str
    redirect_uris: list[str]
    scopes: set[str]


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scopes: set[str]
    username: str
    challenge: str | None
    expires: float
    used: bool = False


@dataclass
class Token:
    token: str
    username: str
    scopes: set[str]
    app: str
    revoked: bool = False


@dataclass
class Account:
    id: str
    username: str
    display_name: str
    privacy: str = "public"
    language: str | None = "en"


@dataclass
class InFlight:
    done: threading.Event = field(default_factory=threading.Event)
    response: Response | None = None
    at: float = field(default_factory=time.time)


class FakeMastodon(FakeServer):
    """`with FakeMastodon() as m: token = m.add_account("alice")` then point a client at `m.url`."""

    def __init__(
        self,
        *,
        flavour: str = "mastodon",
        max_characters: int = 500,
        url_cost: int = 23,
        v2: bool = True,
        v1: bool = True,
        oauth_metadata: bool = True,
        repeat_500: bool = False,
        rate_limit: int = 300,
        commit_delay: float = 0.0,
        idempotency_ttl: float | None = None,
        latency: float = 0.0,
    ) -> None:
        super().__init__(latency=latency)
        assert flavour in ("mastodon", "pleroma")
        self.flavour = flavour
        self.max_characters = max_characters
        self.url_cost = url_cost
        self.v2 = v2
        self.v1 = v1
        self.oauth_metadata = oauth_metadata
        self.repeat_500 = repeat_500
        self.rate_limit = rate_limit
        self.rate_period = 300.0
        self.commit_delay = commit_delay
        """Seconds a status takes to be created (to have a request still in flight)."""
        self.idempotency_ttl = idempotency_ttl if idempotency_ttl is not None else (
            6 * 3600.0 if flavour == "pleroma" else 3600.0
        )
        self.apps: dict[str, App] = {}
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Token] = {}
        self.accounts: dict[str, Account] = {}
        self.statuses: dict[str, dict[str, Any]] = {}
        """id -> stored status (with the raw `text` and `visibility`), in creation order."""
        self.keys: dict[tuple[str, str], tuple[str, float]] = {}
        """Mastodon: (account id, Idempotency-Key) -> (status id, stored at)."""
        self.cached: dict[tuple[str, str], InFlight] = {}
        """Pleroma: (token, Idempotency-Key) -> the first request's answer (or it in flight)."""
        self.hits: dict[str, list[float]] = {}
        self.notifications: list[dict[str, Any]] = []
        """Every notification, oldest first (`account_id` = whom it is for)."""
        self.media: dict[str, dict[str, Any]] = {}
        """id -> uploaded media: its `data` (the bytes received), `mime`, `description`, owner,
        `status_id` once attached, and `pending` (polls still answered 206)."""
        self.media_limits: dict[str, Any] = {}
        """Overrides of `configuration.media_attachments` (and `max_media_attachments`), as a server
        with its own limits announces them."""
        self.media_processing = 0
        """How many times `GET /api/v1/media/:id` answers 206 (still processing) after an upload
        answered 202; 0: uploads answer 200 at once."""
        self._ids = itertools.count(1)
        self._account_ids = itertools.count(1)

    # ------------------------------------------------------------------ test helpers

    def add_account(
        self,
        username: str = "alice",
        *,
        token: str | None = None,
        scopes: str = "read write",
        privacy: str = "public",
        language: str | None = "en",
    ) -> str:
        """Create an account and a personal access token for it; return the token."""
        with self.lock:
            if username not in {a.username for a in self.accounts.values()}:
                aid = str(next(self._account_ids))
                self.accounts[aid] = Account(aid, username, username.capitalize(), privacy, language)
            token = token or secrets.token_urlsafe(32)
            self.tokens[token] = Token(token, username, set(scopes.split()), "Personal token")
            return token

    def revoke(self, token: str) -> None:
        with self.lock:
            self.tokens[token].revoked = True

    def account(self, username: str) -> Account:
        return next(a for a in self.accounts.values() if a.username == username)

    def approve(self, authorize_url: str, username: str = "alice") -> str:
        """The writer signs in and clicks Authorize: check the request, return the displayed code."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        problem = self._authorize_problem(query)
        if problem:
            raise AssertionError(f"the authorize page would refuse this request: {problem}")
        if username not in {a.username for a in self.accounts.values()}:
            self.add_account(username)
        code = secrets.token_urlsafe(32)
        with self.lock:
            self.codes[code] = Code(
                code=code,
                client_id=query["client_id"],
                redirect_uri=query["redirect_uri"],
                scopes=set(query.get("scope", "read").split()),
                username=username,
                challenge=query.get("code_challenge") if self.oauth_metadata else None,
                expires=time.time() + 600,
            )
        return code

    def posts(self, username: str | None = None) -> list[dict[str, Any]]:
        """Stored statuses in creation order (of one account if given)."""
        with self.lock:
            return [s for s in self.statuses.values() if username is None or s["account"]["username"] == username]

    def delete(self, status_id: str) -> None:
        with self.lock:
            del self.statuses[status_id]

    def say(self, username: str, text: str, *, in_reply_to: str | None = None, spoiler: str = "") -> dict[str, Any]:
        """A post by `username` (a reader), made as the API would make it; returns the status."""
        if username not in {a.username for a in self.accounts.values()}:
            self.add_account(username)
        with self.lock:
            parent = self.statuses.get(in_reply_to) if in_reply_to else None
        assert in_reply_to is None or parent is not None, f"no status {in_reply_to}"
        return self._store(self.account(username), text, spoiler=spoiler, visibility="public", parent=parent,
                           language=None, app="Web", key=None, sensitive=False)

    # ------------------------------------------------------------------ plumbing

    def _route(self, req: Request) -> Response:
        if req.path.startswith("/api/"):
            bucket = self._bearer(req) or "anonymous"
            now = time.time()
            with self.lock:
                hits = [t for t in self.hits.get(bucket, []) if t > now - self.rate_period]
                hits.append(now)
                self.hits[bucket] = hits
            reset = iso(hits[0] + self.rate_period)
            headers = {
                "X-RateLimit-Limit": str(self.rate_limit),
                "X-RateLimit-Remaining": str(max(0, self.rate_limit - len(hits))),
                "X-RateLimit-Reset": reset,
            }
            if len(hits) > self.rate_limit:
                return Response(429, {"error": "Too many requests"}, headers)
            response = super()._route(req)
            response.headers = {**headers, **response.headers}
            return response
        return super()._route(req)

    @staticmethod
    def _bearer(req: Request) -> str | None:
        value = req.header("authorization") or ""
        if value[:7].lower() == "bearer ":
            return value[7:].strip()
        return None

    def _auth(self, req: Request, scope: str | None) -> Token | Response:
        token = self.tokens.get(self._bearer(req) or "")
        if token is None or token.revoked:
            return Response(
                401,
                INVALID_TOKEN,
                {"WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token", '
                 'error_description="The access token is invalid"'},
            )
        if scope and not any(scope_allows(token.scopes, s) for s in scope.split("|")):
            return Response(403, OUT_OF_SCOPE)
        return token

    @staticmethod
    def _params(req: Request) -> dict[str, Any] | Response:
        ctype = (req.header("content-type") or "").split(";")[0].strip().lower()
        if not req.body:
            return {k: v[0] for k, v in req.query.items()}
        if ctype == "application/json":
            try:
                data = req.json
            except ValueError:
                return Response(400, {"error": "Error occurred while parsing request parameters"})
            return data if isinstance(data, dict) else Response(400, {"error": "Expected a JSON object"})
        if ctype == "application/x-www-form-urlencoded":
            out: dict[str, Any] = {}
            for k, v in req.form.items():
                out[k[:-2] if k.endswith("[]") else k] = v if k.endswith("[]") else v[0]
            return out
        return Response(415, {"error": f"Unsupported content type {ctype or 'none'}"})

    def _account_json(self, a: Account, *, source: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": a.id,
            "username": a.username,
            "acct": a.username,
            "display_name": a.display_name,
            "locked": False,
            "bot": False,
            "created_at": "2024-01-01T00:00:00.000Z",
            "note": "",
            "url": f"{self.url}/@{a.username}",
            "uri": f"{self.url}/users/{a.username}",
            "avatar": f"{self.url}/avatars/original/missing.png",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": sum(1 for s in self.statuses.values() if s["account"]["id"] == a.id),
        }
        if source:
            data["source"] = {
                "privacy": a.privacy,
                "sensitive": False,
                "language": a.language,
                "note": "",
                "fields": [],
            }
        return data

    # ------------------------------------------------------------------ oauth

    @route("GET", r"/\.well-known/oauth-authorization-server")
    def oauth_metadata_doc(self, req: Request) -> Response:
        if not self.oauth_metadata:
            return Response(404, "<html><head><title>The page you are looking for isn't here.</title></head></html>",
                            {"Content-Type": "text/html"})
        return Response(200, {
            "issuer": self.url + "/",
            "authorization_endpoint": self.url + "/oauth/authorize",
            "token_endpoint": self.url + "/oauth/token",
            "revocation_endpoint": self.url + "/oauth/revoke",
            "userinfo_endpoint": self.url + "/oauth/userinfo",
            "app_registration_endpoint": self.url + "/api/v1/apps",
            "scopes_supported": sorted(SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        })

    @route("POST", r"/api/v1/apps")
    def create_app(self, req: Request) -> Response:
        params = self._params(req)
        if isinstance(params, Response):
            return params
        name = params.get("client_name")
        uris = params.get("redirect_uris")
        if isinstance(uris, str):
            uris = uris.split()
        if not name:
            return Response(422, {"error": "Validation failed: Application name can't be blank"})
        if not uris:
            return Response(422, {"error": "Validation failed: Redirect URI can't be blank"})
        scopes = set(str(params.get("scopes") or "read").split())
        supported = SCOPES if self.oauth_metadata else SCOPES - {"profile"}
        if not scopes <= supported:
            return Response(422, {"error": "Validation failed: Scopes must be one of the supported scopes"})
        app = App(secrets.token_urlsafe(24), secrets.token_urlsafe(32), name, list(uris), scopes)
        with self.lock:
            self.apps[app.client_id] = app
        return Response(200, {
            "id": str(len(self.apps)),
            "name": name,
            "website": params.get("website"),
            "scopes": sorted(scopes),
            "redirect_uri": "\n".join(uris),
            "redirect_uris": list(uris),
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "client_secret_expires_at": 0,
        })

    def _authorize_problem(self, q: dict[str, str]) -> str | None:
        app = self.apps.get(q.get("client_id", ""))
        if app is None:
            return "unknown client_id"
        if q.get("response_type") != "code":
            return "response_type must be code"
        if q.get("redirect_uri") not in app.redirect_uris:
            return "redirect_uri is not one the app registered"
        if not set(q.get("scope", "read").split()) <= app.scopes:
            return "scope asks for more than the app registered"
        if self.oauth_metadata and "code_challenge" in q and q.get("code_challenge_method") != "S256":
            return "code_challenge_method must be S256"
        return None

    @route("GET", r"/oauth/authorize")
    def authorize_page(self, req: Request) -> Response:
        q = {k: v[0] for k, v in req.query.items()}
        problem = self._authorize_problem(q)
        if problem:
            return Response(400, f"<html><head><title>An error has occurred</title></head><body>{html.escape(problem)}</body></html>",
                            {"Content-Type": "text/html"})
        return Response(200, "<html><head><title>Authorization required</title></head>"
                        "<body><form method=post><button>Authorize</button></form></body></html>",
                        {"Content-Type": "text/html"})

    @route("POST", r"/oauth/token")
    def token(self, req: Request) -> Response:
        params = self._params(req)
        if isinstance(params, Response):
            return params
        client_id, client_secret = params.get("client_id"), params.get("client_secret")
        basic = req.header("authorization") or ""
        if basic.lower().startswith("basic "):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        app = self.apps.get(str(client_id))
        if app is None or app.client_secret != client_secret:
            return Response(401, {"error": "invalid_client", "error_description":
                "Client authentication failed due to unknown client, no client authentication included, "
                "or unsupported authentication method."})
        grant = params.get("grant_type")
        invalid_grant = Response(400, {"error": "invalid_grant", "error_description":
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection "
            "URI used in the authorization request, or was issued to another client."})
        if grant == "authorization_code":
            with self.lock:
                code = self.codes.get(str(params.get("code")))
                if (code is None or code.used or code.expires < time.time() or code.client_id != app.client_id
                        or code.redirect_uri != params.get("redirect_uri")):
                    return invalid_grant
                if code.challenge is not None:
                    verifier = str(params.get("code_verifier") or "")
                    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                    if digest != code.challenge:
                        return invalid_grant
                code.used = True
                token = Token(secrets.token_urlsafe(32), code.username, code.scopes, app.name)
                self.tokens[token.token] = token
        elif grant == "client_credentials":
            token = Token(secrets.token_urlsafe(32), "", set(str(params.get("scope") or "read").split()), app.name)
            with self.lock:
                self.tokens[token.token] = token
        else:
            return Response(400, {"error": "unsupported_grant_type", "error_description":
                "The authorization grant type is not supported by the authorization server."})
        return Response(200, {"access_token": token.token, "token_type": "Bearer",
                              "scope": " ".join(sorted(token.scopes)), "created_at": int(time.time())})

    @route("POST", r"/oauth/revoke")
    def revoke_token(self, req: Request) -> Response:
        params = self._params(req)
        if isinstance(params, Response):
            return params
        with self.lock:
            token = self.tokens.get(str(params.get("token")))
            if token is not None:
                token.revoked = True
        return Response(200, {})

    # ------------------------------------------------------------------ accounts, instance

    @route("GET", r"/api/v1/accounts/verify_credentials")
    def verify_credentials(self, req: Request) -> Response:
        token = self._auth(req, "read:accounts|profile")
        if isinstance(token, Response):
            return token
        if not token.username:
            return Response(422, {"error": "This method requires an authenticated user"})
        return Response(200, self._account_json(self.account(token.username), source=True))

    def _configuration(self) -> dict[str, Any]:
        return {
            "urls": {"streaming": self.url.replace("http", "ws", 1)},
            "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
            "statuses": {
                "max_characters": self.max_characters,
                "max_media_attachments": self.media_limits.get("max_media_attachments", 4),
                "characters_reserved_per_url": self.url_cost,
            },
            "media_attachments": {
                "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp"],
                "description_limit": 1500,
                "image_size_limit": 16777216,
                "image_matrix_limit": 33177600,
                "video_size_limit": 103809024,
                **{k: v for k, v in self.media_limits.items() if k != "max_media_attachments"},
            },
            "polls": {"max_options": 4, "max_characters_per_option": 50},
        }

    @route("GET", r"/api/v2/instance")
    def instance_v2(self, req: Request) -> Response:
        if not self.v2 or self.flavour == "pleroma":
            return self.not_found(req)
        return Response(200, {
            "domain": urlsplit(self.url).netloc,
            "title": "Fake Mastodon",
            "version": "4.4.0",
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "A fake server for tests",
            "usage": {"users": {"active_month": len(self.accounts)}},
            "configuration": self._configuration(),
            "registrations": {"enabled": False, "approval_required": False},
            "api_versions": {"mastodon": 6},
            "contact": {"email": "admin@example.invalid"},
            "rules": [],
        })

    @route("GET", r"/api/v1/instance")
    def instance_v1(self, req: Request) -> Response:
        if not self.v1:
            return self.not_found(req)
        data: dict[str, Any] = {
            "uri": urlsplit(self.url).netloc,
            "title": "Fake server",
            "short_description": "",
            "description": "",
            "email": "admin@example.invalid",
            "stats": {"user_count": len(self.accounts), "status_count": len(self.statuses), "domain_count": 1},
        }
        if self.flavour == "pleroma":
            data["version"] = "2.7.2 (compatible; Pleroma 2.6.2)"
            data["max_toot_chars"] = self.max_characters
            data["pleroma"] = {"metadata": {"features": ["mastodon_api"]}}
        else:
            data["version"] = "4.1.0"
            data["configuration"] = self._configuration()
        return Response(200, data)

    # ------------------------------------------------------------------ statuses

    def _render(self, text: str) -> str:
        """Plain text to HTML the way the server formats it (TextFormatter / Pleroma's formatter)."""
        if self.flavour == "pleroma":
            out, last = [], 0
            for start, end, kind, _ in entities(text):
                out.append(html.escape(text[last:start], quote=False))
                piece = text[start:end]
                out.append(f'<a href="{html.escape(piece)}" rel="ugc">{html.escape(piece)}</a>' if kind == "url"
                           else html.escape(piece))
                last = end
            out.append(html.escape(text[last:], quote=False))
            return "".join(out).replace("\n", "<br/>")
        known = {a.username.lower(): a for a in self.accounts.values()}
        host = urlsplit(self.url).netloc
        out, last = [], 0
        for start, end, kind, m in entities(text):
            out.append(self._plain_html(text[last:start]))
            piece = text[start:end]
            if kind == "url":
                scheme, rest = piece.split("://", 1)
                shown, hidden = (rest[:30], rest[30:]) if len(rest) > 30 else (rest, "")
                out.append(
                    f'<a href="{html.escape(piece)}" target="_blank" rel="nofollow noopener" translate="no">'
                    f'<span class="invisible">{scheme}://</span>'
                    f'<span class="{"ellipsis" if hidden else ""}">{html.escape(shown)}</span>'
                    f'<span class="invisible">{html.escape(hidden)}</span></a>'
                )
            else:
                assert m is not None
                user, domain = m.group(2), m.group(3)
                account = known.get(user.lower())
                if account is not None and (domain is None or domain.lower() == host.lower()):
                    out.append(
                        f'<span class="h-card" translate="no"><a href="{self.url}/@{account.username}" '
                        f'class="u-url mention">@<span>{account.username}</span></a></span>'
                    )
                else:  # an account the server cannot resolve stays plain text
                    out.append(html.escape(piece, quote=False))
            last = end
        out.append(self._plain_html(text[last:]))
        body = "".join(out).strip("\n")
        paragraphs = re.split(r"\n\s*\n", body)
        return "".join(f"<p>{p.replace(chr(10), '<br />')}</p>" for p in paragraphs if p.strip())

    def _plain_html(self, text: str) -> str:
        def tag(m: re.Match[str]) -> str:
            return (f'<a href="{self.url}/tags/{m.group(1).lower()}" class="mention hashtag" rel="tag">'
                    f'#<span>{m.group(1)}</span></a>')

        return HASHTAG_RE.sub(tag, html.escape(text, quote=False))

    def _status_json(self, s: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in s.items() if k not in ("text", "idempotency_key")}

    @route("POST", r"/api/v1/statuses")
    def create_status(self, req: Request) -> Response:
        token = self._auth(req, "write:statuses")
        if isinstance(token, Response):
            return token
        key = req.header("idempotency-key")
        if self.flavour == "pleroma" and key:
            return self._pleroma_idempotent(req, token, key)
        if key:
            account = self.account(token.username)
            with self.lock:
                stored = self.keys.get((account.id, key))
                if stored and stored[1] > time.time() - self.idempotency_ttl:
                    if self.repeat_500:  # mastodon#40399: the repeat is noticed, then fails
                        return Response(500, {"error": "We're sorry, but something went wrong on our end."})
                    status = self.statuses.get(stored[0])
                    if status is not None:
                        return Response(200, self._status_json(status))
        return self._create(req, token, key)

    def _pleroma_idempotent(self, req: Request, token: Token, key: str) -> Response:
        cache_key = (token.token, key)
        with self.lock:
            entry = self.cached.get(cache_key)
            if entry is not None and entry.at < time.time() - self.idempotency_ttl:
                entry = None
            if entry is None:
                entry = self.cached[cache_key] = InFlight()
                mine = True
            else:
                mine = False
        if not mine:
            if not entry.done.is_set():
                return Response(409, {"error": "An identical request is still being processed"})
            assert entry.response is not None
            replay = entry.response
            return Response(replay.status, replay.body, {**replay.headers, "idempotent-replayed": "true",
                                                        "idempotency-key": key})
        response = self._create(req, token, key)
        entry.response = Response(response.status, response.body, {})
        entry.done.set()
        response.headers = {**response.headers, "idempotency-key": key}
        return response

    def _create(self, req: Request, token: Token, key: str | None) -> Response:
        params = self._params(req)
        if isinstance(params, Response):
            return params
        if self.flavour == "pleroma":
            nulls = [k for k, v in params.items() if v is None]
            if nulls:
                return Response(400, {"error": f"{nulls[0]}: null value where string expected"})
        text = str(params.get("status") or "")
        spoiler = str(params.get("spoiler_text") or "")
        visibility = params.get("visibility") or self.account(token.username).privacy
        if visibility not in VISIBILITIES:
            return Response(422, {"error": "Validation failed: Visibility is not included in the list"})
        media_ids = params.get("media_ids") or []
        if isinstance(media_ids, str):
            media_ids = [media_ids]
        if len(media_ids) > self.media_limits.get("max_media_attachments", 4):
            return Response(422, {"error": "Validation failed: Media attachments Cannot attach more than 4 files"})
        attached = []
        with self.lock:
            for mid in media_ids:
                media = self.media.get(str(mid))
                if media is None or media["owner"] != token.username or media["status_id"] is not None:
                    return Response(422, {"error": "Validation failed: Media attachments are invalid"})
                if media["pending"] > 0:
                    return Response(422, {"error": "Cannot attach files that have not finished processing. Try again in a moment!"})
                attached.append(media)
        if not text.strip() and not attached:
            return Response(422, {"error": "Validation failed: Text can't be blank"})
        if self.flavour == "pleroma":
            if graphemes(text + spoiler) > self.max_characters:
                return Response(422, {"error": "The status is over the character limit"})
        elif mastodon_length(text, spoiler, self.url_cost) > self.max_characters:
            return Response(422, {"error": f"Validation failed: Text character limit of {self.max_characters} exceeded"})
        reply_to = params.get("in_reply_to_id") or None
        parent = None
        if reply_to is not None:
            with self.lock:
                parent = self.statuses.get(str(reply_to))
            if parent is None:
                return Response(404, {"error": "Record not found"})
        if self.commit_delay:
            time.sleep(self.commit_delay)
        status = self._store(
            self.account(token.username), text, spoiler=spoiler, visibility=visibility, parent=parent,
            language=params.get("language"), app=token.app, key=key,
            sensitive=str(params.get("sensitive")).lower() == "true", attached=attached,
        )
        return Response(200, self._status_json(status))

    def _mentioned(self, text: str) -> list[Account]:
        host = (urlsplit(self.url).hostname or "").lower()  # a server's domain has no port
        known = {a.username.lower(): a for a in self.accounts.values()}
        out: list[Account] = []
        for m in MENTION_RE.finditer(text):
            account = known.get(m.group(2).lower())
            if account is not None and (m.group(3) is None or m.group(3).lower() == host) and account not in out:
                out.append(account)
        return out

    def _store(
        self, account: Account, text: str, *, spoiler: str, visibility: str, parent: dict[str, Any] | None,
        language: str | None, app: str, key: str | None, sensitive: bool,
        attached: Sequence[dict[str, Any]] = (),
    ) -> dict[str, Any]:
        with self.lock:
            sid = str(((int(time.time() * 1000)) << 16) + next(self._ids))
            status = {
                "id": sid,
                "created_at": iso(time.time()),
                "in_reply_to_id": parent["id"] if parent else None,
                "in_reply_to_account_id": parent["account"]["id"] if parent else None,
                "sensitive": bool(spoiler) or sensitive,
                "spoiler_text": spoiler,
                "visibility": visibility,
                "language": language or account.language,
                "uri": f"{self.url}/users/{account.username}/statuses/{sid}",
                "url": f"{self.url}/@{account.username}/{sid}",
                "replies_count": 0,
                "reblogs_count": 0,
                "favourites_count": 0,
                "edited_at": None,
                "content": self._render(text),
                "reblog": None,
                "application": {"name": app, "website": None},
                "account": self._account_json(account),
                "media_attachments": [self._media_json(m) for m in attached],
                "mentions": [{"id": a.id, "username": a.username, "acct": a.username,
                              "url": f"{self.url}/@{a.username}"} for a in self._mentioned(text)],
                "tags": [],
                "emojis": [],
                "card": None,
                "poll": None,
                "text": text,
                "idempotency_key": key,
            }
            self.statuses[sid] = status
            for m in attached:
                m["status_id"] = sid
            if parent is not None:
                parent["replies_count"] += 1
            if key and self.flavour == "mastodon":
                self.keys[(account.id, key)] = (sid, time.time())
            for other in self._mentioned(text):
                if other.id != account.id:
                    self.notifications.append({
                        "id": str(next(self._ids)), "type": "mention", "created_at": status["created_at"],
                        "account_id": other.id, "account": self._account_json(account), "status_id": sid,
                    })
        return status

    # ------------------------------------------------------------------ media

    def _media_json(self, m: dict[str, Any]) -> dict[str, Any]:
        done = m["pending"] <= 0
        return {
            "id": m["id"],
            "type": "image",
            "url": f"{self.url}/system/media/{m['id']}.{m['mime'].split('/')[-1]}" if done else None,
            "preview_url": f"{self.url}/system/media/small/{m['id']}.jpg",
            "remote_url": None,
            "meta": {"original": {"width": m["width"], "height": m["height"]}} if done else {},
            "description": m["description"],
            "blurhash": None,
        }

    @route("POST", r"/api/v2/media")
    def upload_media(self, req: Request) -> Response:
        token = self._auth(req, "write:media")
        if isinstance(token, Response):
            return token
        fields = req.multipart
        if "file" not in fields:
            return Response(422, {"error": "Validation failed: File can't be blank"})
        _, mime, data = fields["file"]
        description = fields.get("description", (None, "", b""))[2].decode("utf-8")
        config = self._configuration()["media_attachments"]
        if graphemes(description) > config["description_limit"]:
            return Response(422, {"error": f"Validation failed: Description is too long (maximum is {config['description_limit']} characters)"})
        if mime not in config["supported_mime_types"]:
            return Response(422, {"error": "Validation failed: File content type is invalid"})
        if len(data) > config["image_size_limit"]:
            return Response(422, {"error": "Validation failed: File file size must be less than 16 MB"})
        width, height = image_size(data)
        if width * height > config["image_matrix_limit"]:
            return Response(422, {"error": "Validation failed: File dimensions are too large"})
        with self.lock:
            mid = str(next(self._ids) + 10_000)
            media = {"id": mid, "mime": mime, "data": data, "description": description, "width": width,
                     "height": height, "owner": token.username, "status_id": None, "pending": self.media_processing}
            self.media[mid] = media
        return Response(202 if media["pending"] else 200, self._media_json(media))

    @route("GET", r"/api/v1/media/(?P<id>[^/]+)")
    def get_media(self, req: Request) -> Response:
        token = self._auth(req, "read|write:media")
        if isinstance(token, Response):
            return token
        assert req.match is not None
        with self.lock:
            media = self.media.get(req.match["id"])
            if media is None or media["owner"] != token.username:
                return Response(404, {"error": "Record not found"})
            if media["pending"] > 0:
                media["pending"] -= 1
                return Response(206, self._media_json({**media, "pending": 1}))
        return Response(200, self._media_json(media))

    @route("GET", r"/api/v1/statuses/(?P<id>[^/]+)")
    def get_status(self, req: Request) -> Response:
        assert req.match is not None
        with self.lock:
            status = self.statuses.get(req.match["id"])
        if status is None:
            return self.not_found(req)
        return Response(200, self._status_json(status))

    @route("GET", r"/api/v1/statuses/(?P<id>[^/]+)/context")
    def status_context(self, req: Request) -> Response:
        assert req.match is not None
        if self._bearer(req) is not None:
            auth = self._auth(req, "read:statuses")
            if isinstance(auth, Response):
                return auth
        with self.lock:
            status = self.statuses.get(req.match["id"])
            if status is None:
                return self.not_found(req)
            ancestors, parent = [], self.statuses.get(status["in_reply_to_id"] or "")
            while parent is not None:
                ancestors.insert(0, parent)
                parent = self.statuses.get(parent["in_reply_to_id"] or "")
            descendants, frontier = [], [status["id"]]
            while frontier:  # depth first, in creation order, as Mastodon lists them
                current = frontier.pop(0)
                children = [s for s in self.statuses.values() if s["in_reply_to_id"] == current]
                descendants.extend(children)
                frontier = [c["id"] for c in children] + frontier
        return Response(200, {"ancestors": [self._status_json(s) for s in ancestors],
                              "descendants": [self._status_json(s) for s in descendants]})

    def _own(self, req: Request) -> tuple[Token, dict[str, Any]] | Response:
        token = self._auth(req, "write:statuses")
        if isinstance(token, Response):
            return token
        assert req.match is not None
        with self.lock:
            status = self.statuses.get(req.match["id"])
        if status is None or status["account"]["username"] != token.username:
            return self.not_found(req)
        return token, status

    @route("DELETE", r"/api/v1/statuses/(?P<id>[^/]+)")
    def delete_status(self, req: Request) -> Response:
        found = self._own(req)
        if isinstance(found, Response):
            return found
        _token, status = found
        with self.lock:
            self.statuses.pop(status["id"], None)
            self.notifications = [n for n in self.notifications if n["status_id"] != status["id"]]
        return Response(200, {**self._status_json(status), "text": status["text"]})

    @route("PUT", r"/api/v1/statuses/(?P<id>[^/]+)")
    def edit_status(self, req: Request) -> Response:
        found = self._own(req)
        if isinstance(found, Response):
            return found
        _token, status = found
        params = self._params(req)
        if isinstance(params, Response):
            return params
        text = str(params.get("status") or "")
        spoiler = str(params.get("spoiler_text") or "")
        if not text.strip():
            return Response(422, {"error": "Validation failed: Text can't be blank"})
        if mastodon_length(text, spoiler, self.url_cost) > self.max_characters:
            return Response(422, {"error": f"Validation failed: Text character limit of {self.max_characters} exceeded"})
        with self.lock:
            status.update(text=text, spoiler_text=spoiler, content=self._render(text), edited_at=iso(time.time()))
            if params.get("language"):
                status["language"] = params["language"]
        return Response(200, self._status_json(status))

    @route("GET", r"/api/v1/notifications")
    def list_notifications(self, req: Request) -> Response:
        token = self._auth(req, "read:notifications")
        if isinstance(token, Response):
            return token
        me = self.account(token.username)
        types = req.query.get("types[]") or req.query.get("types")
        q = {k: v[0] for k, v in req.query.items()}
        try:
            limit = min(max(int(q.get("limit", "40")), 1), 80)
        except ValueError:
            limit = 40
        with self.lock:
            mine = [n for n in self.notifications if n["account_id"] == me.id and (not types or n["type"] in types)]
            mine = [n for n in mine if n["status_id"] in self.statuses]
            out = [{"id": n["id"], "type": n["type"], "created_at": n["created_at"], "account": n["account"],
                    "status": self._status_json(self.statuses[n["status_id"]])} for n in reversed(mine)]
        if "max_id" in q:
            out = [n for n in out if int(n["id"]) < int(q["max_id"])]
        if "since_id" in q:
            out = [n for n in out if int(n["id"]) > int(q["since_id"])]
        return Response(200, out[:limit])

    @route("GET", r"/api/v1/accounts/(?P<id>[^/]+)/statuses")
    def account_statuses(self, req: Request) -> Response:
        assert req.match is not None
        account = self.accounts.get(req.match["id"])
        if account is None:
            return self.not_found(req)
        viewer: Token | None = None
        if self._bearer(req) is not None:
            auth = self._auth(req, "read:statuses")
            if isinstance(auth, Response):
                return auth
            viewer = auth
        q = {k: v[0] for k, v in req.query.items()}
        try:
            limit = min(max(int(q.get("limit", "20")), 1), 40)
        except ValueError:
            limit = 20
        author = viewer is not None and viewer.username == account.username
        with self.lock:
            mine = [s for s in self.statuses.values() if s["account"]["id"] == account.id]
        mine.sort(key=lambda s: int(s["id"]), reverse=True)
        if not author:
            mine = [s for s in mine if s["visibility"] in ("public", "unlisted")]
        if q.get("exclude_replies") in ("true", "1"):
            mine = [s for s in mine if s["in_reply_to_id"] is None]
        if "max_id" in q:
            mine = [s for s in mine if int(s["id"]) < int(q["max_id"])]
        if "since_id" in q:
            mine = [s for s in mine if int(s["id"]) > int(q["since_id"])]
        page = mine[:limit]
        headers = {}
        if page:
            base = f"{self.url}/api/v1/accounts/{account.id}/statuses"
            headers["Link"] = (f'<{base}?limit={limit}&max_id={page[-1]["id"]}>; rel="next", '
                               f'<{base}?limit={limit}&min_id={page[0]["id"]}>; rel="prev"')
        return Response(200, [self._status_json(s) for s in page], headers)
