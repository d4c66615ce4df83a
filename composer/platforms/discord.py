"""Discord: messages through a channel webhook.

Facts relied on (Discord developer docs, "Execute Webhook" and "Allowed Mentions"; see the README
for what was and was not checked):

- The secret is the webhook URL itself (`https://discord.com/api/webhooks/<id>/<token>`): whoever
  has it can post, so it lives in the keyring, never in config. Requests go to the account's server
  (`https://discord.com` by default; `--server` points them elsewhere, which is how the tests reach
  their fake) with the webhook's path; the URL's own host must be Discord's or that server's.
- `verify` reads the webhook (`GET <webhook>`, no other credential): its name, channel and server
  (guild) ids. The guild id is kept in the account's options to build message links.
- A post is `POST <webhook>?wait=true` with JSON `{"content", "allowed_mentions": {"parse": []}}`:
  `wait=true` makes Discord answer with the message (its id), and the empty `parse` list means
  that an `@everyone`, `@here`, a role or a user written in a post pings nobody.
- 2,000 characters a message (counted here in UTF-16 units, never fewer than Discord's count).
  A longer post goes out as several messages, one after the other (a webhook cannot reply).
- Errors: 401 (invalid webhook token) and 404 (unknown webhook: it was deleted) are auth errors;
  429 carries `Retry-After` (and `retry_after` in its body); 5xx are transient; other 4xx refused.
- Images: up to 10 on a message, sent with it as `multipart/form-data` (`payload_json` and
  `files[n]`), each with its alt text as the attachment's `description` (up to 1,024 characters);
  at most 10 MiB each (the upload limit of a server without boosts).
- Retry safety: a webhook has no idempotency key and no way to list what it posted, so a try
  whose answer was lost is never repeated by itself (`once.send_once`): the writer looks at the
  channel and marks the post as sent, or resets it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from .base import PlatformClient, Sending
from .errors import AuthError, RateLimited, Rejected, TransientError
from .http import check_url, error_detail, parse_json, raise_for_status, send
from .once import send_once
from .records import AccountInfo, Ask, Identity, PartRecord, Secret

if TYPE_CHECKING:
    import httpx

DISCORD_HOSTS = ("discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com",
                 "ptb.discordapp.com", "canary.discordapp.com")
WEBHOOK_PATH = re.compile(r"/api/(?:v\d+/)?webhooks/(\d+)/([A-Za-z0-9_.-]+)/?")
NO_MENTIONS: dict[str, list[str]] = {"parse": []}


class DiscordClient(PlatformClient):
    platform: ClassVar[str] = "discord"

    _guild: str | None = None
    """The webhook's server (guild), once verify has read it."""

    # ------------------------------------------------------------------ the webhook

    def secret_values(self) -> list[str]:
        """The webhook's token (wherever it shows, in the URL or quoted alone); not its id, which
        is no secret and shares its leading digits with the ids of messages (snowflakes)."""
        values = []
        for held in super().secret_values():
            m = WEBHOOK_PATH.search(urlsplit(held).path)
            values.append(m.group(2) if m else held)
        return values

    def webhook(self) -> tuple[str, dict[str, str]]:
        """The address to post to (the server's, with the webhook's path) and the URL's own query
        (a `thread_id` to post into a forum thread); Rejected when the secret is not a webhook URL."""
        return webhook_address(self.secret.reveal(), self.server_url)

    def _auth_hint(self) -> str:
        return (
            f"The webhook of account {self.account.name!r} was deleted or its URL is wrong. Copy its URL "
            "again (channel settings → Integrations → Webhooks → Copy Webhook URL) and run "
            f"`humane accounts add {self.account.name} --platform discord --secret-stdin`."
        )

    async def _call(self, method: str, *, write: bool = False, what: str, **kwargs: Any) -> Any:
        url, query = self.webhook()
        params = {**query, **kwargs.pop("params", {})}
        response = await send(self.http, method, url, label=self.label, write=write, params=params or None,
                              follow_redirects=False, **kwargs)
        status = response.status_code
        if status < 300:
            data = parse_json(response)
            if not isinstance(data, Mapping):
                raise TransientError(
                    f"Discord answered {what} with something that is not a message (HTTP {status}).",
                    ambiguous=write,
                    hint="It may or may not have been posted: look at the channel." if write else
                    "Is the server address right? If so, try again later.",
                )
            return data
        detail = error_detail(response, "message")
        said = f": {detail}" if detail else ""
        if status in (401, 404):
            raise AuthError(f"Discord does not know this webhook any more (HTTP {status}{said}).",
                            hint=self._auth_hint())
        if status == 429:
            data = parse_json(response)
            wait = data.get("retry_after") if isinstance(data, Mapping) else None
            if "retry-after" not in response.headers and isinstance(wait, (int, float)):
                raise RateLimited(f"Discord asks us to slow down (HTTP 429{said}). Try again in {int(wait) + 1} s.",
                                  retry_after=float(wait), hint="The post waits in the outbox and is retried after that.")
        if 400 <= status < 500 and status not in (401, 403, 408, 425, 429):
            raise Rejected(f"Discord refused {what} (HTTP {status}{said}).",
                           hint="Fix what Discord names, then publish again.")
        raise_for_status(response, label=self.label, detail=detail, write=write, auth_hint=self._auth_hint())
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ login, verify

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        secret, info = cls.pasted(ask, account, "Discord webhook URL")
        webhook_address(secret.reveal(), str(info.server))  # a URL that is no webhook is refused before any request
        return await cls.verified(http, info, secret)

    async def identify(self) -> Identity:
        data = await self._call("GET", what="the webhook check")
        wid = data.get("id")
        if not isinstance(wid, (str, int)) or not str(wid):
            raise TransientError("Discord answered the webhook check without the webhook's id.",
                                 hint="Is the server address right? If so, try again later.")
        guild, channel = data.get("guild_id"), data.get("channel_id")
        details = {k: str(v) for k, v in (("guild_id", guild), ("channel_id", channel)) if v}
        self._guild = details.get("guild_id")
        return Identity(id=str(wid), handle=str(data.get("name") or f"webhook {wid}"),
                        display_name=f"channel {channel}" if channel else "", details=details)

    # ------------------------------------------------------------------ publish

    async def send_part(self, part: Sending) -> PartRecord:
        self.webhook()  # a broken secret is refused before the stamp

        body: dict[str, Any] = {"content": part.text, "allowed_mentions": NO_MENTIONS}
        send: dict[str, Any] = {"json": body}
        if part.images:  # multipart: the message as payload_json, each image as files[n] with its alt text
            body["attachments"] = [{"id": n, "filename": image.filename, "description": image.alt}
                                   for n, image in enumerate(part.images)]
            send = {"data": {"payload_json": json.dumps(body)},
                    "files": [(f"files[{n}]", (image.filename, image.data, image.mime))
                              for n, image in enumerate(part.images)]}

        async def post(record: PartRecord) -> PartRecord:
            data = await self._call("POST", write=True, what=part.name.lower(), params={"wait": "true"}, **send)
            mid = data.get("id")
            if not isinstance(mid, (str, int)) or not str(mid):
                raise TransientError("Discord answered the post without the message's id.", ambiguous=True,
                                     hint="It may or may not have been posted: look at the channel.")
            return record.done(str(mid), self._link(str(data.get("channel_id") or ""), str(mid)))

        return await send_once(part, "the webhook's Discord channel", post)

    def _link(self, channel: str, message: str) -> str | None:
        guild = self._guild or self.account.options.get("guild_id")
        if not guild or not channel:
            return None
        return f"https://discord.com/channels/{guild}/{channel}/{message}"


def webhook_address(url: str, server: str) -> tuple[str, dict[str, str]]:
    """`server` + the webhook's path, and the URL's query; Rejected when `url` is not a Discord
    webhook URL (of Discord's hosts, or of `server`'s)."""
    raw = url.strip()
    parts = urlsplit(raw)
    m = WEBHOOK_PATH.fullmatch(parts.path)
    host = (parts.hostname or "").lower()
    if not m or host not in (*DISCORD_HOSTS, (urlsplit(server).hostname or "").lower()):
        raise Rejected(
            "That is not a Discord webhook URL.",
            hint="Copy it from the channel's settings → Integrations → Webhooks → Copy Webhook URL; it looks "
            "like https://discord.com/api/webhooks/123456789/abcdef...",
        )
    check_url(f"{parts.scheme}://{parts.netloc}", what="Discord webhook")
    query = {k: v for k, v in parse_qsl(parts.query) if k == "thread_id"}
    return f"{server}/api/webhooks/{m.group(1)}/{m.group(2)}", query

