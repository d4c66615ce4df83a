"""Bluesky (AT Protocol) client: app-password sessions kept and refreshed, posts with facets, threads,
and retry-safe publishing through client-made record keys.

Facts this follows (../shared/platforms.md section 2):
- Log in with handle + app password at the account's server (the entryway, https://bsky.social by
  default) with com.atproto.server.createSession; every later call goes to the PDS named in the
  session's DID document (`#atproto_pds` service). createSession is rate-limited (30 per 5 min), so the
  session is saved in the keyring and reused; the client never logs in per post.
- An expired access token answers HTTP 400 with the error *name* `ExpiredToken`: the client refreshes
  (refreshSession with the refresh JWT), and because refresh tokens rotate it hands the new session to
  `on_secret_change` at once (the accounts layer saves it to the keyring).
- Posts are `app.bsky.feed.post` records: text of at most 300 graphemes and 3000 UTF-8 bytes, with
  facets (links, mentions, hashtags) addressed by UTF-8 *byte* offsets. Nothing is auto-linked by the
  server. Long URLs are shortened in the visible text the way bsky.app shows them, with the full URL in
  the link facet.
- No idempotency header exists: each part's record key (a TID) is made before the first try and saved
  in the draft; a retry looks the key up (getRecord) before sending, and createRecord on a key that is
  already taken (HTTP 500 on the reference PDS) is looked up too. So a retry never posts twice.

Choices:
- The secret is a JSON blob `{accessJwt, refreshJwt, did, handle, pds, app_password?}`. The app password
  is kept (in the keyring, with the session) so the client can log in again by itself when the refresh
  token dies (90 days, or revoked by a server-side logout); without it the writer would have to type it
  again every three months. An app password can be revoked on its own and cannot change account
  settings, which is what makes keeping it acceptable. A secret that does not look like an app password
  (xxxx-xxxx-xxxx-xxxx) is probably the writer's main password: it is used for this one login (with a
  warning) and NOT kept; only the session is.
- Content warnings: Bluesky has no free-text warning, only self-labels with fixed values. A warning
  that names one of them (`sexual`, `nudity`, `porn`, `graphic-media`, plus a few plain synonyms) is sent
  as that self-label; any other warning is refused before anything is sent (Rejected, saying which
  words work) rather than dropped silently.
- `langs` comes from the post options or the account's language; no language is invented.
- Dialogue: replies are read through the PDS, which passes `app.bsky.*` calls on to its app view:
  `app.bsky.feed.getPostThread` (one request per post, the whole conversation under it) and one page
  of `app.bsky.notification.listNotifications` (reasons reply and mention; nothing is marked seen).
  A PDS without an app view answers 502/501: said plainly as not available. An answer's reply refs
  come from the reader's record (`com.atproto.repo.getRecord`): `parent` is that post, `root` the
  root of its thread. Deleting is `com.atproto.repo.deleteRecord` (a record already gone is no
  error). Bluesky has no edit: a correction is a delete and a new post (composer/dialogue/correct.py).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from composer import registry

from .atproto import is_tid, make_tid, plan_post, self_labels, shorten_url, tid_time
from .base import PlatformClient, Sending
from .bluesky_xrpc import AUTH_ERRORS, AUTH_HINT, json_body, now_iso, pds_from_did_doc, raise_for_xrpc, xrpc_error
from .errors import AuthError, NotAvailable, Rejected, TransientError
from .http import check_url, send
from .reading import mapping, time_of
from .records import AccountInfo, Ask, Identity, Image, PartRecord, PostOptions, Reply, Secret, Uploaded

if TYPE_CHECKING:
    import httpx

__all__ = [  # the AT Protocol pieces live in atproto.py; these names stay importable from here
    "APP_PASSWORD_WARNING", "BlueskyClient", "embed_images", "is_tid", "looks_like_app_password", "make_tid", "plan_post",
    "self_labels", "shorten_url", "tid_time",
]

ENTRY = registry.get("bluesky")
LABEL = ENTRY.label
POST = "app.bsky.feed.post"

APP_PASSWORD_RE = re.compile(ENTRY.login.secret.pattern if ENTRY.login else "")
"""What Bluesky's app passwords look like (lowercase letters and digits, four groups of four)."""

APP_PASSWORD_WARNING = (
    "That does not look like a Bluesky app password (xxxx-xxxx-xxxx-xxxx): if it is your main password, "
    "make an app password instead (Settings → Privacy and security → App passwords) and add the account "
    "again with it. Your main password was used for this login only and is not kept."
)

def embed_images(uploads: Sequence[Uploaded]) -> dict[str, Any]:
    """app.bsky.embed.images for uploaded blobs: each with its alt text and its aspect ratio (the
    prepared image's width and height, so bsky.app shows it uncropped)."""
    return {
        "$type": "app.bsky.embed.images",
        "images": [
            {
                "image": dict(u.extra["blob"]),
                "alt": u.image.alt,
                "aspectRatio": {"width": u.image.width, "height": u.image.height},
            }
            for u in uploads
        ],
    }


def looks_like_app_password(secret: str) -> bool:
    return bool(APP_PASSWORD_RE.fullmatch(secret.strip()))


class BlueskyClient(PlatformClient):
    platform = "bluesky"
    CHECK_LENGTH = False
    """The server's refusal is shown (its words name the limit it applies)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._session = self._parse_secret(self.secret)
        self._refresh_lock = asyncio.Lock()
        self._dids: dict[str, str | None] = {}

    # ------------------------------------------------------------------ secret & session

    def _parse_secret(self, secret: Secret) -> dict[str, Any]:
        raw = secret.reveal()
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            # A bare app password (no session yet): log in on first use.
            return {"app_password": raw.strip()}
        return data

    def _store(self, session: Mapping[str, Any]) -> None:
        self._session = dict(session)
        self.renewed(Secret(json.dumps(self._session, separators=(",", ":"), sort_keys=True)))

    @property
    def pds(self) -> str:
        pds = self._session.get("pds") or self.account.options.get("pds") or self.account.server
        return check_url(str(pds or self.DEFAULT_SERVER), what=f"{LABEL} PDS")

    @property
    def did(self) -> str:
        return str(self._session.get("did") or self.account.options.get("did") or "")

    @property
    def handle(self) -> str:
        return str(self._session.get("handle") or self.account.handle or "")

    @staticmethod
    def _session_from(data: Mapping[str, Any], *, entryway: str, app_password: str | None) -> dict[str, Any]:
        for key in ("accessJwt", "refreshJwt", "did"):
            if not isinstance(data.get(key), str) or not data.get(key):
                raise TransientError(f"{LABEL} answered the login without a complete session ({key} missing).")
        pds = pds_from_did_doc(data.get("didDoc")) or entryway
        session: dict[str, Any] = {
            "accessJwt": data["accessJwt"],
            "refreshJwt": data["refreshJwt"],
            "did": data["did"],
            "handle": data.get("handle") or "",
            "pds": check_url(pds, what=f"{LABEL} PDS (from your DID document)"),
        }
        if app_password:
            session["app_password"] = app_password
        return session

    @classmethod
    async def _create_session(
        cls, http: httpx.AsyncClient, entryway: str, identifier: str, password: str
    ) -> Mapping[str, Any]:
        response = await send(
            http,
            "POST",
            f"{entryway}/xrpc/com.atproto.server.createSession",
            label=LABEL,
            json={"identifier": identifier, "password": password},
        )
        if response.status_code == 401:
            _name, message = xrpc_error(response)
            raise AuthError(
                f"{LABEL} did not accept the handle and password for {identifier}"
                + (f" ({message})." if message else "."),
                hint="Check the handle, and use an app password (Settings → Privacy and security → "
                "App passwords).",
            )
        raise_for_xrpc(response, what="the login")
        return json_body(response, write=False, what="the login")

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        """Log in with handle + app password; return the session secret and the account with its
        server, handle, and (in options) its PDS and DID.

        When the password does not look like an app password, the account comes back with
        `options["login_warning"]`: a sentence for the writer, to show once (not to save)."""
        entryway = cls.server_of(account)
        handle = (account.handle or ask(f"{LABEL} handle (like alice.bsky.social)", False)).strip().lstrip("@")
        if not handle:
            raise AuthError(f"A {LABEL} account needs a handle.", hint="Give it with --handle, like alice.bsky.social.")
        password = ask(
            f"{LABEL} app password for {handle} (xxxx-xxxx-xxxx-xxxx; make one under Settings → "
            "Privacy and security → App passwords)",
            True,
        ).strip()
        if not password:
            raise AuthError(f"No {LABEL} app password was given.", hint=AUTH_HINT)
        is_app_password = looks_like_app_password(password)
        data = await cls._create_session(http, entryway, handle, password)
        session = cls._session_from(data, entryway=entryway, app_password=password if is_app_password else None)
        options = {k: v for k, v in account.options.items() if k != "login_warning"}
        options.update(pds=session["pds"], did=session["did"])
        if not is_app_password:
            options["login_warning"] = APP_PASSWORD_WARNING
        info = replace(account, server=entryway, handle=session["handle"] or handle, options=options)
        secret = Secret(json.dumps(session, separators=(",", ":"), sort_keys=True))
        return secret, info

    async def _relogin(self) -> None:
        password = self._session.get("app_password")
        if not password:
            raise AuthError(
                f"Your {LABEL} session for {self.handle or self.account.name} has expired or was signed out.",
                hint=AUTH_HINT,
            )
        data = await self._create_session(self.http, self.server_url, self.did or self.handle, password)
        self._store(self._session_from(data, entryway=self.server_url, app_password=password))

    async def _refresh(self, stale_access: str | None) -> None:
        """Swap the refresh JWT for a new session (refresh tokens rotate: the new one is saved at
        once); fall back to a fresh login with the kept app password when the refresh token is dead."""
        async with self._refresh_lock:
            if stale_access is not None and self._session.get("accessJwt") != stale_access:
                return  # someone else refreshed while we waited
            refresh = self._session.get("refreshJwt")
            if not refresh:
                return await self._relogin()
            response = await send(
                self.http,
                "POST",
                f"{self.pds}/xrpc/com.atproto.server.refreshSession",
                label=LABEL,
                headers={"Authorization": f"Bearer {refresh}"},
            )
            name, _message = xrpc_error(response)
            if response.status_code in (400, 401) and (name in AUTH_ERRORS or response.status_code == 401):
                return await self._relogin()
            raise_for_xrpc(response, what="the session refresh")
            data = json_body(response, write=False, what="the session refresh")
            merged = {**self._session}
            merged.update({k: data[k] for k in ("accessJwt", "refreshJwt", "did", "handle") if data.get(k)})
            pds = pds_from_did_doc(data.get("didDoc"))
            if pds:
                merged["pds"] = check_url(pds, what=f"{LABEL} PDS (from your DID document)")
            self._store(merged)

    async def _xrpc(
        self,
        method: str,
        nsid: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        write: bool = False,
    ) -> httpx.Response:
        """One authenticated XRPC call to the PDS, refreshing the session once on ExpiredToken."""
        if not self._session.get("accessJwt"):
            await self._refresh(None)
        for attempt in (1, 2):
            access = self._session.get("accessJwt")
            kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {access}"}}
            if params is not None:
                kwargs["params"] = params
            if body is not None:
                kwargs["json"] = body
            response = await send(self.http, method, f"{self.pds}/xrpc/{nsid}", label=LABEL, write=write, **kwargs)
            if attempt == 1 and response.status_code in (400, 401):
                name, _ = xrpc_error(response)
                if name == "ExpiredToken":
                    await self._refresh(access)
                    continue
            return response
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ interface

    async def identify(self) -> Identity:
        response = await self._xrpc("GET", "com.atproto.server.getSession")
        raise_for_xrpc(response, what="the session check")
        data = json_body(response, write=False, what="the session check")
        if data.get("active") is False:
            status = data.get("status") or "inactive"
            raise AuthError(
                f"{LABEL} says the account {data.get('handle') or self.handle} is {status}.",
                hint="Sign in at bsky.app to see why; nothing can be posted until it is active again.",
            )
        did = str(data.get("did") or self.did)
        handle = str(data.get("handle") or self.handle)
        if handle and handle != self._session.get("handle"):
            self._store({**self._session, "handle": handle})
        return Identity(
            id=did,
            handle=handle,
            url=f"https://bsky.app/profile/{handle}" if handle else None,
            details={"pds": self.pds, "did": did},
        )

    @classmethod
    def new_part_key(cls) -> str:
        return make_tid()

    async def resolve_handle(self, handle: str) -> str | None:
        """The DID of a handle, or None when it does not resolve (the mention is then left plain)."""
        handle = handle.lower()
        if handle == str(self._session.get("handle", "")).lower() and self.did:
            return self.did
        if handle in self._dids:
            return self._dids[handle]
        response = await self._xrpc("GET", "com.atproto.identity.resolveHandle", params={"handle": handle})
        if response.status_code == 400:
            name, _ = xrpc_error(response)
            if name not in AUTH_ERRORS:
                self._dids[handle] = None
                return None
        raise_for_xrpc(response, what=f"looking up @{handle}")
        did = json_body(response, write=False, what=f"looking up @{handle}").get("did")
        self._dids[handle] = did if isinstance(did, str) and did.startswith("did:") else None
        return self._dids[handle]

    async def build_record(
        self,
        text: str,
        options: PostOptions,
        reply: Mapping[str, Any] | None = None,
        labels: Sequence[str] = (),
    ) -> dict[str, Any]:
        """The app.bsky.feed.post record for one part (mentions resolved; unresolvable ones left plain)."""
        display, planned = plan_post(text)
        facets = []
        for facet in planned:
            feature = facet["features"][0]
            if "handle" in feature:
                did = await self.resolve_handle(feature["handle"])
                if did is None:
                    continue
                feature = {"$type": feature["$type"], "did": did}
            facets.append({"index": facet["index"], "features": [feature]})
        record: dict[str, Any] = {"$type": POST, "text": display, "createdAt": now_iso()}
        if facets:
            record["facets"] = facets
        lang = options.language or self.account.language
        if lang:
            record["langs"] = [lang]
        if reply:
            record["reply"] = dict(reply)
        if labels:
            record["labels"] = {
                "$type": "com.atproto.label.defs#selfLabels",
                "values": [{"val": v} for v in labels],
            }
        return record

    def post_url(self, rkey: str) -> str:
        return f"https://bsky.app/profile/{self.handle or self.did}/post/{rkey}"

    def post_uri(self, rkey: str) -> str:
        return f"at://{self.did}/{POST}/{rkey}"

    async def get_post(self, rkey: str) -> Mapping[str, Any] | None:
        """The record at this key ({uri, cid, value}), or None when there is none (RecordNotFound)."""
        response = await self._xrpc(
            "GET",
            "com.atproto.repo.getRecord",
            params={"repo": self.did, "collection": POST, "rkey": rkey},
        )
        if response.status_code == 400 and xrpc_error(response)[0] == "RecordNotFound":
            return None
        raise_for_xrpc(response, what="the check for an earlier try")
        data = json_body(response, write=False, what="the check for an earlier try")
        if not isinstance(data.get("uri"), str) or not isinstance(data.get("cid"), str):
            raise TransientError(f"{LABEL} answered the check for an earlier try without the post's uri and cid.")
        return data

    async def _create(self, rkey: str, record: Mapping[str, Any]) -> tuple[str, str]:
        """createRecord with our key; (uri, cid). A 500 may mean the key is taken: look it up."""
        response = await self._xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            body={"repo": self.did, "collection": POST, "rkey": rkey, "record": record},
            write=True,
        )
        if response.status_code >= 500:
            found = await self.get_post(rkey)
            if found is not None:
                return found["uri"], found["cid"]
        raise_for_xrpc(response, write=True, what="the post")
        data = json_body(response, write=True, what="the post")
        uri, cid = data.get("uri"), data.get("cid")
        if not isinstance(uri, str) or not isinstance(cid, str):
            raise TransientError(
                f"{LABEL} accepted the post but did not say where it is.",
                ambiguous=True,
                hint="The retry looks it up before sending again.",
            )
        return uri, cid

    async def upload(self, image: Image) -> Uploaded:
        """com.atproto.repo.uploadBlob with the image's bytes; the blob goes into the post's
        app.bsky.embed.images with the alt text and aspect ratio (`embed_images`)."""
        if not self._session.get("accessJwt"):
            await self._refresh(None)
        for attempt in (1, 2):
            access = self._session.get("accessJwt")
            response = await send(
                self.http, "POST", f"{self.pds}/xrpc/com.atproto.repo.uploadBlob", label=LABEL,
                headers={"Authorization": f"Bearer {access}", "Content-Type": image.mime},
                content=image.data,
            )
            if attempt == 1 and response.status_code in (400, 401) and xrpc_error(response)[0] == "ExpiredToken":
                await self._refresh(access)
                continue
            break
        if response.status_code in (400, 413) and xrpc_error(response)[0] in ("BlobTooLarge", "InvalidMimeType", None):
            name, message = xrpc_error(response)
            raise Rejected(
                f"{LABEL} refused the image {image.name} ({name or response.status_code}: {message or 'too large?'}).",
                hint="Use a smaller image, or remove it from the draft.",
            )
        raise_for_xrpc(response, what=f"the upload of {image.name}")
        blob = json_body(response, write=False, what=f"the upload of {image.name}").get("blob")
        if not isinstance(blob, dict) or not isinstance(blob.get("ref"), dict):
            raise TransientError(f"{LABEL} answered the upload of {image.name} without the blob.")
        return Uploaded(image=image, id=str(blob["ref"].get("$link", "")), extra={"blob": blob})

    async def check(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions) -> None:
        await super().check(parts, records, options)
        self_labels(options.content_warning)  # a warning with no label to stand for it: refused
        for rec in records:
            if not rec.sent and not is_tid(rec.key):
                raise Rejected(
                    f"The saved record key {rec.key!r} is not a Bluesky record key (TID).",
                    hint="Publish the draft to this account again from the start.",
                )

    async def prepare(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions) -> None:
        if not self._session.get("accessJwt"):
            await self._refresh(None)

    async def sent_before(self, i: int, records: Sequence[PartRecord]) -> PartRecord:
        """A part sent by an earlier try: its cid is needed to reply to it (looked up if missing)."""
        rec = records[i]
        if rec.extra.get("cid"):
            return rec
        found = await self.get_post(rec.key)
        if found is None:
            raise Rejected(
                f"Part {i + 1} was recorded as sent, but {LABEL} no longer has it.",
                hint="Publish the draft to this account again from the start.",
            )
        return rec.done(rec.id or found["uri"], rec.url, cid=found["cid"])

    async def send_part(self, part: Sending) -> PartRecord:
        rec = part.record
        found = await self.get_post(rec.key)
        if found is not None:
            uri, cid = found["uri"], found["cid"]
        else:
            reply = None
            parent = part.previous
            if parent is not None:  # every part before this one is sent, with its cid
                if part.answering is not None:  # the whole thread hangs in the reader's conversation
                    a = part.answering
                    root = {"uri": a.extra.get("root_uri") or str(a.id), "cid": a.extra.get("root_cid") or a.extra["cid"]}
                else:
                    root = {"uri": str(part.records[0].id), "cid": part.records[0].extra["cid"]}
                reply = {"root": root, "parent": {"uri": str(parent.id), "cid": parent.extra["cid"]}}
            labels = self_labels(part.options.content_warning)
            record = await self.build_record(part.text, part.options, reply, labels)
            if part.images:
                record["embed"] = embed_images(await part.uploaded())
            uri, cid = await self._create(rec.key, record)
        return rec.done(uri, self.post_url(rec.key), cid=cid)

    # ------------------------------------------------------------------ dialogue

    async def _appview(self, nsid: str, params: Any, what: str) -> Mapping[str, Any]:
        await self.prepare((), (), PostOptions())  # a session first: our DID tells our posts apart
        response = await self._xrpc("GET", nsid, params=params)
        if response.status_code in (501, 502):
            raise NotAvailable(
                f"Your {LABEL} server ({self.pds}) cannot list {what}: it has no app view to ask "
                f"(HTTP {response.status_code}).",
                hint="Replies can be read where the server passes app.bsky calls on (bsky.social does).",
            )
        if response.status_code >= 500:
            raise TransientError(f"{LABEL} had a problem listing {what} (HTTP {response.status_code}).",
                                 hint="Try again later.")
        raise_for_xrpc(response, what=what)
        return json_body(response, write=False, what=what)

    def _reply(self, post: Any, kind: str = "reply") -> Reply | None:
        if not isinstance(post, Mapping) or not isinstance(post.get("uri"), str):
            return None
        author = mapping(post.get("author"))
        if author.get("did") == self.did:
            return None  # the writer's own parts and answers
        record = mapping(post.get("record"))
        reply = mapping(record.get("reply"))
        parent = mapping(reply.get("parent"))
        root = mapping(reply.get("root"))
        handle = str(author.get("handle") or author.get("did") or "")
        uri = post["uri"]
        extra = {k: str(v) for k, v in (("cid", post.get("cid")), ("root_uri", root.get("uri")),
                                        ("root_cid", root.get("cid"))) if isinstance(v, str)}
        return Reply(
            id=uri,
            author=handle,
            text=str(record.get("text") or ""),
            created_at=str(record.get("createdAt") or post.get("indexedAt") or ""),
            url=f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}" if handle else None,
            in_reply_to=str(parent["uri"]) if isinstance(parent.get("uri"), str) else None,
            kind=kind if kind in ("reply", "mention") else "reply",
            extra=extra,
        )

    async def replies(self, post: PartRecord) -> list[Reply]:
        data = await self._appview("app.bsky.feed.getPostThread", {"uri": str(post.id), "depth": "20",
                                                                   "parentHeight": "0"}, "the replies to your post")
        out: list[Reply] = []
        stack = [data.get("thread")]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, Mapping):
                continue
            replies = node.get("replies")
            children = [r for r in replies if isinstance(r, Mapping)] if isinstance(replies, list) else []
            for child in children:
                reply = self._reply(child.get("post"))
                if reply is not None:
                    out.append(reply)
            stack = children + stack
        return out

    async def mentions(self, since: str | None = None) -> list[Reply]:
        params = [("limit", "50"), ("reasons", "reply"), ("reasons", "mention")]
        data = await self._appview("app.bsky.notification.listNotifications", params, "your mentions")
        after = time_of(since)
        out = []
        notes = data.get("notifications")
        for note in notes if isinstance(notes, list) else []:
            if not isinstance(note, Mapping) or note.get("reason") not in ("reply", "mention"):
                continue
            if after is not None and (when := time_of(note.get("indexedAt"))) is not None and when <= after:
                continue
            post = {k: note.get(k) for k in ("uri", "cid", "author", "record", "indexedAt")}
            reply = self._reply(post, str(note["reason"]))
            if reply is not None:
                out.append(reply)
        return out

    async def reply_target(self, id: str) -> PartRecord:
        did, _, rest = id.removeprefix("at://").partition("/")
        collection, _, rkey = rest.partition("/")
        response = await self._xrpc("GET", "com.atproto.repo.getRecord",
                                    params={"repo": did, "collection": collection or POST, "rkey": rkey})
        if response.status_code == 400 and xrpc_error(response)[0] in ("RecordNotFound", "InvalidRequest"):
            raise Rejected("The post this draft answers is gone from Bluesky.",
                           hint="Remove reply_to from the draft to publish it as a post of its own.")
        raise_for_xrpc(response, what="the post you answer")
        data = json_body(response, write=False, what="the post you answer")
        cid = data.get("cid")
        if not isinstance(cid, str):
            raise TransientError(f"{LABEL} sent the post you answer without its cid.")
        value = mapping(data.get("value"))
        reply = mapping(value.get("reply"))
        root = mapping(reply.get("root"))
        extra = {"cid": cid}
        if isinstance(root.get("uri"), str) and isinstance(root.get("cid"), str):
            extra.update(root_uri=root["uri"], root_cid=root["cid"])
        return PartRecord(key="", digest="", id=id, extra=extra)

    async def delete_post(self, record: PartRecord) -> None:
        await self.prepare((), (), PostOptions())  # a session first: the repo is our DID
        rkey = str(record.id or "").rsplit("/", 1)[-1] or record.key
        response = await self._xrpc("POST", "com.atproto.repo.deleteRecord",
                                    body={"repo": self.did, "collection": POST, "rkey": rkey}, write=True)
        raise_for_xrpc(response, write=True, what="the deletion")
