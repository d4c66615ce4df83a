"""Telegram: a bot posts to a channel, group or chat (the Bot API).

Facts relied on (core.telegram.org/bots/api: Making requests, getMe, getChat, sendMessage,
ReplyParameters, Formatting options, ResponseParameters; see the README for what was checked):

- The secret is the bot token from @BotFather (`123456789:AA...`); the Bot API takes it in the
  path, `https://api.telegram.org/bot<token>/<method>`, so the token is scrubbed from every error
  (and its part after the colon alone too). `--server` points at another Bot API server (a local
  one, or the tests' fake).
- `--handle` is the chat: a public channel's or group's `@username`, or a numeric id (`-100...`
  for channels and supergroups). The bot must be a member (in a channel: an administrator allowed
  to post). `verify` asks `getMe` (the bot) and `getChat` (the chat: this also proves the bot can
  see it); the chat's numeric id is kept in the account's options (`chat_id`).
- A post is `sendMessage` with `parse_mode: "HTML"` and the text escaped as the Bot API asks:
  every `&`, `<` and `>` becomes `&amp;`, `&lt;`, `&gt;` (nothing else needs it), so whatever the
  writer typed shows as typed and no tag is read from it. Link previews are left to Telegram.
- 4,096 characters a message, counted after the entities are parsed (so the escaping costs
  nothing), in UTF-16 code units as Telegram's entity offsets are. A longer post goes out as several
  messages, each one a reply to the one before (`reply_parameters.message_id`), which Telegram
  shows as a chain.
- Errors come as `{"ok": false, "error_code", "description", "parameters": {"retry_after",
  "migrate_to_chat_id"}}`: 401 is a revoked or wrong token; 403 a bot that is not (or no longer) a
  member or may not post; 429 carries `parameters.retry_after`; 5xx are transient; other 400s are
  refused ("chat not found", "message is too long", a reply to a message that is gone).
- Images: a part with images goes out as a photo (`sendPhoto`) or an album (`sendMediaGroup`, 2 to
  10), answering the part before. When the part's text fits a caption (1,024 characters) it is the
  first photo's caption, all in one request; otherwise the photos go first and the text follows as
  a message answering them (each step is stamped, and never repeated by itself). Telegram keeps no
  alt text for photos: the alt text the draft requires is not sent there. At most 10 MB a photo.
- Retry safety: the Bot API has no idempotency key, and a bot cannot read back a channel's history
  (no method lists the messages it sent), so a try whose answer was lost is never repeated by
  itself (`once.send_once`): the writer looks at the chat and marks the post as sent, or resets it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from .base import PlatformClient, Sending
from .chat import escape_markup, utf16_length, with_chat
from .errors import AuthError, RateLimited, Rejected, TransientError
from .http import body_snippet, parse_json, retry_after, send
from .once import send_once
from .records import AccountInfo, Ask, Identity, Image, PartRecord, Secret

if TYPE_CHECKING:
    import httpx


CAPTION_LIMIT = 1024
"""Characters of a photo's caption, after the entities are parsed (Bot API, sendPhoto)."""


class TelegramClient(PlatformClient):
    platform: ClassVar[str] = "telegram"

    _chat: dict[str, Any] | None = None
    """The chat getChat described, once asked."""

    # ------------------------------------------------------------------ plumbing

    def secret_values(self) -> list[str]:
        """The token, and its part after the colon (the bot's id before it is no secret)."""
        values = super().secret_values()
        return values + [v.split(":", 1)[1] for v in values if ":" in v and len(v.split(":", 1)[1]) >= 6]

    def _renew(self) -> str:
        return (
            f"Ask @BotFather for the bot's token again (/mybots → your bot → API Token; /revoke makes a new one) and "
            f"run `humane accounts add {self.account.name} --platform telegram --secret-stdin`."
        )

    @property
    def chat(self) -> str:
        """The chat as the Bot API takes it: the numeric id found at login, or the handle given."""
        found = self.account.options.get("chat_id")
        return str(found) if found else (self.account.handle or "").strip()

    async def _call(self, method: str, *, write: bool = False, what: str, body: Mapping[str, Any],
                    files: Sequence[Image] = ()) -> Any:
        """One Bot API call: JSON, or multipart with `files` as photo0, photo1, ... (objects in the
        body then go as JSON strings, as the Bot API takes them)."""
        token = self.secret.reveal().strip()
        kwargs: dict[str, Any] = {"json": dict(body)}
        if files:
            kwargs = {
                "data": {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()},
                "files": [(f"photo{n}", (image.filename, image.data, image.mime)) for n, image in enumerate(files)],
            }
        response = await send(self.http, "POST", f"{self.server_url}/bot{token}/{method}", label=self.label,
                              write=write, follow_redirects=False, **kwargs)
        data = parse_json(response)
        status = response.status_code
        if status < 300 and isinstance(data, Mapping) and data.get("ok") is True:
            return data.get("result")
        if not isinstance(data, Mapping) or "ok" not in data:
            said = body_snippet(response)
            if status == 429:
                raise RateLimited("Telegram asks us to slow down (HTTP 429).", retry_after=retry_after(response),
                                  hint="The post waits in the outbox and is retried after that.")
            raise TransientError(
                f"Telegram answered {what} with something that is not the Bot API's answer "
                f"(HTTP {status}{': ' + said if said else ''}).",
                ambiguous=write and (status < 300 or status >= 500),
                hint="It may or may not have been posted: look at the chat." if write else
                f"Is {self.server_url} a Bot API server? If so, try again later.",
            )
        raise self._error(data, status, write=write, what=what, response=response)

    def _error(self, data: Mapping[str, Any], status: int, *, write: bool, what: str, response: httpx.Response) -> Exception:
        found = data.get("error_code")
        code = found if isinstance(found, int) else status
        said = str(data.get("description") or f"HTTP {code}")
        params = data.get("parameters") if isinstance(data.get("parameters"), Mapping) else {}
        chat = self.account.handle or self.chat
        if code == 401 or code == 404 and "not found" in said.lower() and "chat" not in said.lower():
            return AuthError(f"Telegram did not accept the bot token ({said}).", hint=self._renew())
        if code == 403:
            return AuthError(
                f"Telegram does not let the bot post to {chat} ({said}).",
                hint=f"Add the bot to {chat} (in a channel: as an administrator allowed to post messages), "
                "then publish again.",
            )
        if code == 429:
            wait = params.get("retry_after") if isinstance(params, Mapping) else None
            seconds = float(wait) if isinstance(wait, (int, float)) else retry_after(response)
            when = f" Try again in {int(seconds) + 1} s." if seconds is not None else ""
            return RateLimited(f"Telegram asks us to slow down ({said}).{when}", retry_after=seconds,
                               hint="The post waits in the outbox and is retried after that.")
        if code >= 500 or status >= 500:
            return TransientError(f"Telegram had a problem with {what} ({said}).", ambiguous=write,
                                  hint="The post waits in the outbox and is retried later.")
        migrated = params.get("migrate_to_chat_id") if isinstance(params, Mapping) else None
        if migrated:
            return Rejected(f"The group {chat} became a supergroup with the id {migrated} ({said}).",
                            hint=f"Run `humane accounts add {self.account.name} --platform telegram --handle "
                            f"{migrated} --secret-stdin` with the bot token again.")
        if "chat not found" in said.lower():
            return Rejected(f"Telegram does not know the chat {chat} ({said}).",
                            hint="Give the channel's @username or its numeric id, and add the bot to it.")
        return Rejected(f"Telegram refused {what} ({said}).", hint="Fix what Telegram names, then publish again.")

    # ------------------------------------------------------------------ login, verify

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        server = cls.server_of(account)
        account = with_chat(account, ask, "The channel or chat to post to (its @username, or its numeric id)",
                            missing="A Telegram account needs its chat: the channel's @username or its numeric id.",
                            hint=f"Add it: {cls.entry.add_command(account.name)}")
        info = replace(account, server=server, options={k: v for k, v in account.options.items() if k != "chat_id"})
        secret = Secret(cls.ask_token(ask, info, "Telegram bot token (from @BotFather)"))
        return await cls.verified(http, info, secret, keep_details=True)

    async def identify(self) -> Identity:
        bot = await self._call("getMe", what="the bot check", body={})
        if not isinstance(bot, Mapping) or not bot.get("id"):
            raise TransientError("Telegram answered the bot check without the bot.", hint="Try again later.")
        if not self.chat:
            raise Rejected("The account names no Telegram chat.", hint=f"Add it: {self.entry.add_command(self.account.name)}")
        chat = await self._call("getChat", what="the chat check", body={"chat_id": self.chat})
        if not isinstance(chat, Mapping) or chat.get("id") is None:
            raise TransientError("Telegram answered the chat check without the chat.", hint="Try again later.")
        self._chat = dict(chat)
        username = chat.get("username")
        handle = f"@{username}" if username else str(chat["id"])
        details = {"chat_id": str(chat["id"]), "bot": f"@{bot.get('username') or bot['id']}"}
        if username:
            details["chat_username"] = str(username)
        title = str(chat.get("title") or chat.get("first_name") or "")
        return Identity(id=str(chat["id"]), handle=handle, display_name=f"{title}, posted by {details['bot']}"
                        if title else f"posted by {details['bot']}", url=f"https://t.me/{username}" if username else None,
                        details=details)

    # ------------------------------------------------------------------ publish

    async def send_part(self, part: Sending) -> PartRecord:
        where = f"the Telegram chat {self.account.handle or self.chat}"
        answering = int(part.previous.id) if part.previous is not None and part.previous.id else None
        text = escape_markup(part.text)
        caption = utf16_length(part.text) <= CAPTION_LIMIT
        if part.images and caption:  # the photos with the text as their caption: one message (group)
            return await send_once(part, where, lambda record: self._photos(part, record, answering, text))
        if part.images and not part.record.extra.get("photos"):  # the photos first, the text answering them
            photos = await send_once(part, where, lambda record: self._photos(part, record, answering, None))
            await part.save(photos)
        photos_id = part.record.extra.get("photos", "").split(",")[0]
        body: dict[str, Any] = {"chat_id": self.chat, "text": text, "parse_mode": "HTML"}
        reply = int(photos_id) if photos_id else answering
        if reply is not None:
            body["reply_parameters"] = {"message_id": reply, "allow_sending_without_reply": False}

        async def post(record: PartRecord) -> PartRecord:
            message = await self._call("sendMessage", write=True, what=part.name.lower(), body=body)
            return self._message_done(record, message)

        return await send_once(part, where, post)

    def _message_done(self, record: PartRecord, message: Any, **extra: str) -> PartRecord:
        mid = message.get("message_id") if isinstance(message, Mapping) else None
        if not isinstance(mid, int):
            raise TransientError("Telegram answered the post without the message's id.", ambiguous=True,
                                 hint="It may or may not have been posted: look at the chat.")
        chat = message.get("chat") if isinstance(message.get("chat"), Mapping) else {}
        return record.done(str(mid), self._link(chat, mid), **extra)

    async def _photos(self, part: Sending, record: PartRecord, answering: int | None, caption: str | None) -> PartRecord:
        """`sendPhoto` (one image) or `sendMediaGroup` (2-10), answering `answering`, with `caption`
        on the first photo. With a caption the part is done (its id is the first photo's); without,
        the record only keeps the photos' ids (`extra["photos"]`) for the text to answer."""
        images = list(part.images)
        reply = {"message_id": answering, "allow_sending_without_reply": False} if answering is not None else None
        text = {"caption": caption, "parse_mode": "HTML"} if caption else {}
        if len(images) == 1:
            body: dict[str, Any] = {"chat_id": self.chat, "photo": "attach://photo0", **text}
            if reply:
                body["reply_parameters"] = reply
            messages = [await self._call("sendPhoto", write=True, what=part.name.lower(), body=body, files=images)]
        else:
            media = [{"type": "photo", "media": f"attach://photo{n}", **(text if n == 0 else {})}
                     for n in range(len(images))]
            body = {"chat_id": self.chat, "media": media}
            if reply:
                body["reply_parameters"] = reply
            found = await self._call("sendMediaGroup", write=True, what=part.name.lower(), body=body, files=images)
            messages = list(found) if isinstance(found, list) else []
        ids = [m.get("message_id") for m in messages if isinstance(m, Mapping)]
        if not ids or not all(isinstance(i, int) for i in ids):
            raise TransientError("Telegram answered the photos without their ids.", ambiguous=True,
                                 hint="They may or may not have been posted: look at the chat.")
        if caption:
            return self._message_done(record, messages[0], photos=",".join(map(str, ids)))
        return replace(record, extra={**record.extra, "photos": ",".join(map(str, ids))})

    def _link(self, chat: Mapping[str, Any], message: int) -> str | None:
        username = chat.get("username") or self.account.options.get("chat_username")
        if username:
            return f"https://t.me/{username}/{message}"
        cid = str(chat.get("id") or self.account.options.get("chat_id") or "")
        if cid.startswith("-100"):  # a private channel or supergroup: members can open this
            return f"https://t.me/c/{cid[4:]}/{message}"
        return None
