"""A fake X API v2 on 127.0.0.1 (/work/shared/platforms.md §5; docs.x.com: Manage Posts, Users
lookup, User Posts timeline, OAuth 2.0 Authorization Code Flow with PKCE):

- OAuth 2.0: `add_app(confidential=False)` registers an app (client id, and a client secret for a
  confidential one). `approve(authorize_url)` plays the writer approving it in the browser: it checks
  the parameters (response_type=code, the app's client id, S256 challenge, scopes) and answers the
  address the browser is sent to (`redirect_uri?state=…&code=…`). `POST /2/oauth2/token`:
  `grant_type=authorization_code` (code once, same redirect_uri, the PKCE verifier must hash to the
  challenge) or `refresh_token`; a confidential app must authenticate with Basic auth, a public one
  sends `client_id`. Every answer is `{token_type, expires_in: 7200, access_token, scope,
  refresh_token}` and **rotates** the refresh token: the old one is dead at once (400
  `invalid_request` "Value passed for the token was invalid."). `tokens_for(user)` makes a pair
  without the browser; `expire(access)` ends an access token early.
- `GET /2/users/me` → `{"data": {id, name, username}}`; a missing, unknown or expired token → 401
  `{"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}`.
- `POST /2/tweets {"text", "reply": {"in_reply_to_tweet_id"}}` → 201 `{"data": {"id", "text",
  "edit_history_tweet_ids"}}`. Enforced: text present and at most 280 weighted characters
  (twitter-text v3 weights, links 23); a reply to a post that does not exist → 400 invalid request;
  the same text as one of the user's posts → 403 "You are not allowed to create a Tweet with duplicate
  content." (as X answers; the existing id is not given).
- `GET /2/users/:id/tweets?max_results&start_time&tweet.fields` → the user's posts newest first,
  `text` as X returns it (`&`, `<`, `>` as entities, links rewritten to https://t.co/…), with
  `created_at` and `referenced_tweets` (`replied_to`) when asked. `hidden_from_timeline(id)` keeps a
  post out of it (X's timeline lags behind sometimes).
- `POST /2/media/upload` (multipart `media`, `media_category=tweet_image`, at most 5 MB; scope
  media.write) → `{"data": {id, media_key, expires_after_secs}}`; `POST /2/media/metadata {id,
  metadata.alt_text.text}` (≤ 1,000); a post's `media.media_ids` must be the user's uploads (≤ 4),
  and its text in the timeline ends with the photos' t.co link, as X shows it.
- Faults from `FakeServer.inject` (latency, 5xx, 429, 401, malformed JSON, HTML, drop-after-commit);
  `rate_limit()` answers 429 with `x-rate-limit-reset` (X sends no Retry-After).
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .server import FakeServer, Request, Response, route

URL = re.compile(r"https?://\S+", re.I)
UNAUTHORIZED = Response(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})


def weighted(text: str) -> int:
    total = 0
    pos = 0
    for m in list(URL.finditer(text)) + [None]:
        end = len(text) if m is None else m.start()
        for ch in text[pos:end]:
            c = ord(ch)
            light = c <= 0x10FF or 0x2000 <= c <= 0x200D or 0x2010 <= c <= 0x201F or 0x2032 <= c <= 0x2037
            total += 1 if light else 2
        if m is not None:
            total, pos = total + 23, m.end()
    return total


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    return Response(status, {"title": title, "type": "about:blank", "status": status, "detail": detail, **extra})


class FakeX(FakeServer):
    def __init__(self, *, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.users = {"1500000000000000001": {"id": "1500000000000000001", "name": "Alice Gardener", "username": "alice_grows"}}
        self.apps: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.access: dict[str, dict[str, Any]] = {}
        self.refresh: dict[str, dict[str, Any]] = {}
        self.tweets: list[dict[str, Any]] = []
        self.media: dict[str, dict[str, Any]] = {}
        self.hidden: set[str] = set()
        self.refreshes = 0
        self._ids = itertools.count(1860000000000000001)

    @property
    def user(self) -> dict[str, Any]:
        return next(iter(self.users.values()))

    # ------------------------------------------------------------------ OAuth 2.0

    def add_app(self, *, confidential: bool = False) -> tuple[str, str | None]:
        client_id = base64.urlsafe_b64encode(secrets.token_bytes(18)).decode().rstrip("=")
        secret = secrets.token_urlsafe(36) if confidential else None
        with self.lock:
            self.apps[client_id] = {"secret": secret}
        return client_id, secret

    def approve(self, authorize_url: str) -> str:
        q = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        assert q["response_type"] == "code" and q["client_id"] in self.apps, q
        assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) == 43, q
        assert set(q["scope"].split()) >= {"tweet.write", "users.read", "offline.access"}, q
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {**q, "user": self.user["id"]}
        return q["redirect_uri"] + "?" + urlencode({"state": q["state"], "code": code})

    def _issue(self, user: str, client_id: str, scope: str = "tweet.read tweet.write users.read media.write offline.access") -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(60), secrets.token_urlsafe(60)
        with self.lock:
            self.access[access] = {"user": user, "expires": time.time() + 7200, "scope": set(scope.split())}
            self.refresh[refresh] = {"user": user, "client_id": client_id}
        return {"token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": scope,
                "refresh_token": refresh}

    def tokens_for(self, client_id: str) -> tuple[str, str]:
        issued = self._issue(self.user["id"], client_id)
        return issued["access_token"], issued["refresh_token"]

    def expire(self, access: str) -> None:
        with self.lock:
            self.access[access]["expires"] = 0

    @route("POST", r"/2/oauth2/token")
    def token(self, req: Request) -> Response:
        form = {k: v[0] for k, v in req.form.items()}
        client_id = form.get("client_id", "")
        basic = req.header("authorization") or ""
        if basic.lower().startswith("basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            app = self.apps.get(client_id)
            if app is None or app["secret"] != secret:
                return Response(401, {"error": "unauthorized_client", "error_description": "Missing valid authorization header"})
        else:
            app = self.apps.get(client_id)
            if app is None or app["secret"] is not None:
                return Response(401, {"error": "unauthorized_client", "error_description": "Missing valid authorization header"})
        invalid = Response(400, {"error": "invalid_request", "error_description": "Value passed for the token was invalid."})
        with self.lock:
            if form.get("grant_type") == "authorization_code":
                grant = self.codes.pop(form.get("code", ""), None)
                if grant is None or grant["client_id"] != client_id or grant["redirect_uri"] != form.get("redirect_uri"):
                    return invalid
                verifier = form.get("code_verifier", "")
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if challenge != grant["code_challenge"]:
                    return invalid
                return Response(200, self._issue(grant["user"], client_id, grant["scope"]))
            if form.get("grant_type") == "refresh_token":
                held = self.refresh.pop(form.get("refresh_token", ""), None)  # single use: rotated
                if held is None or held["client_id"] != client_id:
                    return invalid
                self.refreshes += 1
                return Response(200, self._issue(held["user"], client_id))
        return Response(400, {"error": "unsupported_grant_type", "error_description": "grant_type not supported"})

    # ------------------------------------------------------------------ API

    def _user_of(self, req: Request) -> dict[str, Any] | None:
        value = req.header("authorization") or ""
        token = value[7:] if value[:7].lower() == "bearer " else ""
        held = self.access.get(token)
        if held is None or held["expires"] < time.time():
            return None
        return self.users.get(held["user"])

    @route("GET", r"/2/users/me")
    def me(self, req: Request) -> Response:
        user = self._user_of(req)
        return UNAUTHORIZED if user is None else Response(200, {"data": user})

    @route("POST", r"/2/media/upload")
    def media_upload(self, req: Request) -> Response:
        user = self._user_of(req)
        if user is None:
            return UNAUTHORIZED
        token = (req.header("authorization") or "")[7:]
        if "media.write" not in self.access[token]["scope"]:
            return problem(403, "Forbidden", "You are not permitted to perform this action.")
        from .discord import multipart

        try:
            fields = multipart(req)
            filename, data, mime = fields["media"]
            category = fields["media_category"][1]
        except (KeyError, ValueError):
            return Response(400, {"title": "Invalid Request", "detail": "media is required",
                                  "errors": [{"message": "media: is missing but it is required"}]})
        if category != "tweet_image" or not isinstance(data, bytes) or len(data) > 5 * 1024 * 1024:
            return Response(400, {"title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                                  "errors": [{"message": f"media too large or of the wrong category ({category})"}]})
        with self.lock:
            mid = str(next(self._ids))
            self.media[mid] = {"id": mid, "user": user["id"], "data": data, "mime": mime, "alt": None, "used": False}
        return Response(200, {"data": {"id": mid, "media_key": f"3_{mid}", "expires_after_secs": 86400,
                                       "size": len(data)}})

    @route("POST", r"/2/media/metadata")
    def media_metadata(self, req: Request) -> Response:
        user = self._user_of(req)
        if user is None:
            return UNAUTHORIZED
        body = req.json or {}
        item = self.media.get(str(body.get("id")))
        alt = (((body.get("metadata") or {}).get("alt_text") or {}).get("text"))
        if item is None or item["user"] != user["id"] or not isinstance(alt, str) or len(alt) > 1000:
            return Response(400, {"title": "Invalid Request", "detail": "bad media metadata",
                                  "errors": [{"message": "media id or alt text is invalid"}]})
        with self.lock:
            item["alt"] = alt
        return Response(200, {"data": {"id": item["id"], "associated_metadata": True}})

    @route("POST", r"/2/tweets")
    def create(self, req: Request) -> Response:
        user = self._user_of(req)
        if user is None:
            return UNAUTHORIZED
        body = req.json if req.body else {}
        text = body.get("text") if isinstance(body, dict) else None
        invalid = {"title": "Invalid Request", "type": "https://api.twitter.com/2/problems/invalid-request",
                   "detail": "One or more parameters to your request was invalid."}
        if not isinstance(text, str) or not text.strip():
            return Response(400, {**invalid, "errors": [{"message": "$.text: is missing but it is required"}]})
        if weighted(text) > 280:
            return problem(403, "Forbidden", "Your Tweet text is too long. For more information on how Twitter "
                           "determines text length see https://github.com/twitter/twitter-text.")
        reply = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        media_ids = (body.get("media") or {}).get("media_ids") or []
        with self.lock:
            if len(media_ids) > 4 or any(m not in self.media or self.media[m]["user"] != user["id"] for m in media_ids):
                return Response(400, {**invalid, "errors": [{"message": "Your media IDs are invalid."}]})
            if reply and not any(t["id"] == reply for t in self.tweets):
                return Response(400, {**invalid, "errors": [{"message": "The tweet you are replying to does not exist"}]})
            if any(t["text"] == text and t["author_id"] == user["id"] for t in self.tweets):
                return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
            tweet = {"id": str(next(self._ids)), "text": text, "author_id": user["id"], "reply_to": reply,
                     "created": time.time(), "media": list(media_ids)}
            for m in media_ids:
                self.media[m]["used"] = True
            self.tweets.append(tweet)
        return Response(201, {"data": {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}})

    def hidden_from_timeline(self, tweet_id: str) -> None:
        with self.lock:
            self.hidden.add(tweet_id)

    @route("GET", r"/2/users/(?P<uid>\d+)/tweets")
    def timeline(self, req: Request) -> Response:
        if self._user_of(req) is None:
            return UNAUTHORIZED
        assert req.match is not None
        q = {k: v[0] for k, v in req.query.items()}
        size = int(q.get("max_results", "10"))
        if not 5 <= size <= 100:
            return Response(400, {"title": "Invalid Request", "detail": "max_results out of range",
                                  "errors": [{"message": "The `max_results` query parameter value is not between 5 and 100"}]})
        since = datetime.fromisoformat(q["start_time"].replace("Z", "+00:00")).timestamp() if "start_time" in q else 0
        fields = set(q.get("tweet.fields", "").split(","))
        out = []
        with self.lock:
            for t in reversed(self.tweets):
                if t["author_id"] != req.match["uid"] or t["id"] in self.hidden or t["created"] < since - 1:
                    continue
                shown = self.shown(t["text"]) + (f" https://t.co/m{t['id'][-8:]}" if t.get("media") else "")
                item: dict[str, Any] = {"id": t["id"], "text": shown, "edit_history_tweet_ids": [t["id"]]}
                if "created_at" in fields:
                    item["created_at"] = datetime.fromtimestamp(t["created"], UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
                if "referenced_tweets" in fields and t["reply_to"]:
                    item["referenced_tweets"] = [{"type": "replied_to", "id": t["reply_to"]}]
                out.append(item)
        out = out[:size]
        if not out:
            return Response(200, {"meta": {"result_count": 0}})
        return Response(200, {"data": out, "meta": {"result_count": len(out), "newest_id": out[0]["id"],
                                                    "oldest_id": out[-1]["id"]}})

    @staticmethod
    def shown(text: str) -> str:
        """The text as X gives it back: entities for & < >, links through t.co."""
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return URL.sub(lambda m: "https://t.co/" + hashlib.sha1(html.unescape(m.group(0)).encode()).hexdigest()[:10], escaped)

    def rate_limit(self, path: str = r"/2/tweets") -> None:
        reset = int(time.time()) + 120
        self.inject("status", path=path, status=429, body={"title": "Too Many Requests", "detail": "Too Many Requests",
                                                             "type": "about:blank", "status": 429},
                    headers={"x-rate-limit-limit": "200", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)})

    def posts(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.tweets)
