"""A fake Instagram Graph API (Instagram API with Instagram Login) on 127.0.0.1, after Meta's
Content Publishing guide and the IG User Media / IG Container / Media Publish references:

- Tokens in `Authorization: Bearer` (or an `access_token` parameter); unknown → 401 OAuthException
  code 190. `GET /{ig-user-id}?fields=id,username,name` for the token's own user (another user's id
  → 400 code 100 subcode 33, "does not exist ... missing permissions").
- `POST /{ig-user-id}/media` (form): `image_url` + `caption` (+ `alt_text`) → an IMAGE container;
  `image_url` + `is_carousel_item=true` → a carousel item; `media_type=CAROUSEL` + `children` (2 to
  10 item ids of this user) + `caption` → a carousel container. No `image_url` and no children →
  400 code 100 ("media type ... is not supported" for a text-only post, as Instagram has none).
  The fake fetches every `image_url` as Meta's crawler does: one that does not answer 200 with an
  image → 400 code 9004 subcode 2207052 "The media could not be fetched from this uri". Captions
  over 2,200 characters or with more than 30 hashtags → 400 code 100.
- `GET /{container}?fields=status_code` → IN_PROGRESS for the first `in_progress_reads` reads, then
  FINISHED; PUBLISHED once published; EXPIRED after `expire_container(id)`.
- `POST /{ig-user-id}/media_publish?creation_id=` → `{id}` of the media (a container not FINISHED
  → 400 code 9007 subcode 2207027 "Media ID is not available"; one already published → 400).
- `GET /{media}?fields=id,permalink,caption,timestamp`; `GET /{ig-user-id}/media?fields=...` →
  `{"data": [...]}` newest first.
- Faults from `FakeServer.inject` (latency, 5xx, 429, 401, malformed JSON, HTML, drop-after-commit).
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from .server import FakeServer, Request, Response
from .threads import graph_error, stamp

HASHTAG = re.compile(r"(?<![\w#&])#\w+")


@dataclass
class Container:
    id: str
    user_id: str
    kind: str
    """IMAGE, CAROUSEL_ITEM or CAROUSEL."""
    caption: str
    image_urls: list[str]
    alt_texts: list[str]
    created: float
    reads_left: int
    children: list[str] = field(default_factory=list)
    status: str = "IN_PROGRESS"
    media_id: str | None = None


class FakeInstagram(FakeServer):
    """`with FakeInstagram() as ig: ig.add_user("17841400000000001", "alice", token=TOKEN)`."""

    def __init__(self, *, in_progress_reads: int = 0, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.in_progress_reads = in_progress_reads
        self.users: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, str] = {}
        self.containers: dict[str, Container] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(17_950_000_000_000_001)

    def add_user(self, user_id: str, username: str, *, token: str) -> None:
        with self.lock:
            self.users[user_id] = {"id": user_id, "username": username, "name": username.title()}
            self.tokens[token] = user_id

    def expire_container(self, container_id: str) -> None:
        with self.lock:
            self.containers[container_id].status = "EXPIRED"

    def posts(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.media.values())

    def _next(self) -> str:
        return str(next(self._ids))

    def _user(self, req: Request) -> str | None:
        auth = req.header("authorization") or ""
        token = auth[7:] if auth.lower().startswith("bearer ") else (req.query.get("access_token") or [""])[0]
        return self.tokens.get(token)

    @staticmethod
    def _params(req: Request) -> dict[str, str]:
        out = {k: v[0] for k, v in req.query.items()}
        if req.body:
            out.update({k: v[0] for k, v in req.form.items()})
        return out

    # ------------------------------------------------------------------ routes

    def _route(self, req: Request) -> Response:
        me = self._user(req)
        if me is None:
            return graph_error("Invalid OAuth access token - Cannot parse access token", 190,
                               kind="OAuthException", status=401)
        parts = [p for p in req.path.split("/") if p]
        if req.method == "POST" and len(parts) == 2 and parts[1] == "media":
            return self.create(req, me, parts[0])
        if req.method == "POST" and len(parts) == 2 and parts[1] == "media_publish":
            return self.publish(req, me, parts[0])
        if req.method == "GET" and len(parts) == 2 and parts[1] == "media":
            return self.list_media(req, me, parts[0])
        if req.method == "GET" and len(parts) == 1:
            return self.read(req, me, parts[0])
        return graph_error("Unsupported request", 100, subcode=33)

    def create(self, req: Request, me: str, user: str) -> Response:
        if user != me:
            return graph_error("Unsupported post request", 100, subcode=33)
        p = self._params(req)
        caption = p.get("caption", "")
        if len(caption.encode("utf-16-le")) // 2 > 2200:
            return graph_error("The caption is too long (2,200 characters at most).", 100)
        if len(HASHTAG.findall(caption)) > 30:
            return graph_error("The caption has more than 30 hashtags.", 100)
        now = time.time()
        if p.get("media_type") == "CAROUSEL":
            children = [c for c in p.get("children", "").split(",") if c]
            with self.lock:
                bad = [c for c in children if c not in self.containers
                       or self.containers[c].kind != "CAROUSEL_ITEM" or self.containers[c].user_id != me]
            if not 2 <= len(children) <= 10 or bad:
                return graph_error("The carousel needs 2 to 10 items of this account.", 100)
            c = Container(self._next(), me, "CAROUSEL", caption, [], [], now, self.in_progress_reads,
                          children=children)
        else:
            url = p.get("image_url")
            if not url:
                return graph_error("The media type is not supported: a post needs an image_url.", 100)
            if not _fetchable(url):
                return graph_error("The media could not be fetched from this uri: " + url, 9004, subcode=2207052)
            kind = "CAROUSEL_ITEM" if p.get("is_carousel_item") == "true" else "IMAGE"
            c = Container(self._next(), me, kind, "" if kind == "CAROUSEL_ITEM" else caption, [url],
                          [p.get("alt_text", "")], now, self.in_progress_reads)
        with self.lock:
            self.containers[c.id] = c
        return Response(200, {"id": c.id})

    def publish(self, req: Request, me: str, user: str) -> Response:
        cid = self._params(req).get("creation_id", "")
        with self.lock:
            c = self.containers.get(cid)
            if c is None or c.user_id != me or user != me or c.kind == "CAROUSEL_ITEM":
                return graph_error("Unsupported post request", 100, subcode=33)
            if c.status != "FINISHED":
                return graph_error("Media ID is not available", 9007, subcode=2207027)
            mid = self._next()
            c.status, c.media_id = "PUBLISHED", mid
            items = [self.containers[x] for x in c.children] if c.kind == "CAROUSEL" else [c]
            self.media[mid] = {
                "id": mid, "user_id": me, "caption": c.caption, "container": cid,
                "media_type": "CAROUSEL_ALBUM" if c.kind == "CAROUSEL" else "IMAGE",
                "image_urls": [u for i in items for u in i.image_urls],
                "alt_texts": [a for i in items for a in i.alt_texts],
                "timestamp": stamp(time.time()),
                "permalink": f"https://www.instagram.com/p/{secrets.token_urlsafe(8)}/",
            }
        return Response(200, {"id": mid})

    def read(self, req: Request, me: str, node: str) -> Response:
        with self.lock:
            if node in self.users:
                if node != me:
                    return graph_error(f"Unsupported get request. Object with ID '{node}' does not exist", 100,
                                       subcode=33)
                return Response(200, dict(self.users[node]))
            c = self.containers.get(node)
            if c is not None and c.user_id == me:
                if c.status == "IN_PROGRESS":
                    if c.reads_left > 0:
                        c.reads_left -= 1
                    else:
                        c.status = "FINISHED"
                return Response(200, {"id": c.id, "status_code": c.status,
                                      "status": f"{c.status}: fake"})
            m = self.media.get(node)
            if m is not None and m["user_id"] == me:
                return Response(200, {k: m[k] for k in ("id", "caption", "timestamp", "permalink", "media_type")})
        return graph_error(f"Unsupported get request. Object with ID '{node}' does not exist", 100, subcode=33)

    def list_media(self, req: Request, me: str, user: str) -> Response:
        if user != me:
            return graph_error("Unsupported get request", 100, subcode=33)
        with self.lock:
            mine = [m for m in self.media.values() if m["user_id"] == me]
        keys = ("id", "caption", "timestamp", "permalink", "media_type")
        return Response(200, {"data": [{k: m[k] for k in keys} for m in reversed(mine)], "paging": {}})


def _fetchable(url: str) -> bool:
    """Whether Meta's crawler would get an image from `url` (here: it answers 200 with image/*)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - a test fake on 127.0.0.1
            return answer.status == 200 and answer.headers.get("Content-Type", "").startswith("image/")
    except OSError:
        return False
