"""A fake LinkedIn API (userinfo + Posts API) on 127.0.0.1, enforcing the rules that bite
(/work/shared/platforms.md section 3):

- `GET /v2/userinfo` (Bearer) → `{sub, name, given_name, family_name, locale}`; 401
  `{"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401}` for an unknown
  token, and `{"message": "The token used in the request has expired", ...}` once a token is expired
  (`expire(token)`), the way a 60-day token ends; revoked tokens say so.
- `POST /rest/posts` needs `LinkedIn-Version` (400 VERSION_MISSING without it; 426
  NONEXISTENT_VERSION for a malformed or sunset one: older than `oldest_version`) and
  `X-Restli-Protocol-Version: 2.0.0` (400 otherwise); JSON body with `author` = the token's own
  `urn:li:person:<sub>` (403 otherwise), `commentary`, `visibility` PUBLIC|CONNECTIONS,
  `distribution`, `lifecycleState`. Answers 201 with an empty body and `x-restli-id: urn:li:share:<n>`.
- The commentary is parsed as little text the way the module doc of `composer.platforms.linkedin`
  describes LinkedIn's behaviour: backslash escapes; HashtagElement `#tag`; MentionElement
  `@[Name](urn:li:person:x)`; HashtagTemplate `{hashtag|#|tag}`; links (http(s) URLs and bare
  domains not glued to a word) run up to whitespace, a backslash or one of `| { } [ ] ( ) < >`,
  without trailing punctuation or `* _ ~ # @`. The FIRST unescaped
  reserved character that starts none of these ends the post there: the rest is silently dropped and
  the answer is still 201. Each stored post keeps the raw `commentary`, the `text` a reader sees, its
  `links` and `hashtags`.
- Length: over 3000 UTF-16 code units of commentary → 400 with LinkedIn's documented body.
- Identical commentary from the same author → 422 DUPLICATE_POST "Content is a duplicate of
  urn:li:share:<n>" (the body shape seen in the wild).
- Faults (latency, 5xx, 429 + Retry-After, 401, malformed JSON, HTML pages, drop-after-commit) come
  from `FakeServer.inject`.
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .server import FakeServer, Request, Response, route

RESERVED = set("\\|{}@[]()<>#*_~")
LINK_STOP = set("\\|{}[]()<>")
SCHEME_URL = re.compile(r"https?://[^\s\\|{}\[\]()<>]+", re.I)
BARE_URL = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-]|://)(?::\d+)?"
    r"(?:[/?#][^\s\\|{}\[\]()<>]*)?",
    re.I,
)
HASHTAG = re.compile(r"#[^\W_]+")
MENTION = re.compile(r"@\[([^\]\\]*)\]\((urn:li:(?:person|organization):[\w-]+)\)")
TEMPLATE = re.compile(r"\{hashtag\|[#＃]\|([^\W_]+)\}")
TRAILING = ".,:;!?'\"*_~#@"

INVALID = {"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401}
EXPIRED = {"serviceErrorCode": 65601, "message": "The token used in the request has expired", "status": 401}
REVOKED = {"serviceErrorCode": 65601, "message": "The token used in the request has been revoked by the user",
           "status": 401}


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Parsed:
    text: str
    """What a reader sees (escapes removed), up to where parsing stopped."""
    truncated_at: int | None
    """Index into the commentary of the character that stopped the parse, or None."""
    links: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def parse_little(commentary: str) -> Parsed:
    """Little text → what LinkedIn shows, stopping at the first reserved character out of place."""
    out: list[str] = []
    links: list[str] = []
    tags: list[str] = []
    mentions: list[str] = []
    i, n = 0, len(commentary)
    while i < n:
        ch = commentary[i]
        glued = i > 0 and (commentary[i - 1].isalnum() or commentary[i - 1] in "_.-/@:$#")
        if ch == "\\":
            if i + 1 >= n:
                return Parsed("".join(out), i, links, tags, mentions)
            out.append(commentary[i + 1])
            i += 2
            continue
        # A link with a scheme is one wherever it starts; a bare domain only when not glued to a word.
        m = SCHEME_URL.match(commentary, i) or (None if glued else BARE_URL.match(commentary, i))
        if m:
            url = m.group()
            while url and url[-1] in TRAILING:
                url = url[:-1]
            if url:
                links.append(url)
                out.append(url)
                i += len(url)
                continue
        if ch == "#":
            m = HASHTAG.match(commentary, i)
            if m:
                tags.append(m.group()[1:])
                out.append(m.group())
                i = m.end()
                continue
        if ch == "@":
            m = MENTION.match(commentary, i)
            if m:
                mentions.append(m.group(2))
                out.append(m.group(1))
                i = m.end()
                continue
        if ch == "{":
            m = TEMPLATE.match(commentary, i)
            if m:
                tags.append(m.group(1))
                out.append("#" + m.group(1))
                i = m.end()
                continue
        if ch in RESERVED:
            return Parsed("".join(out), i, links, tags, mentions)
        out.append(ch)
        i += 1
    return Parsed("".join(out), None, links, tags, mentions)


@dataclass
class Member:
    sub: str
    name: str
    given_name: str
    family_name: str


@dataclass
class Token:
    token: str
    sub: str
    scopes: set[str]
    state: str = "ok"  # ok | expired | revoked


class FakeLinkedIn(FakeServer):
    """`with FakeLinkedIn() as li: token = li.add_member("Alice Example")`; point a client at `li.url`."""

    def __init__(self, *, oldest_version: str = "202511", latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.oldest_version = oldest_version
        self.members: dict[str, Member] = {}
        self.tokens: dict[str, Token] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        """urn -> stored post, in creation order."""
        self._ids = itertools.count(7_300_000_000_000_000_001)
        self.images: dict[str, bytes] = {}
        """Image URN -> the bytes PUT to its upload URL (an URN without bytes was never uploaded)."""
        self.uploads: dict[str, str] = {}
        """Upload token (in the upload URL) -> image URN."""
        self._post_lock = threading.Lock()

    # ------------------------------------------------------------------ test helpers

    def add_member(self, name: str = "Alice Example", *, token: str | None = None,
                   scopes: str = "openid profile w_member_social", sub: str | None = None) -> str:
        given, _, family = name.partition(" ")
        with self.lock:
            member = next((m for m in self.members.values() if m.name == name), None)
            if member is None:
                member = Member(sub or secrets.token_urlsafe(7).replace("-", "x").replace("_", "y"), name, given, family)
                self.members[member.sub] = member
            token = token or secrets.token_urlsafe(40)
            self.tokens[token] = Token(token, member.sub, set(scopes.split()))
        return token

    def member(self, name: str = "Alice Example") -> Member:
        return next(m for m in self.members.values() if m.name == name)

    def expire(self, token: str) -> None:
        with self.lock:
            self.tokens[token].state = "expired"

    def revoke(self, token: str) -> None:
        with self.lock:
            self.tokens[token].state = "revoked"

    def all_posts(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.posts.values())

    # ------------------------------------------------------------------ plumbing

    def _auth(self, req: Request, scope: str | None = None) -> Token | Response:
        value = req.header("authorization") or ""
        token = self.tokens.get(value[7:].strip()) if value[:7].lower() == "bearer " else None
        if token is None:
            return Response(401, INVALID)
        if token.state == "expired":
            return Response(401, EXPIRED)
        if token.state == "revoked":
            return Response(401, REVOKED)
        if scope and scope not in token.scopes:
            return Response(403, {"serviceErrorCode": 100, "code": "ACCESS_DENIED", "status": 403,
                                  "message": f"Not enough permissions to access: {scope}"})
        return token

    def not_found(self, req: Request) -> Response:
        return Response(404, {"serviceErrorCode": 0, "code": "NOT_FOUND", "status": 404,
                              "message": f"No virtual resource found for {req.path}"})

    # ------------------------------------------------------------------ routes

    @route("GET", r"/v2/userinfo")
    def userinfo(self, req: Request) -> Response:
        token = self._auth(req, "openid")
        if isinstance(token, Response):
            return token
        m = self.members[token.sub]
        return Response(200, {"sub": m.sub, "email_verified": True, "name": m.name, "locale": {"country": "US",
                              "language": "en"}, "given_name": m.given_name, "family_name": m.family_name})

    @route("POST", r"/rest/images")
    def initialize_upload(self, req: Request) -> Response:
        """Images API: `?action=initializeUpload` with the owner → an upload URL and the image URN."""
        token = self._auth(req, "w_member_social")
        if isinstance(token, Response):
            return token
        if req.query.get("action") != ["initializeUpload"] or not req.header("linkedin-version"):
            return Response(400, {"status": 400, "message": "action=initializeUpload and a version are required"})
        owner = ((req.json or {}).get("initializeUploadRequest") or {}).get("owner")
        if owner != f"urn:li:person:{token.sub}":
            return Response(403, {"status": 403, "message": f"Owner {owner} is not the member"})
        with self.lock:
            urn = f"urn:li:image:C4E{next(self._ids)}"
            key = secrets.token_urlsafe(12)
            self.uploads[key] = urn
        return Response(200, {"value": {"uploadUrlExpiresAt": int(time.time() * 1000) + 3_600_000,
                                        "uploadUrl": f"{self.url}/dms-uploads/{key}", "image": urn}})

    @route("PUT", r"/dms-uploads/(?P<key>[^/]+)")
    def upload(self, req: Request) -> Response:
        token = self._auth(req)
        if isinstance(token, Response):
            return token
        assert req.match is not None
        with self.lock:
            urn = self.uploads.pop(req.match["key"], None)
            if urn is None:
                return Response(404, {"status": 404, "message": "No such upload"})
            self.images[urn] = req.body
        return Response(201, None)

    @route("POST", r"/rest/posts")
    def create_post(self, req: Request) -> Response:
        version = req.header("linkedin-version")
        if not version:
            return Response(400, {"status": 400, "code": "VERSION_MISSING",
                                  "message": "A version must be present. Please specify a version by adding the "
                                             "LinkedIn-Version header."})
        if not re.fullmatch(r"\d{6}(\.\d{2})?", version) or version[:6] < self.oldest_version:
            return Response(426, {"status": 426, "code": "NONEXISTENT_VERSION",
                                  "message": f"Requested version {version} is not active"})
        if req.header("x-restli-protocol-version") != "2.0.0":
            return Response(400, {"status": 400, "message": "Restli protocol version 2.0.0 is required"})
        token = self._auth(req, "w_member_social")
        if isinstance(token, Response):
            return token
        try:
            body = req.json
        except ValueError:
            return Response(400, {"status": 400, "message": "Unable to parse the request body as JSON"})
        if not isinstance(body, dict):
            return Response(400, {"status": 400, "message": "Expected a JSON object"})
        author = f"urn:li:person:{token.sub}"
        if body.get("author") != author:
            return Response(403, {"status": 403, "serviceErrorCode": 100,
                                  "message": f"Unpermitted fields present in REQUEST_BODY: author {body.get('author')}"})
        missing = [k for k in ("commentary", "visibility", "distribution", "lifecycleState") if k not in body]
        if missing:
            return Response(400, {"status": 400, "message": f"Field /{missing[0]} is required"})
        content = body.get("content") or {}
        media = ([content["media"]] if "media" in content else
                 list((content.get("multiImage") or {}).get("images") or []))
        if "multiImage" in content and not 2 <= len(media) <= 20:
            return Response(400, {"status": 400, "message": "multiImage needs 2 to 20 images"})
        with self.lock:
            missing = [m.get("id") for m in media if m.get("id") not in self.images]
        if missing:
            return Response(400, {"status": 400, "message": f"Image {missing[0]} was not uploaded"})
        if body["visibility"] not in ("PUBLIC", "CONNECTIONS", "LOGGED_IN"):
            return Response(400, {"status": 400, "message": f"Invalid visibility {body['visibility']}"})
        commentary = str(body["commentary"])
        length = utf16(commentary)
        if length > 3000:
            return Response(400, {
                "errorDetailType": "com.linkedin.common.error.BadRequest",
                "message": f"com.linkedin.content.common.exception.BadRequestResponseException: ShareCommentary text "
                           f"length ({length} characters) exceeded the maximum allowed (3000 characters)",
                "errorDetails": {"inputErrors": [{"description": "Max length exceeded", "input":
                                                  {"inputPath": {"fieldPath": "/commentary"}},
                                                  "code": "FIELD_ARRAY_SIZE_TOO_HIGH", "maxLength": 3000}]},
                "status": 400,
            })
        with self._post_lock:
            for urn, post in self.posts.items():
                if post["author"] == author and post["commentary"] == commentary:
                    return Response(422, {
                        "errorDetailType": "com.linkedin.common.error.BadRequest",
                        "message": "com.linkedin.content.common.exception.BadRequestResponseException: "
                                   f"Content is a duplicate of {urn}",
                        "errorDetails": {"inputErrors": [{"description": "Duplicate post is detected",
                                                          "input": {}, "code": "DUPLICATE_POST"}]},
                        "status": 422,
                    })
            parsed = parse_little(commentary)
            urn = f"urn:li:share:{next(self._ids)}"
            self.posts[urn] = {
                "urn": urn,
                "author": author,
                "commentary": commentary,
                "text": parsed.text,
                "truncated_at": parsed.truncated_at,
                "links": parsed.links,
                "hashtags": parsed.hashtags,
                "visibility": body["visibility"],
                "version": version,
                "content": content,
                "createdAt": int(time.time() * 1000),
            }
        return Response(201, None, {"x-restli-id": urn, "x-linkedin-id": urn})

    def _own_post(self, req: Request) -> tuple[str, dict[str, Any]] | Response:
        if req.header("x-restli-protocol-version") != "2.0.0" or not req.header("linkedin-version"):
            return Response(400, {"status": 400, "message": "LinkedIn-Version and Restli protocol 2.0.0 are required"})
        token = self._auth(req, "w_member_social")
        if isinstance(token, Response):
            return token
        assert req.match is not None
        urn = unquote(req.match["urn"])
        with self.lock:
            post = self.posts.get(urn)
        if post is None:
            return self.not_found(req)
        if post["author"] != f"urn:li:person:{token.sub}":
            return Response(403, {"status": 403, "serviceErrorCode": 100, "message": "Not the author of this post"})
        return urn, post

    @route("DELETE", r"/rest/posts/(?P<urn>[^/]+)")
    def delete_post(self, req: Request) -> Response:
        """Posts API delete: 204; a post that is gone answers 404."""
        found = self._own_post(req)
        if isinstance(found, Response):
            return found
        with self.lock:
            self.posts.pop(found[0], None)
        return Response(204, None)

    @route("POST", r"/rest/posts/(?P<urn>[^/]+)")
    def update_post(self, req: Request) -> Response:
        """Posts API partial update (`X-RestLi-Method: PARTIAL_UPDATE`, `{"patch": {"$set": {...}}}`):
        only the commentary may change; 204."""
        if (req.header("x-restli-method") or "").upper() != "PARTIAL_UPDATE":
            return Response(400, {"status": 400, "message": "X-RestLi-Method PARTIAL_UPDATE is required"})
        found = self._own_post(req)
        if isinstance(found, Response):
            return found
        urn, post = found
        body = req.json if req.body else None
        patch = body.get("patch", {}).get("$set") if isinstance(body, dict) else None
        if not isinstance(patch, dict) or set(patch) - {"commentary", "contentCallToActionLabel", "lifecycleState"}:
            return Response(400, {"status": 400, "message": "Only commentary may be updated"})
        commentary = str(patch.get("commentary", post["commentary"]))
        if utf16(commentary) > 3000:
            return Response(400, {"status": 400, "message": "ShareCommentary text length exceeded the maximum allowed"})
        parsed = parse_little(commentary)
        with self.lock:
            post.update(commentary=commentary, text=parsed.text, truncated_at=parsed.truncated_at,
                        links=parsed.links, hashtags=parsed.hashtags)
        return Response(204, None)

    @route("GET", r"/rest/posts/(?P<urn>[^/]+)")
    def get_post(self, req: Request) -> Response:
        """The Posts API's read of one post (`createdAt`, `publishedAt` in epoch milliseconds)."""
        token = self._auth(req)
        if isinstance(token, Response):
            return token
        assert req.match is not None
        urn = unquote(req.match["urn"])
        with self.lock:
            post = self.posts.get(urn)
        if post is None:
            return self.not_found(req)
        return Response(200, {"id": urn, "author": post["author"], "commentary": post["commentary"],
                              "visibility": post["visibility"], "lifecycleState": "PUBLISHED",
                              "createdAt": post["createdAt"], "publishedAt": post["createdAt"],
                              "lastModifiedAt": post["createdAt"]})
