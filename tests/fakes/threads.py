"""A fake Threads Graph API on 127.0.0.1 (/work/shared/platforms.md section 4, Meta's docs):

- Tokens: `Authorization: Bearer` or an `access_token` parameter. Unknown → 401 OAuthException 190;
  expired (`expire(token)`) → 401 code 190 subcode 463 "Session has expired". Scopes checked:
  threads_basic for reads, threads_content_publish for posting (403 code 10 otherwise).
- `GET /refresh_access_token?grant_type=th_refresh_token&access_token=…` → `{access_token,
  token_type, expires_in}` (60 days), refused (400, code 190) for a token under 24 hours old; the
  age of a token is `age(token, hours)` away from what the test sets.
- `GET /v1.0/me?fields=id,username,name`.
- `POST /v1.0/{user|me}/threads` (form or query: media_type=TEXT, text, reply_to_id) → `{id}` of
  a container. Enforced: text ≤ 500 characters counted as Meta documents it (each grapheme 1, an
  emoji its UTF-8 bytes), at most 5 links (http(s) URLs and bare domains, error
  THREADS_API__LINK_LIMIT_EXCEEDED), reply_to_id must be a post of this account. Graph-style errors
  `{"error": {message, type: "THApiException", code, error_subcode, fbtrace_id}}`.
- Container states: IN_PROGRESS for the first `in_progress_reads` status reads (then FINISHED);
  EXPIRED after `expire_container(id)` (24 hours, in the real service); ERROR via `fail_container`;
  PUBLISHED once published. Publishing one that is IN_PROGRESS answers code 24 / 4279009 ("The
  requested resource does not exist", as reported in the wild); EXPIRED or PUBLISHED ones are refused.
- How a published container reads (Meta documents only id, status, error_message for it):
  `published_container="status"` → `{"id": <container>, "status": "PUBLISHED"}` (the media has its
  own id); `"media"` → the container id *is* the media id, and asking it for `status` answers
  code 100 "Tried accessing nonexisting field (status)" (reported in the wild).
- `POST /v1.0/{user}/threads_publish?creation_id=` → `{id}` of the media; `GET /v1.0/{media}?fields=
  id,permalink,...` (`no_permalink = True`: omitted, as for media flagged for copyright); `GET /v1.0/{user}/threads` (top-level posts) and `/replies` (replies, with
  `replied_to`), newest first, `{"data": [...], "paging": {}}`.
- Dialogue: `GET /{media}/conversation` (threads_read_replies; every reply under the post, breadth
  first), `DELETE /{media}` (threads_delete; the owner only), and `say(user, text, reply_to=id)` for
  a reader's reply.
- Faults from `FakeServer.inject` (latency, 5xx, 429, 401, malformed JSON, HTML, drop-after-commit).
"""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import regex

from .server import FakeServer, Request, Response, route

API = "/v1.0"
LINK = regex.compile(
    r"(?i)\bhttps?://[^\s]+|(?<![\w@.])(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|social|info|blog|news)\b(?:/\S*)?"
)
EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def meta_length(text: str) -> int:
    total = 0
    for g in regex.findall(r"\X", text):
        total += len(g.encode("utf-8")) if EMOJI.search(g) else 1
    return total


def graph_error(message: str, code: int, *, subcode: int | None = None, kind: str = "THApiException",
                status: int = 400, user_title: str | None = None) -> Response:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code,
                             "fbtrace_id": secrets.token_urlsafe(9)}
    if subcode is not None:
        error["error_subcode"] = subcode
    if user_title:
        error["error_user_title"] = user_title
        error["error_user_msg"] = message
    return Response(status, {"error": error})


def stamp(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class User:
    id: str
    username: str
    name: str


@dataclass
class Token:
    token: str
    user_id: str
    scopes: set[str]
    issued: float = field(default_factory=time.time)
    expired: bool = False


@dataclass
class Container:
    id: str
    user_id: str
    text: str
    reply_to: str | None
    created: float
    reads_left: int
    status: str = "IN_PROGRESS"
    media_id: str | None = None
    error_message: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    """IMAGE and CAROUSEL containers: {url, alt, data} of each image, fetched from its URL."""
    item: bool = False
    """A carousel item (published only inside a CAROUSEL container)."""


class FakeThreads(FakeServer):
    """`with FakeThreads() as t: token = t.add_user("alice")`; point a client at `t.url`."""

    def __init__(self, *, published_container: str = "status", in_progress_reads: int = 0,
                 latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        assert published_container in ("status", "media")
        self.published_container = published_container
        self.in_progress_reads = in_progress_reads
        self.no_permalink = False
        """Omit `permalink`, as Meta does for media flagged for copyrighted material."""
        self.users: dict[str, User] = {}
        self.tokens: dict[str, Token] = {}
        self.containers: dict[str, Container] = {}
        self.media: dict[str, dict[str, Any]] = {}
        """media id -> post, in publishing order."""
        self._ids = itertools.count(17_900_000_000_000_001)

    # ------------------------------------------------------------------ test helpers

    def add_user(self, username: str = "alice", *, token: str | None = None,
                 scopes: str = "threads_basic threads_content_publish threads_manage_replies",
                 age_hours: float = 0.0) -> str:
        with self.lock:
            user = next((u for u in self.users.values() if u.username == username), None)
            if user is None:
                user = User(str(next(self._ids)), username, username.capitalize())
                self.users[user.id] = user
            token = token or "THAA" + secrets.token_urlsafe(40)
            self.tokens[token] = Token(token, user.id, set(scopes.split()), issued=time.time() - age_hours * 3600)
        return token

    def user(self, username: str = "alice") -> User:
        return next(u for u in self.users.values() if u.username == username)

    def expire(self, token: str) -> None:
        with self.lock:
            self.tokens[token].expired = True

    def age(self, token: str, hours: float) -> None:
        with self.lock:
            self.tokens[token].issued = time.time() - hours * 3600

    def expire_container(self, cid: str) -> None:
        with self.lock:
            c = self.containers[cid]
            if c.status != "PUBLISHED":
                c.status = "EXPIRED"

    def fail_container(self, cid: str, message: str = "Unsupported content") -> None:
        with self.lock:
            c = self.containers[cid]
            c.status, c.error_message = "ERROR", message

    def posts(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.media.values())

    def say(self, username: str, text: str, *, reply_to: str) -> dict[str, Any]:
        """A reader's reply (`username`, made if new) to the post `reply_to`, published at once."""
        if username not in {u.username for u in self.users.values()}:
            self.add_user(username)
        user = self.user(username)
        with self.lock:
            assert reply_to in self.media, f"no post {reply_to}"
            mid = str(next(self._ids))
            shortcode = secrets.token_urlsafe(8).replace("-", "A").replace("_", "B")
            self.media[mid] = {"id": mid, "container": None, "user_id": user.id, "text": text, "reply_to": reply_to,
                               "timestamp": stamp(time.time()), "shortcode": shortcode,
                               "permalink": f"https://www.threads.net/@{username}/post/{shortcode}"}
            return self.media[mid]

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _params(req: Request) -> dict[str, str]:
        params = {k: v[0] for k, v in req.query.items()}
        ctype = (req.header("content-type") or "").split(";")[0].strip().lower()
        if req.body and ctype == "application/x-www-form-urlencoded":
            params.update({k: v[0] for k, v in req.form.items()})
        return params

    def _auth(self, req: Request, scope: str = "threads_basic") -> Token | Response:
        value = req.header("authorization") or ""
        raw = value[7:].strip() if value[:7].lower() == "bearer " else self._params(req).get("access_token", "")
        token = self.tokens.get(raw)
        if token is None:
            return graph_error("Invalid OAuth access token - Cannot parse access token", 190,
                               kind="OAuthException", status=401)
        if token.expired:
            return graph_error("Error validating access token: Session has expired on Tuesday, 01-Sep-26 "
                               "12:00:00 PDT.", 190, subcode=463, kind="OAuthException", status=401)
        if scope not in token.scopes:
            return graph_error(f"(#10) Application does not have permission for this action ({scope})", 10,
                               kind="OAuthException", status=403)
        return token

    def _owner(self, req: Request, token: Token) -> str | Response:
        assert req.match is not None
        uid = req.match["user"]
        if uid == "me":
            return token.user_id
        if uid != token.user_id:
            return graph_error("Unsupported request - method type: post", 100, subcode=33)
        return uid

    def not_found(self, req: Request) -> Response:
        return graph_error(f"Unsupported get request. Object with ID '{req.path.rsplit('/', 1)[-1]}' does not "
                           "exist, cannot be loaded due to missing permissions, or does not support this "
                           "operation.", 100, subcode=33)

    # ------------------------------------------------------------------ token, me

    @route("GET", r"/refresh_access_token")
    def refresh(self, req: Request) -> Response:
        params = self._params(req)
        if params.get("grant_type") != "th_refresh_token":
            return graph_error("Unsupported grant_type", 100, kind="OAuthException")
        token = self.tokens.get(params.get("access_token", ""))
        if token is None or token.expired:
            return graph_error("Error validating access token: Session has expired.", 190, subcode=463,
                               kind="OAuthException")
        if time.time() - token.issued < 24 * 3600:
            return graph_error("Cannot refresh a long-lived access token that is less than 24 hours old.", 190,
                               kind="OAuthException")
        new = "THAA" + secrets.token_urlsafe(40)
        with self.lock:
            self.tokens[new] = Token(new, token.user_id, set(token.scopes))
        return Response(200, {"access_token": new, "token_type": "bearer", "expires_in": 5_183_944})

    @route("GET", API + r"/me")
    def me(self, req: Request) -> Response:
        token = self._auth(req)
        if isinstance(token, Response):
            return token
        u = self.users[token.user_id]
        fields = self._params(req).get("fields", "id").split(",")
        data = {"id": u.id, "username": u.username, "name": u.name}
        return Response(200, {k: v for k, v in data.items() if k in fields or k == "id"})

    # ------------------------------------------------------------------ publishing

    @route("POST", API + r"/(?P<user>me|\d+)/threads")
    def create_container(self, req: Request) -> Response:
        token = self._auth(req, "threads_content_publish")
        if isinstance(token, Response):
            return token
        uid = self._owner(req, token)
        if isinstance(uid, Response):
            return uid
        p = self._params(req)
        kind = p.get("media_type")
        if kind not in ("TEXT", "IMAGE", "CAROUSEL"):
            return graph_error("Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}", 100)
        images: list[dict[str, Any]] = []
        if kind == "IMAGE":
            fetched = self._fetch(p.get("image_url", ""))
            if isinstance(fetched, Response):
                return fetched
            images = [{"url": p["image_url"], "alt": p.get("alt_text", ""), "data": fetched}]
            if len(p.get("alt_text", "")) > 1000:
                return graph_error("Param alt_text must be at most 1000 characters long.", 100)
        if kind == "CAROUSEL":
            children = [c for c in p.get("children", "").split(",") if c]
            if not 2 <= len(children) <= 20:
                return graph_error("Param children must have between 2 and 20 items", 100, subcode=4279004)
            with self.lock:
                items = [self.containers.get(c) for c in children]
            if any(c is None or not c.item or c.user_id != uid for c in items):
                return graph_error("The requested resource does not exist", 24, subcode=4279009, kind="OAuthException")
            images = [i for c in items if c is not None for i in c.images]
        if p.get("is_carousel_item") == "true":
            with self.lock:
                c = Container(str(next(self._ids)), uid, "", None, time.time(), 0, "FINISHED", images=images, item=True)
                self.containers[c.id] = c
            return Response(200, {"id": c.id})
        text = p.get("text", "")
        if kind == "TEXT" and not text.strip():
            return graph_error("Param text is required for TEXT posts", 100)
        if meta_length(text) > 500:
            return graph_error("Param text must be at most 500 characters long.", 100, subcode=2207003,
                               user_title="Text too long")
        links = LINK.findall(text)
        if len(links) > 5:
            return graph_error("The post has more than 5 links.", 100, subcode=4279020,
                               user_title="THREADS_API__LINK_LIMIT_EXCEEDED")
        reply_to = p.get("reply_to_id") or None
        if reply_to is not None:
            if reply_to not in self.media:
                return graph_error("The requested resource does not exist", 24, subcode=4279009,
                                   kind="OAuthException")
            if "threads_manage_replies" not in token.scopes:
                return graph_error("(#10) Application does not have permission for this action", 10,
                                   kind="OAuthException", status=403)
        with self.lock:
            c = Container(str(next(self._ids)), uid, text, reply_to, time.time(), self.in_progress_reads,
                          images=images)
            if c.reads_left <= 0:
                c.status = "FINISHED"
            self.containers[c.id] = c
        return Response(200, {"id": c.id})

    def _fetch(self, url: str) -> bytes | Response:
        """Fetch an image from its public address, as Meta's servers do (a loopback one in tests)."""
        import urllib.request

        if not url.startswith(("http://127.0.0.1", "https://")):
            return graph_error("Param image_url must be a public URL", 100)
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (a fake on loopback)
                data = answer.read()
        except Exception:
            return graph_error("Media download has failed. The media URI doesn't meet our requirements.", 100,
                               subcode=2207052)
        if not data.startswith((b"\xff\xd8\xff", b"\x89PNG")):
            return graph_error("Only JPEG and PNG images are supported.", 100, subcode=2207026)
        return data

    @route("POST", API + r"/(?P<user>me|\d+)/threads_publish")
    def publish(self, req: Request) -> Response:
        token = self._auth(req, "threads_content_publish")
        if isinstance(token, Response):
            return token
        uid = self._owner(req, token)
        if isinstance(uid, Response):
            return uid
        cid = self._params(req).get("creation_id", "")
        with self.lock:
            c = self.containers.get(cid)
            if c is None or c.user_id != uid:
                return graph_error("The requested resource does not exist", 24, subcode=4279009,
                                   kind="OAuthException")
            if c.status == "IN_PROGRESS":
                return graph_error("The requested resource does not exist", 24, subcode=4279009,
                                   kind="OAuthException", user_title="Media Not Found")
            if c.status == "EXPIRED":
                return graph_error("The media container has expired and can no longer be published.", 100,
                                   subcode=4279010)
            if c.status == "ERROR":
                return graph_error(c.error_message or "Media processing failed", 100, subcode=4279011)
            if c.status == "PUBLISHED":
                return graph_error("This media has already been published.", 100, subcode=4279012)
            mid = c.id if self.published_container == "media" else str(next(self._ids))
            shortcode = secrets.token_urlsafe(8).replace("-", "A").replace("_", "B")
            user = self.users[uid]
            now = time.time()
            self.media[mid] = {
                "id": mid,
                "container": c.id,
                "user_id": uid,
                "text": c.text,
                "reply_to": c.reply_to,
                "images": list(c.images),
                "timestamp": stamp(now),
                "shortcode": shortcode,
                "permalink": f"https://www.threads.net/@{user.username}/post/{shortcode}",
            }
            c.status, c.media_id = "PUBLISHED", mid
        return Response(200, {"id": mid})

    @route("GET", API + r"/(?P<user>me|\d+)/(?P<edge>threads|replies)")
    def list_posts(self, req: Request) -> Response:
        token = self._auth(req)
        if isinstance(token, Response):
            return token
        uid = self._owner(req, token)
        if isinstance(uid, Response):
            return uid
        assert req.match is not None
        replies = req.match["edge"] == "replies"
        p = self._params(req)
        limit = min(int(p.get("limit", "25") or 25), 100)
        with self.lock:
            mine = [m for m in self.media.values() if m["user_id"] == uid and (m["reply_to"] is not None) == replies]
        mine.reverse()
        data = [self._media_json(m, p.get("fields", "id")) for m in mine[:limit]]
        return Response(200, {"data": data, "paging": {}})

    def _media_json(self, m: dict[str, Any], fields: str) -> dict[str, Any]:
        user = self.users[m["user_id"]]
        full = {
            "id": m["id"], "text": m["text"], "timestamp": m["timestamp"], "permalink": m["permalink"],
            "shortcode": m["shortcode"], "username": user.username, "media_type": "TEXT_POST",
            "media_product_type": "THREADS", "is_reply": m["reply_to"] is not None,
        }
        if m["reply_to"]:
            full["replied_to"] = {"id": m["reply_to"]}
            root = m
            while root["reply_to"]:
                root = self.media[root["reply_to"]]
            full["root_post"] = {"id": root["id"]}
        if self.no_permalink:
            del full["permalink"]
        wanted = set(fields.split(",")) | {"id"}
        return {k: v for k, v in full.items() if k in wanted}

    @route("GET", API + r"/(?P<id>\d+)/conversation")
    def conversation(self, req: Request) -> Response:
        token = self._auth(req, "threads_read_replies")
        if isinstance(token, Response):
            return token
        assert req.match is not None
        root = req.match["id"]
        fields = self._params(req).get("fields", "id")
        with self.lock:
            if root not in self.media:
                return self.not_found(req)
            found, frontier = [], [root]
            while frontier:
                current = frontier.pop(0)
                children = [m for m in self.media.values() if m["reply_to"] == current]
                found.extend(children)
                frontier.extend(c["id"] for c in children)
            data = [self._media_json(m, fields) for m in found]
        return Response(200, {"data": data, "paging": {}})

    @route("DELETE", API + r"/(?P<id>\d+)")
    def delete_media(self, req: Request) -> Response:
        token = self._auth(req, "threads_delete")
        if isinstance(token, Response):
            return token
        assert req.match is not None
        with self.lock:
            media = self.media.get(req.match["id"])
            if media is None or media["user_id"] != token.user_id:
                return self.not_found(req)
            del self.media[media["id"]]
        return Response(200, {"success": True, "deleted_id": media["id"]})

    @route("GET", API + r"/(?P<id>\d+)")
    def get_object(self, req: Request) -> Response:
        token = self._auth(req)
        if isinstance(token, Response):
            return token
        assert req.match is not None
        oid = req.match["id"]
        fields = self._params(req).get("fields", "id")
        wanted = set(fields.split(","))
        with self.lock:
            media = self.media.get(oid)
            container = self.containers.get(oid)
            if media is not None and media["user_id"] == token.user_id:
                if wanted & {"status", "error_message"}:
                    return graph_error("Tried accessing nonexisting field (status) on node type (ThreadsMedia)",
                                       100)
                return Response(200, self._media_json(media, fields))
            if container is not None and container.user_id == token.user_id:
                if container.status == "IN_PROGRESS" and "status" in wanted:
                    container.reads_left -= 1
                    if container.reads_left <= 0:
                        container.status = "FINISHED"
                    return Response(200, {"id": oid, "status": "IN_PROGRESS"})
                out: dict[str, Any] = {"id": oid}
                if "status" in wanted:
                    out["status"] = container.status
                if "error_message" in wanted and container.error_message:
                    out["error_message"] = container.error_message
                return Response(200, out)
        return self.not_found(req)
