"""A fake Slack (Web API and incoming webhooks) on 127.0.0.1 (docs.slack.dev):

- Web API at `/api/<method>`, bearer token in `Authorization`. Answers HTTP 200 `{"ok": true, ...}`
  or `{"ok": false, "error": "..."}` as Slack does: no token → `not_authed`, unknown → `invalid_auth`,
  a method the token's scopes do not allow → `missing_scope` (with `needed` and `provided`).
- `auth.test` → `{url, team, user, team_id, user_id, bot_id}`.
- `chat.postMessage {channel, text, thread_ts, link_names}` (scope chat:write): the channel by id
  or `#name`/`name`; unknown → `channel_not_found`, the bot not a member → `not_in_channel`; no text →
  `no_text`; more than 40,000 characters → `msg_too_long`; a `thread_ts` that is no message of the
  channel → `thread_not_found`. Answers `{ok, channel, ts, message}`. Mentions are read as Slack
  does: only `<!here>`, `<!channel>`, `<!everyone>` and `<@U…>` in the text ping (recorded in
  `pings`); `&lt;`, `&gt;`, `&amp;` are text.
- `conversations.history {channel, oldest, limit, inclusive}` (scope channels:history): top-level
  messages newest first; `conversations.replies {channel, ts}`: the parent and its replies, oldest first.
- Incoming webhooks at `/services/T…/B…/<secret>`: JSON `{"text"}` → 200 `ok` (text/plain);
  no text → 400 `no_text`; a removed webhook → 404 `no_service`; a wrong secret → 403 `invalid_token`.
  A webhook posts to its own channel and answers no `ts`.
- No idempotency: every post makes a message.
- Faults from `FakeServer.inject` (latency, 5xx, 429, 401, malformed JSON, HTML, drop-after-commit).
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
from typing import Any

from .server import FakeServer, Request, Response, route

PINGS = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>|<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class FakeSlack(FakeServer):
    def __init__(self, *, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.team = {"team": "Garden Club", "team_id": "T0GARDEN1", "url": "https://garden-club.slack.com/"}
        self.bot = {"user": "garden_bot", "user_id": "U0BOT00001", "bot_id": "B0BOT00001"}
        self.tokens: dict[str, set[str]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.hooks: dict[str, dict[str, Any]] = {}
        self.messages: list[dict[str, Any]] = []
        self.pings: list[str] = []
        self._clock = itertools.count(1)

    # ------------------------------------------------------------------ set-up

    def add_token(self, scopes: str = "chat:write channels:history") -> str:
        token = "xoxb-" + "-".join(secrets.token_hex(6) for _ in range(3))
        with self.lock:
            self.tokens[token] = set(scopes.split())
        return token

    def add_channel(self, name: str = "garden", cid: str = "C0GARDEN01", member: bool = True) -> str:
        with self.lock:
            self.channels[cid] = {"id": cid, "name": name, "member": member}
        return cid

    def add_webhook(self, channel: str = "C0GARDEN01") -> str:
        path = f"/services/{self.team['team_id']}/B0HOOK{len(self.hooks) + 1:04d}/{secrets.token_urlsafe(18)}"
        with self.lock:
            self.hooks[path] = {"channel": channel}
        return f"https://hooks.slack.com{path}"

    def remove_webhook(self, url: str) -> None:
        with self.lock:
            self.hooks.pop(url.split("hooks.slack.com", 1)[1], None)

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if channel is None or m["channel"] == channel]

    # ------------------------------------------------------------------ web API

    def _token(self, req: Request) -> set[str] | Response:
        value = req.header("authorization") or ""
        token = value[7:].strip() if value[:7].lower() == "bearer " else ""
        if not token:
            return Response(200, {"ok": False, "error": "not_authed"})
        scopes = self.tokens.get(token)
        if scopes is None:
            return Response(200, {"ok": False, "error": "invalid_auth"})
        return scopes

    def _args(self, req: Request) -> dict[str, Any]:
        args: dict[str, Any] = {k: v[0] for k, v in req.query.items()}
        if req.body:
            ctype = (req.header("content-type") or "").split(";")[0]
            if ctype == "application/json":
                args.update(req.json or {})
            else:
                args.update({k: v[0] for k, v in req.form.items()})
        return args

    def _channel(self, value: Any) -> dict[str, Any] | None:
        name = str(value or "").lstrip("#")
        return self.channels.get(name) or next((c for c in self.channels.values() if c["name"] == name), None)

    @route("POST", r"/api/auth\.test")
    def auth_test(self, req: Request) -> Response:
        scopes = self._token(req)
        if isinstance(scopes, Response):
            return scopes
        return Response(200, {"ok": True, **self.team, **self.bot})

    def _missing(self, scopes: set[str], needed: str) -> Response | None:
        if needed in scopes:
            return None
        return Response(200, {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(sorted(scopes))})

    def _post(self, channel: str, text: str, thread: str | None, **extra: Any) -> dict[str, Any]:
        with self.lock:
            ts = f"{int(time.time())}.{next(self._clock):06d}"
            message = {"type": "message", "ts": ts, "text": text, "channel": channel, **extra}
            if thread:
                message["thread_ts"] = thread
            self.messages.append(message)
            self.pings.extend(m.group(1) or m.group(2) for m in PINGS.finditer(text))
        return message

    @route("POST", r"/api/chat\.postMessage")
    def post_message(self, req: Request) -> Response:
        scopes = self._token(req)
        if isinstance(scopes, Response):
            return scopes
        missing = self._missing(scopes, "chat:write")
        if missing:
            return missing
        args = self._args(req)
        channel = self._channel(args.get("channel"))
        if channel is None:
            return Response(200, {"ok": False, "error": "channel_not_found"})
        if not channel["member"]:
            return Response(200, {"ok": False, "error": "not_in_channel"})
        text = args.get("text")
        if not isinstance(text, str) or not text.strip():
            return Response(200, {"ok": False, "error": "no_text"})
        if len(text) > 40_000:
            return Response(200, {"ok": False, "error": "msg_too_long"})
        thread = args.get("thread_ts")
        if thread and not any(m["ts"] == thread and m["channel"] == channel["id"] for m in self.posts()):
            return Response(200, {"ok": False, "error": "thread_not_found"})
        message = self._post(channel["id"], text, thread, user=self.bot["user_id"], bot_id=self.bot["bot_id"])
        return Response(200, {"ok": True, "channel": channel["id"], "ts": message["ts"], "message": message})

    def _read(self, req: Request) -> tuple[dict[str, Any], dict[str, Any]] | Response:
        scopes = self._token(req)
        if isinstance(scopes, Response):
            return scopes
        missing = self._missing(scopes, "channels:history")
        if missing:
            return missing
        args = self._args(req)
        channel = self._channel(args.get("channel"))
        if channel is None:
            return Response(200, {"ok": False, "error": "channel_not_found"})
        if not channel["member"]:
            return Response(200, {"ok": False, "error": "not_in_channel"})
        return channel, args

    @route("GET", r"/api/conversations\.history")
    def history(self, req: Request) -> Response:
        found = self._read(req)
        if isinstance(found, Response):
            return found
        channel, args = found
        oldest = float(args.get("oldest") or 0)
        top = [m for m in self.posts(channel["id"]) if "thread_ts" not in m and float(m["ts"]) >= oldest]
        return Response(200, {"ok": True, "messages": top[::-1][: int(args.get("limit") or 100)], "has_more": False})

    @route("GET", r"/api/conversations\.replies")
    def replies(self, req: Request) -> Response:
        found = self._read(req)
        if isinstance(found, Response):
            return found
        channel, args = found
        ts = args.get("ts")
        thread = [m for m in self.posts(channel["id"]) if m["ts"] == ts or m.get("thread_ts") == ts]
        if not thread:
            return Response(200, {"ok": False, "error": "thread_not_found"})
        return Response(200, {"ok": True, "messages": thread, "has_more": False})

    # ------------------------------------------------------------------ webhooks

    @route("POST", r"/services/(?P<team>[^/]+)/(?P<hook>[^/]+)/(?P<secret>[^/]+)")
    def webhook(self, req: Request) -> Response:
        plain = {"Content-Type": "text/plain"}
        hook = self.hooks.get(req.path)
        if hook is None:
            known = any(p.rsplit("/", 1)[0] == req.path.rsplit("/", 1)[0] for p in self.hooks)
            return Response(403, "invalid_token", plain) if known else Response(404, "no_service", plain)
        try:
            body = req.json
        except ValueError:
            return Response(400, "invalid_payload", plain)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return Response(400, "no_text", plain)
        self._post(hook["channel"], text, None, bot_id="B0HOOKBOT1", subtype="bot_message")
        return Response(200, "ok", plain)

    def not_found(self, req: Request) -> Response:
        if req.path.startswith("/api/"):
            return Response(200, {"ok": False, "error": "unknown_method"})
        return Response(404, "no_service", {"Content-Type": "text/plain"})
