"""A fake Discord webhook API on 127.0.0.1 (Discord developer docs: Execute Webhook, Get Webhook
with Token, Allowed Mentions, rate limits):

- Webhooks at `/api/webhooks/{id}/{token}` (also `/api/v10/...`): `add_webhook()` makes one and
  gives its URL as a writer would copy it (`https://discord.com/api/webhooks/...`) and as the fake
  serves it. A wrong token → 401 `{"message": "Invalid Webhook Token", "code": 50027}`; an unknown id
  (or a deleted webhook) → 404 `{"message": "Unknown Webhook", "code": 10015}`.
- `GET <webhook>` → the webhook object (`id`, `name`, `channel_id`, `guild_id`, `type`: 1) without
  its token, as Discord answers "Get Webhook with Token".
- `POST <webhook>[?wait=true]` JSON `{content, allowed_mentions, ...}`: content required (1-2,000
  characters, counted as UTF-16 units; over → 400 code 50035 "Invalid Form Body"); with `wait=true`
  answers 200 with the message (`id`, `channel_id`, `content`, `mentions`, `mention_everyone`),
  else 204 without a body. Mentions are resolved as Discord does: `@everyone`/`@here` ping only if
  `allowed_mentions` is absent or its `parse` holds "everyone"; `<@id>` users likewise with "users".
- Images: `multipart/form-data` with `payload_json` (the message, with `attachments: [{id,
  filename, description}]`) and `files[n]`; over 10 MiB → 413 (40005). Kept in `uploads`.
- No idempotency: every POST makes a message (the webhook has no list of them).
- Faults from `FakeServer.inject` (latency, 5xx, 429, 401, malformed JSON, HTML, drop-after-commit).
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .server import FakeServer, Request, Response, route

HOOK = r"/api(?:/v\d+)?/webhooks/(?P<id>\d+)/(?P<token>[A-Za-z0-9_.-]+)"


def multipart(req: Request) -> dict[str, tuple[str | None, bytes | str, str]]:
    """The fields of a multipart/form-data body: name -> (filename, content, content type)."""
    head = f"Content-Type: {req.header('content-type')}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + req.body)
    out: dict[str, tuple[str | None, bytes | str, str]] = {}
    for item in message.iter_parts():
        name = item.get_param("name", header="content-disposition")
        data = item.get_payload(decode=True) or b""
        filename = item.get_filename()
        out[str(name)] = (filename, data if filename else data.decode("utf-8"), item.get_content_type())
    return out


class FakeDiscord(FakeServer):
    def __init__(self, *, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.hooks: dict[str, dict[str, Any]] = {}
        self.messages: list[dict[str, Any]] = []
        self.uploads: list[dict[str, Any]] = []
        self._ids = itertools.count(1_100_000_000_000_000_001)

    def add_webhook(self, name: str = "Garden news", guild: str = "81384788765712384",
                    channel: str = "81384788765712385") -> str:
        """A new webhook; returns its URL as Discord shows it (on discord.com)."""
        wid, token = str(next(self._ids)), secrets.token_urlsafe(48)
        with self.lock:
            self.hooks[wid] = {"id": wid, "token": token, "name": name, "guild_id": guild, "channel_id": channel}
        return f"https://discord.com/api/webhooks/{wid}/{token}"

    def delete_webhook(self, url: str) -> None:
        wid = url.rstrip("/").split("/")[-2]
        with self.lock:
            self.hooks.pop(wid, None)

    def posts(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.messages)

    def _hook(self, req: Request) -> dict[str, Any] | Response:
        assert req.match is not None
        hook = self.hooks.get(req.match["id"])
        if hook is None:
            return Response(404, {"message": "Unknown Webhook", "code": 10015})
        if hook["token"] != req.match["token"]:
            return Response(401, {"message": "Invalid Webhook Token", "code": 50027})
        return hook

    @route("GET", HOOK)
    def get_webhook(self, req: Request) -> Response:
        hook = self._hook(req)
        if isinstance(hook, Response):
            return hook
        return Response(200, {"type": 1, "avatar": None, "application_id": None,
                              **{k: v for k, v in hook.items() if k != "token"}})

    @route("POST", HOOK)
    def execute(self, req: Request) -> Response:
        hook = self._hook(req)
        if isinstance(hook, Response):
            return hook
        files: list[dict[str, Any]] = []
        try:
            if (req.header("content-type") or "").startswith("multipart/form-data"):
                fields = multipart(req)
                body = json.loads(fields.pop("payload_json")[1])
                described = {a["id"]: a for a in body.get("attachments", [])}
                for name, (filename, data, mime) in fields.items():
                    n = int(name.removeprefix("files[").rstrip("]"))
                    if len(data) > 10 * 1024 * 1024:
                        return Response(413, {"message": "Request entity too large", "code": 40005})
                    files.append({"id": str(n), "filename": filename, "content_type": mime, "size": len(data),
                                  "description": described.get(n, {}).get("description"), "data": data})
            else:
                body = req.json
        except (ValueError, KeyError):
            return Response(400, {"message": "Invalid Form Body", "code": 50035})
        content = body.get("content") if isinstance(body, dict) else None
        if (not isinstance(content, str) or not content.strip()) and not files:
            return Response(400, {"message": "Cannot send an empty message", "code": 50006})
        content = content or ""
        if len(content.encode("utf-16-le")) // 2 > 2000:
            return Response(400, {"message": "Invalid Form Body", "code": 50035, "errors": {"content": {
                "_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}})
        allowed = body.get("allowed_mentions")
        parse = allowed.get("parse", []) if isinstance(allowed, dict) else ["everyone", "users", "roles"]
        everyone = bool(re.search(r"@(everyone|here)\b", content)) and "everyone" in parse
        users = re.findall(r"<@!?(\d+)>", content) if "users" in parse else []
        with self.lock:
            message = {"id": str(next(self._ids)), "channel_id": hook["channel_id"], "webhook_id": hook["id"],
                       "content": content, "mention_everyone": everyone, "mentions": [{"id": u} for u in users],
                       "thread_id": (req.query.get("thread_id") or [None])[0],
                       "attachments": [{k: v for k, v in f.items() if k != "data"} for f in files]}
            self.uploads.extend(files)
            self.messages.append(message)
        if (req.query.get("wait") or ["false"])[0].lower() == "true":
            return Response(200, message)
        return Response(204, None)

    def not_found(self, req: Request) -> Response:
        return Response(404, {"message": "404: Not Found", "code": 0})
