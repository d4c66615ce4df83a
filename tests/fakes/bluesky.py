"""A fake Bluesky PDS (and entryway) on 127.0.0.1 that speaks the XRPC calls the client uses and
enforces the rules of ../shared/platforms.md sections 2, 9 and 10:

- createSession / refreshSession / getSession; refresh tokens rotate (an old one answers 400
  ExpiredToken "Token has been revoked"); access tokens expire on demand (`expire_access()` → 400
  ExpiredToken); no token → 401 AuthMissing; garbage → 400 InvalidToken; createSession is rate-limited
  (30 per 5 minutes, 429 RateLimitExceeded) as on bsky.social;
- the session's didDoc names the PDS (`#atproto_pds`); set `pds_endpoint` to send the client to another
  fake sharing the same `BlueskyState` (entryway → PDS);
- createRecord: 300 graphemes and 3000 UTF-8 bytes (400 InvalidRequest with the lexicon's wording),
  rkey must be a TID, a taken rkey → 500 InternalServerError (the reference PDS's current answer),
  createdAt must be a datetime, at most 3 langs;
- stricter than the real PDS, to catch client bugs: every facet's byte range must decode as UTF-8 and
  land exactly on its link (full or bsky-shortened URL text), mention (`@handle` of that DID) or tag
  (`#tag`) text; reply refs must name existing records with their right cid;
- getRecord (400 RecordNotFound), listRecords, putRecord (upsert), resolveHandle, createAppPassword;
- deleteRecord (a record already gone is no error, as on the reference PDS);
- the app view the PDS passes `app.bsky.*` calls on to (`appview=False`: a PDS without one, 502
  UpstreamFailure): getPostThread (the post and the replies under it, PostViews with author
  handles), listNotifications (`reply` when a post answers one of yours, `mention` when a post's
  facets name your DID; `reasons` filter; newest first); `say(handle, text, reply_to=uri)` makes a
  reader's post as their client would (reply refs with root and parent, a mention facet for @handle);
- `ratelimit-*` headers on every answer; plus the FakeServer faults (latency, status, html,
  malformed-json, drop-before, drop-after-commit).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import regex

from tests.fakes.server import FakeServer, Request, Response, route

TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
POST = "app.bsky.feed.post"
X = "/xrpc/"


@dataclass
class Account:
    did: str
    handle: str
    password: str
    email: str
    app_passwords: dict[str, str] = field(default_factory=dict)
    """name → password."""


@dataclass
class StoredRecord:
    uri: str
    cid: str
    value: dict[str, Any]
    rkey: str
    collection: str
    did: str


class BlueskyState:
    """Accounts, tokens and records; may be shared by two fakes (an entryway and a PDS)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        self.access: dict[str, dict[str, Any]] = {}
        """token → {did, expired, app_password}."""
        self.refresh: dict[str, str] = {}
        """live refresh token → did."""
        self.revoked: set[str] = set()
        self.records: dict[tuple[str, str, str], StoredRecord] = {}
        self.session_times: list[float] = []
        self.blobs: dict[str, tuple[str, bytes, str]] = {}
        """cid -> (mimeType, bytes received, uploader's did)."""
        self.session_limit = (30, 300.0)
        """createSession: at most N per window seconds (bsky.social: 30 per 5 min)."""


def _cid(value: Any) -> str:
    import json

    digest = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).digest()
    return "bafyrei" + base64.b32encode(digest).decode().lower().rstrip("=")[:52]


def _err(status: int, name: str, message: str) -> Response:
    return Response(status, {"error": name, "message": message})


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


class FakeBluesky(FakeServer):
    def __init__(self, *, state: BlueskyState | None = None, latency: float = 0.0, appview: bool = True) -> None:
        super().__init__(latency=latency)
        self.state = state or BlueskyState()
        self.appview = appview
        self.pds_endpoint: str | None = None
        """What didDoc names as the PDS; None → this server's own URL."""
        self.rate_remaining = 3000
        self.max_blob = 1_000_000
        """The reference PDS's default blob limit (PDS_BLOB_UPLOAD_LIMIT)."""
        self.did_doc_in_session = True
        """False: sessions come without `didDoc`, as on the reference PDS by default."""

    # ------------------------------------------------------------------ test helpers

    def add_account(
        self, handle: str = "alice.test", password: str = "main-password", *, app_password: str | None = None
    ) -> str:
        did = "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]
        with self.state.lock:
            acct = Account(did=did, handle=handle, password=password, email=f"{handle}@example.com")
            if app_password:
                acct.app_passwords["humane"] = app_password
            self.state.accounts[did] = acct
        return did

    def expire_access(self) -> None:
        """Every access token issued so far now answers 400 ExpiredToken."""
        with self.state.lock:
            for info in self.state.access.values():
                info["expired"] = True

    def revoke_refresh(self) -> None:
        """Every live refresh token is revoked (as a logout or its 90-day end would)."""
        with self.state.lock:
            self.state.revoked.update(self.state.refresh)
            self.state.refresh.clear()

    def posts(self, did: str | None = None) -> list[StoredRecord]:
        with self.state.lock:
            return [
                r for r in self.state.records.values()
                if r.collection == POST and (did is None or r.did == did)
            ]

    def say(self, handle: str, text: str, *, reply_to: str | None = None) -> StoredRecord:
        """A post by `handle` (a reader; made if new), answering the post at-uri `reply_to`."""
        acct = self._find_account(handle)
        if acct is None:
            self.add_account(handle)
            acct = self._find_account(handle)
        assert acct is not None
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": datetime.now(UTC).isoformat()}
        if reply_to is not None:
            parent = self._by_uri(reply_to)
            assert parent is not None, f"no post {reply_to}"
            root = parent.value.get("reply", {}).get("root") or {"uri": parent.uri, "cid": parent.cid}
            record["reply"] = {"root": root, "parent": {"uri": parent.uri, "cid": parent.cid}}
        facets = []
        data = text.encode()
        for m in re.finditer(r"@([a-z0-9.-]+\.[a-z]+)", text):
            who = self._find_account(m.group(1))
            if who is not None:
                start = len(text[: m.start()].encode())
                facets.append({"index": {"byteStart": start, "byteEnd": start + len(m.group(0).encode())},
                               "features": [{"$type": "app.bsky.richtext.facet#mention", "did": who.did}]})
        assert data
        if facets:
            record["facets"] = facets
        return self._store(acct, POST, self._new_tid(), record)

    def _by_uri(self, uri: str) -> StoredRecord | None:
        did, _, rest = uri.removeprefix("at://").partition("/")
        collection, _, rkey = rest.partition("/")
        with self.state.lock:
            return self.state.records.get((did, collection, rkey))

    def calls(self, nsid: str) -> int:
        """How many requests for this XRPC method reached this server (faulted ones included)."""
        return len(self.requests(path=re.escape(X + nsid)))

    def did_doc(self, acct: Account) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": acct.did,
            "alsoKnownAs": [f"at://{acct.handle}"],
            "verificationMethod": [],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": self.pds_endpoint or self.url,
                }
            ],
        }

    # ------------------------------------------------------------------ plumbing

    def _route(self, req: Request) -> Response:
        response = super()._route(req)
        with self.lock:
            self.rate_remaining = max(0, self.rate_remaining - 1)
            remaining = self.rate_remaining
        response.headers.setdefault("ratelimit-limit", "3000")
        response.headers.setdefault("ratelimit-remaining", str(remaining))
        response.headers.setdefault("ratelimit-reset", str(int(time.time()) + 300))
        response.headers.setdefault("ratelimit-policy", "3000;w=300")
        return response

    @staticmethod
    def _write(h: Any, response: Response) -> None:
        # FakeServer writes the headers and the body in two sends; with Nagle on, the body waits for
        # the client's delayed ACK (~40 ms a request on Linux). TCP_NODELAY sends it at once.
        try:
            h.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        FakeServer._write(h, response)

    def not_found(self, req: Request) -> Response:
        if req.path.startswith(X):
            return _err(501, "MethodNotImplemented", "Method Not Implemented")
        return Response(404, "Not Found")

    def _bearer(self, req: Request) -> str | None:
        auth = req.header("authorization") or ""
        return auth[7:].strip() if auth.lower().startswith("bearer ") else None

    def _auth(self, req: Request) -> Account | Response:
        token = self._bearer(req)
        if not token:
            return _err(401, "AuthMissing", "Authentication Required")
        with self.state.lock:
            info = self.state.access.get(token)
            if info is None:
                if token in self.state.refresh or token in self.state.revoked:
                    return _err(400, "InvalidToken", "Bad token scope")
                return _err(400, "InvalidToken", "Token could not be verified")
            if info["expired"]:
                return _err(400, "ExpiredToken", "Token has expired")
            return self.state.accounts[info["did"]]

    def _session(self, acct: Account, *, app_password: bool) -> dict[str, Any]:
        access = "fake-access-" + secrets.token_hex(12)
        refresh = "fake-refresh-" + secrets.token_hex(12)
        with self.state.lock:
            self.state.access[access] = {"did": acct.did, "expired": False, "app_password": app_password}
            self.state.refresh[refresh] = acct.did
        session = {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": acct.handle,
            "did": acct.did,
            "didDoc": self.did_doc(acct),
            "email": acct.email,
            "emailConfirmed": True,
            "active": True,
        }
        if not self.did_doc_in_session:
            del session["didDoc"]
        return session

    def _find_account(self, ident: str) -> Account | None:
        ident = ident.lower().lstrip("@")
        with self.state.lock:
            for acct in self.state.accounts.values():
                if ident in (acct.did, acct.handle.lower(), acct.email.lower()):
                    return acct
        return None

    def _repo(self, req: Request, repo: str | None, acct: Account) -> bool:
        return bool(repo) and repo in (acct.did, acct.handle)

    # ------------------------------------------------------------------ sessions

    @route("POST", r"/xrpc/com\.atproto\.server\.createSession")
    def create_session(self, req: Request) -> Response:
        body = req.json or {}
        ident, password = str(body.get("identifier", "")), str(body.get("password", ""))
        if not ident or not password:
            return _err(400, "InvalidRequest", "Input must have the property \"identifier\"")
        limit, window = self.state.session_limit
        now = time.time()
        with self.state.lock:
            self.state.session_times = [t for t in self.state.session_times if now - t < window]
            if len(self.state.session_times) >= limit:
                reset = int(self.state.session_times[0] + window)
                return Response(
                    429,
                    {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                    {"ratelimit-limit": str(limit), "ratelimit-remaining": "0", "ratelimit-reset": str(reset),
                     "ratelimit-policy": f"{limit};w={int(window)}"},
                )
            self.state.session_times.append(now)
        acct = self._find_account(ident)
        if acct is None:
            return _err(401, "AuthenticationRequired", "Invalid identifier or password")
        if password == acct.password:
            return Response(200, self._session(acct, app_password=False))
        if password in acct.app_passwords.values():
            return Response(200, self._session(acct, app_password=True))
        return _err(401, "AuthenticationRequired", "Invalid identifier or password")

    @route("POST", r"/xrpc/com\.atproto\.server\.refreshSession")
    def refresh_session(self, req: Request) -> Response:
        token = self._bearer(req)
        if not token:
            return _err(401, "AuthMissing", "Authentication Required")
        with self.state.lock:
            if token in self.state.revoked:
                return _err(400, "ExpiredToken", "Token has been revoked")
            did = self.state.refresh.pop(token, None)
            if did is None:
                if token in self.state.access:
                    return _err(400, "InvalidToken", "Bad token scope")
                return _err(400, "InvalidToken", "Token could not be verified")
            self.state.revoked.add(token)
            acct = self.state.accounts[did]
        return Response(200, self._session(acct, app_password=True))

    @route("GET", r"/xrpc/com\.atproto\.server\.getSession")
    def get_session(self, req: Request) -> Response:
        acct = self._auth(req)
        if isinstance(acct, Response):
            return acct
        body = {"handle": acct.handle, "did": acct.did, "email": acct.email, "emailConfirmed": True,
                "didDoc": self.did_doc(acct), "active": True}
        if not self.did_doc_in_session:
            del body["didDoc"]
        return Response(200, body)

    @route("POST", r"/xrpc/com\.atproto\.server\.createAppPassword")
    def create_app_password(self, req: Request) -> Response:
        acct = self._auth(req)
        if isinstance(acct, Response):
            return acct
        with self.state.lock:
            if self.state.access[self._bearer(req) or ""]["app_password"]:
                return _err(400, "InvalidToken", "Bad token scope")
            name = str((req.json or {}).get("name", "app"))
            alphabet = "abcdefghijklmnopqrstuvwxyz234567"
            pw = "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
            acct.app_passwords[name] = pw
        return Response(200, {"name": name, "password": pw, "createdAt": "2026-01-01T00:00:00.000Z"})

    @route("GET", r"/xrpc/com\.atproto\.identity\.resolveHandle")
    def resolve_handle(self, req: Request) -> Response:
        handle = (req.query.get("handle") or [""])[0]
        acct = self._find_account(handle) if handle and not handle.startswith("did:") else None
        if acct is None or acct.handle.lower() != handle.lower():
            return _err(400, "InvalidRequest", "Unable to resolve handle")
        return Response(200, {"did": acct.did})

    # ------------------------------------------------------------------ records

    def _check_post(self, record: Any) -> str | None:
        """Why a post record is invalid, in the reference PDS's words where known; None if valid."""
        bad = "Invalid app.bsky.feed.post record: "
        if not isinstance(record, dict) or record.get("$type") != POST:
            return "Invalid $type: must be app.bsky.feed.post"
        text = record.get("text")
        if not isinstance(text, str):
            return bad + 'Record must have the property "text"'
        if graphemes(text) > 300:
            return bad + "Record/text must not be longer than 300 graphemes"
        data = text.encode("utf-8")
        if len(data) > 3000:
            return bad + "Record/text must not be longer than 3000 characters"
        created = record.get("createdAt")
        try:
            if not isinstance(created, str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", created):
                raise ValueError
            datetime.fromisoformat(created)
        except ValueError:
            return bad + "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
        langs = record.get("langs")
        if langs is not None and (not isinstance(langs, list) or len(langs) > 3 or not all(isinstance(x, str) and x for x in langs)):
            return bad + "Record/langs must not have more than 3 elements"
        labels = record.get("labels")
        if labels is not None:
            if labels.get("$type") != "com.atproto.label.defs#selfLabels" or not all(
                isinstance(v, dict) and isinstance(v.get("val"), str) for v in labels.get("values", [])
            ):
                return bad + "Record/labels has an invalid type"
        for n, facet in enumerate(record.get("facets") or []):
            why = self._check_facet(facet, data)
            if why:
                return bad + f"Record/facets/{n} {why}"
        embed = record.get("embed")
        if embed is not None:
            why = self._check_embed(embed)
            if why:
                return bad + why
        reply = record.get("reply")
        if reply is not None:
            for which in ("root", "parent"):
                ref = reply.get(which) if isinstance(reply, dict) else None
                if not isinstance(ref, dict) or not isinstance(ref.get("uri"), str) or not isinstance(ref.get("cid"), str):
                    return bad + f'Record/reply/{which} must have the property "cid"'
                with self.state.lock:
                    target = next((r for r in self.state.records.values() if r.uri == ref["uri"]), None)
                if target is None or target.cid != ref["cid"]:
                    return bad + f"Record/reply/{which} names no existing post (fake: stricter than the PDS)"
        return None

    def _check_embed(self, embed: Any) -> str | None:
        """app.bsky.embed.images as the lexicon has it: 1-4 images, each a blob (uploaded here,
        fake: stricter than the PDS) with a required `alt` string and an optional positive
        integer aspectRatio."""
        if not isinstance(embed, dict) or embed.get("$type") != "app.bsky.embed.images":
            return "Record/embed has an invalid type (fake: only images)"
        images = embed.get("images")
        if not isinstance(images, list) or not images:
            return 'Record/embed must have the property "images"'
        if len(images) > 4:
            return "Record/embed/images must not have more than 4 elements"
        for n, item in enumerate(images):
            where = f"Record/embed/images/{n}"
            if not isinstance(item, dict) or not isinstance(item.get("alt"), str):
                return f'{where} must have the property "alt"'
            blob = item.get("image")
            if not isinstance(blob, dict) or blob.get("$type") != "blob" or not isinstance(blob.get("ref"), dict):
                return f"{where}/image should be a blob ref"
            with self.state.lock:
                stored = self.state.blobs.get(str(blob["ref"].get("$link")))
            if stored is None or stored[0] != blob.get("mimeType") or len(stored[1]) != blob.get("size"):
                return f"{where}/image names no blob uploaded here (fake: stricter than the PDS)"
            if not str(blob.get("mimeType", "")).startswith("image/"):
                return f"{where}/image has an invalid mime type"
            ratio = item.get("aspectRatio")
            if ratio is not None and not (
                isinstance(ratio, dict)
                and all(isinstance(ratio.get(k), int) and ratio[k] >= 1 for k in ("width", "height"))
            ):
                return f"{where}/aspectRatio must have positive integer width and height"
        return None

    def images(self, record: StoredRecord) -> list[tuple[str, bytes, dict[str, Any]]]:
        """A post's images: (alt, the blob's bytes, aspectRatio)."""
        embed = record.value.get("embed") or {}
        out = []
        for item in embed.get("images", []):
            with self.state.lock:
                _, data, _ = self.state.blobs[item["image"]["ref"]["$link"]]
            out.append((item["alt"], data, item.get("aspectRatio") or {}))
        return out

    @route("POST", r"/xrpc/com\.atproto\.repo\.uploadBlob")
    def upload_blob(self, req: Request) -> Response:
        acct = self._auth(req)
        if isinstance(acct, Response):
            return acct
        if len(req.body) > self.max_blob:
            return _err(400, "BlobTooLarge", f"This file is too large. It is {len(req.body)} bytes but the maximum size is {self.max_blob}.")
        mime = (req.header("content-type") or "application/octet-stream").split(";")[0].strip()
        digest = hashlib.sha256(req.body).digest()
        cid = "bafkrei" + base64.b32encode(digest).decode().lower().rstrip("=")[:52]
        with self.state.lock:
            self.state.blobs[cid] = (mime, req.body, acct.did)
        return Response(200, {"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": len(req.body)}})

    def _check_facet(self, facet: Any, data: bytes) -> str | None:
        try:
            start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
            features = facet["features"]
        except (KeyError, TypeError):
            return "must have index and features"
        if not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end < 0:
            return "index/byteStart must be a non-negative integer"
        if not (start < end <= len(data)):
            return f"byte range {start}..{end} is outside the text ({len(data)} bytes)"
        try:
            covered = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return f"byte range {start}..{end} cuts a character in two"
        if not isinstance(features, list) or len(features) != 1:
            return "must have exactly one feature (this fake)"
        f = features[0]
        kind = f.get("$type") if isinstance(f, dict) else None
        if kind == "app.bsky.richtext.facet#link":
            uri = f.get("uri", "")
            parts = urlsplit(uri)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                return f"link uri {uri!r} is not a valid URI"
            shown = covered[:-3] if covered.endswith("...") else covered[:-1] if covered.endswith("…") else covered
            bare = uri.split("://", 1)[1]
            if not shown or not (uri.startswith(shown) or bare.startswith(shown)):
                return f"link range covers {covered!r}, not the link {uri!r}"
        elif kind == "app.bsky.richtext.facet#mention":
            did = f.get("did", "")
            with self.state.lock:
                acct = self.state.accounts.get(did)
            if acct is None:
                return f"mention did {did!r} is unknown"
            if covered.lower() != "@" + acct.handle.lower():
                return f"mention range covers {covered!r}, not @{acct.handle}"
        elif kind == "app.bsky.richtext.facet#tag":
            tag = f.get("tag", "")
            if not tag or graphemes(tag) > 64 or len(tag.encode()) > 640:
                return "tag must be 1-64 graphemes"
            if covered not in ("#" + tag, "＃" + tag):
                return f"tag range covers {covered!r}, not #{tag}"
        else:
            return f"unknown feature {kind!r}"
        return None

    def _store(self, acct: Account, collection: str, rkey: str, record: dict[str, Any]) -> StoredRecord:
        uri = f"at://{acct.did}/{collection}/{rkey}"
        stored = StoredRecord(uri=uri, cid=_cid(record), value=record, rkey=rkey, collection=collection, did=acct.did)
        with self.state.lock:
            self.state.records[(acct.did, collection, rkey)] = stored
        return stored

    def _new_tid(self) -> str:
        alphabet = "234567abcdefghijklmnopqrstuvwxyz"
        value = (time.time_ns() // 1000) << 10 | secrets.randbelow(1024)
        return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(13)))

    def _write_args(self, req: Request) -> tuple[Account, str, str | None, Any] | Response:
        acct = self._auth(req)
        if isinstance(acct, Response):
            return acct
        body = req.json or {}
        if not self._repo(req, body.get("repo"), acct):
            return _err(400, "InvalidRequest", "Invalid repo: must be the authenticated account")
        collection = body.get("collection")
        if not isinstance(collection, str) or not collection:
            return _err(400, "InvalidRequest", 'Input must have the property "collection"')
        rkey = body.get("rkey")
        if rkey is not None and (collection == POST and not TID_RE.fullmatch(str(rkey))):
            return _err(400, "InvalidRequest", "Invalid record key: must be a TID")
        record = body.get("record")
        if collection == POST:
            why = self._check_post(record)
            if why:
                return _err(400, "InvalidRequest", why)
        return acct, collection, rkey, record

    @route("POST", r"/xrpc/com\.atproto\.repo\.createRecord")
    def create_record(self, req: Request) -> Response:
        args = self._write_args(req)
        if isinstance(args, Response):
            return args
        acct, collection, rkey, record = args
        rkey = rkey or self._new_tid()
        with self.state.lock:
            if (acct.did, collection, rkey) in self.state.records:
                return _err(500, "InternalServerError", "Internal Server Error")
            stored = self._store(acct, collection, rkey, record)
        return Response(200, {"uri": stored.uri, "cid": stored.cid,
                              "commit": {"cid": _cid([stored.cid]), "rev": self._new_tid()},
                              "validationStatus": "valid"})

    @route("POST", r"/xrpc/com\.atproto\.repo\.putRecord")
    def put_record(self, req: Request) -> Response:
        args = self._write_args(req)
        if isinstance(args, Response):
            return args
        acct, collection, rkey, record = args
        if not rkey:
            return _err(400, "InvalidRequest", 'Input must have the property "rkey"')
        body = req.json
        with self.state.lock:
            existing = self.state.records.get((acct.did, collection, rkey))
            if "swapRecord" in body:
                want = body["swapRecord"]
                if (existing is None) != (want is None) or existing is not None and existing.cid != want:
                    return _err(400, "InvalidSwap", "Record was at " + (existing.cid if existing else "null"))
            stored = self._store(acct, collection, rkey, record)
        return Response(200, {"uri": stored.uri, "cid": stored.cid, "validationStatus": "valid"})

    @route("GET", r"/xrpc/com\.atproto\.repo\.getRecord")
    def get_record(self, req: Request) -> Response:
        q = {k: v[0] for k, v in req.query.items()}
        acct = self._find_account(q.get("repo", ""))
        if acct is None:
            return _err(400, "InvalidRequest", f"Could not find repo: {q.get('repo')}")
        with self.state.lock:
            stored = self.state.records.get((acct.did, q.get("collection", ""), q.get("rkey", "")))
        if stored is None:
            uri = f"at://{acct.did}/{q.get('collection')}/{q.get('rkey')}"
            return _err(400, "RecordNotFound", f"Could not locate record: {uri}")
        return Response(200, {"uri": stored.uri, "cid": stored.cid, "value": stored.value})

    @route("GET", r"/xrpc/com\.atproto\.repo\.listRecords")
    def list_records(self, req: Request) -> Response:
        q = {k: v[0] for k, v in req.query.items()}
        acct = self._find_account(q.get("repo", ""))
        if acct is None:
            return _err(400, "InvalidRequest", f"Could not find repo: {q.get('repo')}")
        with self.state.lock:
            found = sorted(
                (r for r in self.state.records.values() if r.did == acct.did and r.collection == q.get("collection")),
                key=lambda r: r.rkey,
                reverse=True,
            )
        return Response(200, {"records": [{"uri": r.uri, "cid": r.cid, "value": r.value} for r in found]})

    @route("POST", r"/xrpc/com\.atproto\.repo\.deleteRecord")
    def delete_record(self, req: Request) -> Response:
        acct = self._auth(req)
        if isinstance(acct, Response):
            return acct
        body = req.json or {}
        if not self._repo(req, body.get("repo"), acct):
            return _err(400, "InvalidRequest", "Invalid repo: must be the authenticated account")
        with self.state.lock:
            self.state.records.pop((acct.did, str(body.get("collection")), str(body.get("rkey"))), None)
        return Response(200, {"commit": {"cid": _cid([time.time()]), "rev": self._new_tid()}})

    # ------------------------------------------------------------------ the app view

    def _view(self, r: StoredRecord) -> dict[str, Any]:
        acct = self.state.accounts[r.did]
        return {"uri": r.uri, "cid": r.cid, "author": {"did": acct.did, "handle": acct.handle,
                                                      "displayName": acct.handle.split(".")[0].capitalize()},
                "record": r.value, "indexedAt": r.value.get("createdAt"), "replyCount": 0, "likeCount": 0,
                "repostCount": 0, "labels": []}

    def _thread_view(self, r: StoredRecord, depth: int) -> dict[str, Any]:
        node: dict[str, Any] = {"$type": "app.bsky.feed.defs#threadViewPost", "post": self._view(r)}
        if depth > 0:
            children = sorted((c for c in self.state.records.values() if c.collection == POST
                               and c.value.get("reply", {}).get("parent", {}).get("uri") == r.uri),
                              key=lambda c: c.rkey)
            node["replies"] = [self._thread_view(c, depth - 1) for c in children]
        return node

    @route("GET", r"/xrpc/app\.bsky\.feed\.getPostThread")
    def get_post_thread(self, req: Request) -> Response:
        if not self.appview:
            return _err(502, "UpstreamFailure", "Upstream Failure")
        acct = self._auth(req)
        if isinstance(acct, Response):
            return acct
        q = {k: v[0] for k, v in req.query.items()}
        found = self._by_uri(q.get("uri", ""))
        if found is None:
            return _err(400, "NotFound", f"Post not found: {q.get('uri')}")
        with self.state.lock:
            return Response(200, {"thread": self._thread_view(found, int(q.get("depth", "6")))})

    @route("GET", r"/xrpc/app\.bsky\.notification\.listNotifications")
    def list_notifications(self, req: Request) -> Response:
        if not self.appview:
            return _err(502, "UpstreamFailure", "Upstream Failure")
        acct = self._auth(req)
        if isinstance(acct, Response):
            return acct
        reasons = req.query.get("reasons") or req.query.get("reasons[]")
        notes = []
        with self.state.lock:
            for r in self.state.records.values():
                if r.collection != POST or r.did == acct.did:
                    continue
                parent = r.value.get("reply", {}).get("parent", {}).get("uri", "")
                mentioned = any(f.get("did") == acct.did for facet in r.value.get("facets", [])
                                for f in facet.get("features", []))
                reason = "reply" if parent.startswith(f"at://{acct.did}/") else "mention" if mentioned else None
                if reason is None or (reasons and reason not in reasons):
                    continue
                view = self._view(r)
                notes.append({"uri": r.uri, "cid": r.cid, "author": view["author"], "reason": reason,
                              "reasonSubject": parent or None, "record": r.value, "isRead": False,
                              "indexedAt": view["indexedAt"], "labels": []})
        notes.sort(key=lambda n: n["indexedAt"], reverse=True)
        return Response(200, {"notifications": notes[: int(req.query.get("limit", ["50"])[0])]})
