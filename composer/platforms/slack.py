"""Slack: an incoming webhook, or a bot token posting with `chat.postMessage`.

Facts relied on (docs.slack.dev: chat.postMessage, auth.test, conversations.history and
conversations.replies, "Formatting text for app surfaces" (escaping), incoming webhooks and their
errors, rate limits; see the README for what was checked):

- The one secret is either an **incoming webhook URL** (`https://hooks.slack.com/services/T…/B…/…`:
  it posts to the one channel chosen when it was made) or a **bot token** (`xoxb-…`, scope
  `chat:write`, plus `channels:history` / `groups:history` for the retry check below) with the
  channel as `--handle` (its id, `C0123456789`, or its name). The client tells them apart by shape.
- Requests go to the account's server (`https://slack.com` by default: `/api/<method>` for the bot;
  a webhook is posted to its own address on hooks.slack.com). With `--server` set elsewhere (the
  tests' fake), both go there, the webhook by its path.
- Text is mrkdwn with `&`, `<` and `>` escaped as Slack asks (`&amp;`, `&lt;`, `&gt;`), and
  `link_names: false`: a typed `<!channel>`, `<!here>` or `<@U123>` cannot form Slack's mention
  syntax, and a plain `@here` or `@channel` is not turned into one, so nothing a writer types pings
  anybody. Slack's own *bold* and _italic_ still work.
- 4,000 characters a message, as Slack asks clients to keep them (it cuts at 40,000); counted here
  in UTF-16 units. A longer post: with a bot token, its first message and the rest as replies in a
  thread under it (`thread_ts` = the first message's `ts`); with a webhook (which answers only "ok",
  no `ts`), several messages one after the other.
- `verify`: the bot token with `auth.test` (the bot user, the workspace and its address); a webhook
  by posting an empty message, which Slack refuses with `no_text` without posting anything (a
  removed webhook answers 404 `no_service`, a revoked one 403 `invalid_token`).
- Errors: the Web API answers HTTP 200 `{"ok": false, "error": "…"}`: `invalid_auth`,
  `token_revoked`, `missing_scope`… are auth errors, `not_in_channel` and `channel_not_found` say to
  invite the bot, 429 carries `Retry-After`, `internal_error`/5xx are transient, the rest refused.
- Retry safety: Slack has no idempotency key. With a bot token, a message whose answer was lost is
  looked up before anything is sent again: the channel's history (or the thread's replies) since a
  minute before the try, for a message from this bot with the same text that no other part claims;
  found, it is kept; not there, it is sent. When the lookup is not allowed (no history scope), and
  always with a webhook (which cannot be asked), the retry asks the writer (`once.send_once`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from .base import PlatformClient, Sending
from .chat import escape_markup, with_chat
from .errors import AuthError, NeedsCheck, PlatformError, Rejected, TransientError
from .http import body_snippet, check_url, parse_json, send, slow_down
from .once import send_once
from .records import AccountInfo, Ask, Identity, PartRecord, Secret

if TYPE_CHECKING:
    import httpx

WEBHOOK_HOSTS = ("hooks.slack.com", "hooks.slack-gov.com")
WEBHOOK_PATH = re.compile(r"/(?:services|triggers|workflows)/[A-Za-z0-9_/-]+")
LOOKUP_MARGIN = timedelta(minutes=1)
AUTH_ERRORS = {"not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "no_permission",
               "missing_scope", "not_allowed_token_type", "ekm_access_denied", "invalid_token", "no_service",
               "no_team", "team_disabled", "no_service_id", "team_access_not_granted"}
REFUSED_ERRORS = {"action_prohibited", "posting_to_general_channel_denied", "restricted_action"}
"""403s that are the workspace's rules, not a bad credential."""
TRANSIENT_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "rollup_error"}


def is_webhook(secret: str) -> bool:
    return secret.strip().lower().startswith(("https://", "http://"))


class SlackClient(PlatformClient):
    platform: ClassVar[str] = "slack"

    _me: dict[str, Any] | None = None
    """What auth.test said about the bot token, once asked."""

    # ------------------------------------------------------------------ plumbing

    @property
    def webhook(self) -> bool:
        return is_webhook(self.secret.reveal())

    def secret_values(self) -> list[str]:
        """The token or the webhook's secret path (its last segment alone too)."""
        values = []
        for held in super().secret_values():
            if is_webhook(held):
                path = urlsplit(held.strip()).path
                values += [path, path.rstrip("/").rsplit("/", 1)[-1]]
            else:
                values.append(held)
        return [v for v in values if v]

    def _renew(self) -> str:
        what = "webhook URL" if self.webhook else "bot token"
        return (f"Make a new {what} in your Slack app's settings (api.slack.com/apps → your app → "
                f"{'Incoming Webhooks' if self.webhook else 'OAuth & Permissions'}) and run "
                f"`humane accounts add {self.account.name} --platform slack --secret-stdin`.")

    def webhook_address(self) -> str:
        return webhook_address(self.secret.reveal(), self.server_url, self.entry.login.server.default
                               if self.entry.login else None)

    @property
    def channel(self) -> str:
        return (self.account.handle or "").strip()

    def _error(self, error: str, status: int, response: httpx.Response, *, write: bool, what: str) -> PlatformError:
        said = f"{error}" if error else f"HTTP {status}"
        where = self.channel or "the webhook's channel"
        if status == 429 or error == "ratelimited":
            return slow_down(response, label=self.label, said=f": {said}")
        if error in AUTH_ERRORS or status in (401, 403) and error not in REFUSED_ERRORS:
            return AuthError(f"Slack did not accept the {'webhook' if self.webhook else 'token'} ({said}).",
                             hint=self._renew())
        if error in TRANSIENT_ERRORS or status >= 500:
            return TransientError(f"Slack had a problem with {what} ({said}).", ambiguous=write,
                                  hint="The post waits in the outbox and is retried later.")
        if error in ("not_in_channel", "channel_not_found"):
            return Rejected(f"Slack cannot post to {where} ({said}).",
                            hint="Give the channel's id (C0123456789) as --handle, and invite the bot to the "
                            "channel (type /invite @your-bot there), then publish again.")
        if error in ("is_archived", "channel_is_archived"):
            return Rejected(f"The Slack channel {where} is archived ({said}).", hint="Post to another channel.")
        return Rejected(f"Slack refused {what} ({said}).", hint="Fix what Slack names, then publish again.")

    async def _api(self, method: str, *, write: bool = False, what: str, body: Mapping[str, Any] | None = None,
                   params: Mapping[str, str] | None = None) -> dict[str, Any]:
        token = self.secret.reveal().strip()
        if body is not None:
            response = await self.request("POST", f"/api/{method}", write=write, token=token, json=dict(body))
        else:
            response = await self.request("GET", f"/api/{method}", token=token, params=dict(params or {}))
        data = parse_json(response)
        if not isinstance(data, Mapping) or "ok" not in data:
            said = body_snippet(response)
            if 400 <= response.status_code < 500:  # a definite refusal (429 included): nothing was posted
                raise self._error(said or "", response.status_code, response, write=write, what=what)
            raise TransientError(
                f"Slack answered {what} with something that is not the Web API's answer "
                f"(HTTP {response.status_code}{': ' + said if said else ''}).",
                ambiguous=write and (response.status_code < 300 or response.status_code >= 500),
                hint="It may or may not have been posted; the retry checks first." if write else "Try again later.",
            )
        if data.get("ok") is True and response.status_code < 300:
            return dict(data)
        raise self._error(str(data.get("error") or ""), response.status_code, response, write=write, what=what)

    async def _hook(self, payload: Mapping[str, Any], *, write: bool, what: str) -> httpx.Response:
        response = await send(self.http, "POST", self.webhook_address(), label=self.label, write=write,
                              json=dict(payload), follow_redirects=False)
        return response

    # ------------------------------------------------------------------ login, verify

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        secret, info = cls.pasted(ask, account, "Slack incoming webhook URL, or bot token (xoxb-…)")
        if is_webhook(secret.reveal()):
            webhook_address(secret.reveal(), str(info.server), cls.DEFAULT_SERVER)  # refused before any request
        else:
            info = with_chat(info, ask, "The channel to post to (its id, like C0123456789, or its name)",
                             missing="A Slack bot token needs the channel to post to.",
                             hint=f"Add it: humane accounts add {account.name} --platform slack --handle C0123456789")
        return await cls.verified(http, info, secret)

    async def identify(self) -> Identity:
        if self.webhook:
            return await self._identify_webhook()
        me = await self._api("auth.test", what="the token check", body={})
        self._me = me
        if not self.channel:
            raise Rejected("A Slack bot token needs the channel to post to.",
                           hint=f"Add it: humane accounts add {self.account.name} --platform slack --handle C0123456789")
        team = str(me.get("team") or "")
        details = {k: str(me[k]) for k in ("team_id", "user_id", "bot_id") if me.get(k)}
        if me.get("url"):
            details["team_url"] = str(me["url"])
        return Identity(id=str(me.get("user_id") or me.get("bot_id") or ""), handle=self.channel,
                        display_name=f"{me.get('user') or 'bot'} in {team}" if team else str(me.get("user") or ""),
                        url=str(me["url"]) if me.get("url") else None, details=details)

    async def _identify_webhook(self) -> Identity:
        response = await self._hook({}, write=False, what="the webhook check")
        text = response.text.strip()
        if response.status_code == 400 and text in ("no_text", "invalid_payload", "missing_text_or_fallback_or_attachments"):
            path = urlsplit(self.secret.reveal().strip()).path.strip("/").split("/")
            hook = path[2] if len(path) > 2 else "webhook"
            return Identity(id=hook, handle=self.account.handle or f"webhook {hook}",
                            display_name="an incoming webhook (its channel was chosen when it was made)")
        if response.status_code < 300:  # a server that posted an empty message: not Slack's webhook
            raise Rejected("That address took an empty message, which Slack's webhooks refuse.",
                           hint="Check the webhook URL: copy it from your Slack app's Incoming Webhooks page.")
        raise self._hook_error(response, write=False, what="the webhook check")

    def _hook_error(self, response: httpx.Response, *, write: bool, what: str) -> PlatformError:
        status = response.status_code
        text = response.text.strip()
        error = text if re.fullmatch(r"[a-z_]{2,60}", text) else (body_snippet(response) or "")
        return self._error(error, status, response, write=write, what=what)

    # ------------------------------------------------------------------ publish

    async def send_part(self, part: Sending) -> PartRecord:
        text = escape_markup(part.text)
        if self.webhook:
            self.webhook_address()  # a broken secret is refused before the stamp

            async def hook(record: PartRecord) -> PartRecord:
                response = await self._hook({"text": text, "link_names": False}, write=True, what=part.name.lower())
                if response.status_code == 200 and response.text.strip() == "ok":
                    return record.done(f"webhook:{record.key}", None)
                if response.status_code < 300:
                    raise TransientError(f"Slack answered {part.name.lower()} with {response.text.strip()[:40]!r}, not “ok”.",
                                         ambiguous=True, hint="It may or may not have been posted: look at the channel.")
                raise self._hook_error(response, write=True, what=part.name.lower())

            return await send_once(part, "the webhook's Slack channel", hook)

        first = part.records[0] if part.i else None
        channel = (first.extra.get("channel") if first else None) or self.channel
        body: dict[str, Any] = {"channel": channel, "text": text, "link_names": False}
        if first is not None and first.id:
            body["thread_ts"] = first.id

        async def post(record: PartRecord) -> PartRecord:
            data = await self._api("chat.postMessage", write=True, what=part.name.lower(), body=body)
            ts, where = data.get("ts"), str(data.get("channel") or channel)
            if not isinstance(ts, str) or not ts:
                raise TransientError("Slack answered the post without the message's ts.", ambiguous=True,
                                     hint="The retry looks for the message before sending it again.")
            return record.done(ts, self._link(where, ts, body.get("thread_ts")), channel=where)

        async def look_up(record: PartRecord) -> PartRecord | None:
            return await self._find_sent(part, record, channel, body.get("thread_ts"), text)

        return await send_once(part, f"the Slack channel {self.channel}", post, look_up=look_up)

    def _link(self, channel: str, ts: str, thread: str | None) -> str | None:
        team = self.account.options.get("team_url") or (self._me or {}).get("url")
        if not team:
            return None
        link = f"{str(team).rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
        return f"{link}?thread_ts={thread}&cid={channel}" if thread else link

    async def _find_sent(self, part: Sending, record: PartRecord, channel: str, thread: str | None,
                         text: str) -> PartRecord | None:
        """The message an earlier try of this part posted, from the channel's history (or the
        thread's replies); None when it is not there. NeedsCheck when Slack will not show them."""
        me = self._me or await self._api("auth.test", what="the token check", body={})
        self._me = me
        try:
            since = datetime.fromisoformat(record.tried_at or "") - LOOKUP_MARGIN
        except ValueError:
            since = None
        params = {"channel": channel, "limit": "200", "inclusive": "true"}
        if since is not None:
            params["oldest"] = f"{since.timestamp():.6f}"
        try:
            if thread:
                data = await self._api("conversations.replies", what="the thread's replies", params={**params, "ts": thread})
            else:
                data = await self._api("conversations.history", what="the channel's history", params=params)
        except (AuthError, Rejected) as err:
            raise NeedsCheck(
                f"{part.name} may already be in {channel} (an earlier try lost its answer), and Slack does not let "
                f"the bot read the channel to check ({err.message}).",
                hint=f"Look at {channel}: if the message is there, mark the post as sent; if not, reset it and "
                "publish again. (With the channels:history scope, the bot checks by itself.)",
            ) from None
        claimed = {r.id for r in part.records if r.id}
        found = _match(data.get("messages"), text, me, claimed, thread)
        if found is None:
            return None
        return record.done(found, self._link(channel, found, thread), channel=channel)


def _match(messages: Any, text: str, me: Mapping[str, Any], claimed: set[str], thread: str | None) -> str | None:
    """The ts of the oldest message from this bot with this text, not claimed, in `thread` (or not in one)."""
    want = _squash(text)
    hits: list[str] = []
    for m in messages if isinstance(messages, Sequence) else ():
        if not isinstance(m, Mapping) or not isinstance(m.get("ts"), str) or m["ts"] in claimed:
            continue
        mine = (me.get("bot_id") and m.get("bot_id") == me.get("bot_id")) or (me.get("user_id") and m.get("user") == me.get("user_id"))
        if not mine or _squash(str(m.get("text") or "")) != want:
            continue
        if thread and (m.get("thread_ts") != thread or m["ts"] == thread):
            continue
        hits.append(m["ts"])
    return min(hits, key=float) if hits else None


def _squash(text: str) -> str:
    """Compared as Slack keeps it: entities read back, whitespace ignored."""
    return "".join(html.unescape(text).split())


def webhook_address(url: str, server: str, default: str | None) -> str:
    """Where a webhook posts: its own address (on Slack's hooks host) when the server is Slack's,
    else the server with the webhook's path (a local stand-in). Rejected when `url` is no webhook."""
    raw = url.strip()
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if not WEBHOOK_PATH.fullmatch(parts.path) or host not in (*WEBHOOK_HOSTS, (urlsplit(server).hostname or "").lower()):
        raise Rejected("That is not a Slack incoming webhook URL.",
                       hint="Copy it from api.slack.com/apps → your app → Incoming Webhooks; it looks like "
                       "https://hooks.slack.com/services/T…/B…/…")
    check_url(f"{parts.scheme}://{parts.netloc}", what="Slack webhook")
    if server.rstrip("/") == (default or "").rstrip("/"):
        return f"{parts.scheme}://{parts.netloc}{parts.path}"
    return f"{server}{parts.path}"

