"""A fake Telegram Bot API on 127.0.0.1 (core.telegram.org/bots/api):

- Requests to `/bot<token>/<method>` (JSON bodies, as the client sends them). An unknown token →
  401 `{"ok": false, "error_code": 401, "description": "Unauthorized"}`; a malformed one → 404
  "Not Found", as the real server answers.
- `getMe` → the bot (`id`, `is_bot`, `first_name`, `username`).
- `getChat {chat_id}` → the chat, by numeric id or `@username`; unknown → 400 "Bad Request: chat
  not found"; a chat the bot is not in → 403 "Forbidden: bot is not a member of the channel chat".
- `sendMessage {chat_id, text, parse_mode, reply_parameters}`: with `parse_mode: "HTML"` the text
  is parsed as the Bot API does for the tags it knows (b, i, u, s, a, code, pre, tg-spoiler,
  blockquote), `&lt; &gt; &amp; &quot;` are decoded, and an unknown tag or a bare `<`/`&` that starts
  no entity is refused ("Bad Request: can't parse entities: ..."). The parsed text must be 1-4,096
  UTF-16 units ("Bad Request: message is too long"). A `reply_parameters.message_id` must be a
  message of that chat ("Bad Request: message to be replied not found"). Answers the Message
  (`message_id`, `chat`, `date`, `text`, `entities`, `reply_to_message`).
- `sendPhoto` (multipart: `photo` = `attach://photo0`, `caption` ≤ 1,024 after parsing, JSON
  `reply_parameters`) and `sendMediaGroup` (`media`: 2-10 InputMediaPhoto as JSON), at most 10 MB a
  photo; the photos are messages of the chat (`photo`, `caption`, `media_group_id`).
- No idempotency and no way for a bot to list what it sent, as in the real Bot API.
- Faults from `FakeServer.inject` (latency, 5xx, 429, 401, malformed JSON, HTML, drop-after-commit);
  `flood(seconds)` makes the next sendMessage answer 429 with `parameters.retry_after`.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import secrets
import time
from typing import Any

from .server import FakeServer, Request, Response, route

TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
        "blockquote", "span", "tg-emoji"}


def error(code: int, description: str, **parameters: Any) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Response(code, body)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]] | str:
    """(plain text, entities) or the error description, as the Bot API parses HTML mode."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int]] = []
    pos = 0
    for m in re.finditer(r"<(/?)([a-zA-Z-]+)([^<>]*)>|<|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|&", text):
        out.append(text[pos:m.start()])
        pos = m.end()
        token = m.group(0)
        if token == "<":
            return f"Can't parse entities: unsupported start tag \"\" at byte offset {m.start()}"
        if token == "&":
            return f"Can't parse entities: character '&' is reserved and must be escaped at byte offset {m.start()}"
        if token.startswith("&"):
            out.append(html.unescape(token))
            continue
        closing, tag = m.group(1), m.group(2).lower()
        if tag not in TAGS:
            return f"Can't parse entities: unsupported start tag \"{tag}\" at byte offset {m.start()}"
        offset = len("".join(out).encode("utf-16-le")) // 2
        if closing:
            if not stack or stack[-1][0] != tag:
                return f"Can't parse entities: unexpected end tag at byte offset {m.start()}"
            _, start = stack.pop()
            entities.append({"type": tag, "offset": start, "length": offset - start})
        else:
            stack.append((tag, offset))
    out.append(text[pos:])
    if stack:
        return "Can't parse entities: can't find end tag corresponding to start tag"
    return "".join(out), entities


class FakeTelegram(FakeServer):
    def __init__(self, *, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.bot = {"id": 7000000001, "is_bot": True, "first_name": "Garden bot", "username": "garden_news_bot"}
        self.token = f"{self.bot['id']}:{secrets.token_urlsafe(26)}"
        self.chats: dict[int, dict[str, Any]] = {}
        self.member: set[int] = set()
        self.messages: list[dict[str, Any]] = []
        self._ids: dict[int, itertools.count[int]] = {}

    def add_chat(self, username: str | None = "gardennews", title: str = "Garden news", *, chat_id: int = -1001234567890,
                 member: bool = True) -> dict[str, Any]:
        chat = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        with self.lock:
            self.chats[chat_id] = chat
            self._ids[chat_id] = itertools.count(101)
            if member:
                self.member.add(chat_id)
        return chat

    def posts(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if chat_id is None or m["chat"]["id"] == chat_id]

    def _find_chat(self, value: Any) -> dict[str, Any] | None:
        for chat in self.chats.values():
            if str(value) == str(chat["id"]) or (chat.get("username") and str(value).lower() == f"@{chat['username']}".lower()):
                return chat
        return None

    @route("POST", r"/bot(?P<token>[^/]+)/(?P<method>\w+)")
    def call(self, req: Request) -> Response:
        assert req.match is not None
        token = req.match["token"]
        if not re.fullmatch(r"\d+:[\w-]+", token):
            return error(404, "Not Found")
        if token != self.token:
            return error(401, "Unauthorized")
        files: dict[str, tuple[str | None, bytes | str, str]] = {}
        try:
            if (req.header("content-type") or "").startswith("multipart/form-data"):
                from .discord import multipart

                fields = multipart(req)
                files = {k: v for k, v in fields.items() if v[0] is not None}
                body = {k: v[1] for k, v in fields.items() if v[0] is None}
                for key in ("reply_parameters", "media"):
                    if isinstance(body.get(key), str):
                        body[key] = json.loads(body[key])
            else:
                body = req.json or {}
        except ValueError:
            return error(400, "Bad Request: invalid JSON")
        method = req.match["method"]
        if method == "getMe":
            return Response(200, {"ok": True, "result": self.bot})
        if method in ("getChat", "sendMessage", "sendPhoto", "sendMediaGroup"):
            chat = self._find_chat(body.get("chat_id"))
            if chat is None:
                return error(400, "Bad Request: chat not found")
            if chat["id"] not in self.member:
                return error(403, "Forbidden: bot is not a member of the channel chat")
            if method == "getChat":
                return Response(200, {"ok": True, "result": chat})
            if method == "sendMessage":
                return self.send_message(chat, body)
            return self.send_photos(chat, body, files, group=method == "sendMediaGroup")
        return error(404, "Not Found")

    def send_message(self, chat: dict[str, Any], body: dict[str, Any]) -> Response:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            return error(400, "Bad Request: message text is empty")
        entities: list[dict[str, Any]] = []
        if body.get("parse_mode") == "HTML":
            parsed = parse_html(text)
            if isinstance(parsed, str):
                return error(400, f"Bad Request: {parsed}")
            text, entities = parsed
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return error(400, "Bad Request: message is too long")
        reply = body.get("reply_parameters")
        parent = None
        with self.lock:
            if isinstance(reply, dict):
                parent = next((m for m in self.messages if m["chat"]["id"] == chat["id"]
                               and m["message_id"] == reply.get("message_id")), None)
                if parent is None and not reply.get("allow_sending_without_reply"):
                    return error(400, "Bad Request: message to be replied not found")
            message: dict[str, Any] = {"message_id": next(self._ids[chat["id"]]), "chat": chat,
                                       "date": int(time.time()), "text": text}
            if entities:
                message["entities"] = entities
            if parent is not None:
                message["reply_to_message"] = {k: parent[k] for k in ("message_id", "chat", "date", "text") if k in parent}
            self.messages.append(message)
        return Response(200, {"ok": True, "result": message})

    def _reply_to(self, chat: dict[str, Any], body: dict[str, Any]) -> dict[str, Any] | None | Response:
        reply = body.get("reply_parameters")
        if not isinstance(reply, dict):
            return None
        parent = next((m for m in self.messages if m["chat"]["id"] == chat["id"]
                       and m["message_id"] == reply.get("message_id")), None)
        if parent is None and not reply.get("allow_sending_without_reply"):
            return error(400, "Bad Request: message to be replied not found")
        return parent

    def send_photos(self, chat: dict[str, Any], body: dict[str, Any], files: dict[str, Any], *, group: bool) -> Response:
        items = body.get("media") if group else [{"type": "photo", "media": body.get("photo"),
                                                   "caption": body.get("caption"), "parse_mode": body.get("parse_mode")}]
        if not isinstance(items, list) or (group and not 2 <= len(items) <= 10):
            return error(400, "Bad Request: wrong number of media in the album")
        with self.lock:
            parent = self._reply_to(chat, body)
            if isinstance(parent, Response):
                return parent
            out = []
            group_id = str(next(self._ids[chat["id"]])) if group else None
            for item in items:
                ref = str(item.get("media") or "")
                name = ref.removeprefix("attach://")
                if not ref.startswith("attach://") or name not in files:
                    return error(400, f"Bad Request: file {ref!r} not found in the request")
                data = files[name][1]
                if len(data) > 10_000_000:
                    return error(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
                caption = item.get("caption")
                if caption and item.get("parse_mode") == "HTML":
                    parsed = parse_html(caption)
                    if isinstance(parsed, str):
                        return error(400, f"Bad Request: {parsed}")
                    caption = parsed[0]
                if caption and len(caption.encode("utf-16-le")) // 2 > 1024:
                    return error(400, "Bad Request: message caption is too long")
                message: dict[str, Any] = {"message_id": next(self._ids[chat["id"]]), "chat": chat,
                                           "date": int(time.time()), "photo": [{"file_size": len(data)}],
                                           "data": data}
                if caption:
                    message["caption"] = caption
                if group_id:
                    message["media_group_id"] = group_id
                if parent is not None:
                    message["reply_to_message"] = {k: parent[k] for k in ("message_id", "chat", "date") if k in parent}
                self.messages.append(message)
                out.append({k: v for k, v in message.items() if k != "data"})
        return Response(200, {"ok": True, "result": out if group else out[0]})

    def flood(self, seconds: int) -> None:
        self.inject("status", path=r"/bot[^/]+/sendMessage", status=429,
                    body={"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {seconds}",
                          "parameters": {"retry_after": seconds}})
