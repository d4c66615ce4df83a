"""Mastodon, and servers that speak its API (Pleroma, Akkoma, GoToSocial).

Facts relied on are in /work/shared/platforms.md, section 1. Decisions made here:

- The secret is the access token itself (a pasted personal token, or one from the app
  registration + out-of-band OAuth code flow with PKCE). Mastodon tokens do not expire.
- A content warning goes on every part of a thread, not only the first: each reply can show up
  alone in someone's timeline, and Mastodon's own composer copies the warning into replies. So
  every part's length includes the warning; `split(..., options=...)` reserves room for it.
- Every part has the visibility and language of the first.
- Retry safety. Each part is sent with `Idempotency-Key: <record key>`. Before a part's request
  goes out, its record is stamped `extra["tried_at"]` and checkpointed; a request that fails in a
  way that may have reached the server (dropped answer, timeout, 5xx, 409) leaves the stamp. The
  next try of a stamped part first looks for the post among the account's recent statuses and only
  sends if it is not there (a repeat of the key can answer 500 on affected Mastodon versions,
  mastodon#40399, and keys are forgotten after an hour). A post matches when all of these hold:
  it is not a boost; its `in_reply_to_id` is the previous part's id (none for part 1); its
  `spoiler_text` is the content warning sent; it was created after the part's FIRST unclear try
  (the stamp, kept to the millisecond by later tries), on the server's clock as its `Date` header
  tells it, less 2 s for whole-second clocks; its id is not already another part's; and its
  rendered HTML, turned back into text, equals the part's text once both are compared without
  whitespace and with `@user@domain` read as `@user` (how the server renders mentions). So a
  same-text post made before (a weekly reminder, a post written on the site, another draft) is
  never taken for this one. Up to 120 recent statuses are searched. When it cannot be told — two
  posts fit, a fitting post has no time, the server gives no `Date`, or more posts were made since
  than are read — the answer is NeedsCheck (the writer looks), never "sent". When nothing fits,
  the part is sent again with the SAME key (Mastodon answers a repeated key with the post it made).
- A 2xx answer whose `id` is not a string or number, or whose `url`/`uri` is not text, is unclear
  (TransientError, ambiguous), never "sent".
- After a definitive failure (any 4xx but 409/408/425, or a request that never left) the part gets
  a fresh key and loses its stamp: nothing was posted, and Pleroma/Akkoma replay the cached answer
  of a key for 6 hours, errors included. An error replayed by Pleroma (`idempotent-replayed`) gets
  the same treatment and the part is sent once more at once with the new key.
- JSON bodies without empty or null fields (Pleroma breaks on nulls).
- Dialogue: the replies to a post are the other people's statuses in its context
  (`/api/v1/statuses/:id/context`, descendants; one request per post), and the mentions are one page
  of `/api/v1/notifications?types[]=mention` (nothing is dismissed on the server). Reading needs the
  read:statuses and read:notifications scopes: a token made before this asks for them answers 403,
  and the writer is told to make a new one. Deleting is `DELETE /api/v1/statuses/:id` (a post
  already gone counts as deleted); editing is `PUT /api/v1/statuses/:id`, which keeps the id and
  the replies.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from composer import registry

from .base import PlatformClient, Sending
from .errors import AuthError, NeedsCheck, Rejected, TransientError
from .http import CLOCK_SKEW, clock_offset, error_detail, json_answer, raise_for_status
from .mastodon_oauth import oauth
from .reading import id_of, positive, squash, time_of
from .records import AccountInfo, Ask, Identity, Image, Limits, PartRecord, PostOptions, Reply, Secret, Uploaded, digest
from .tokens import access_token

if TYPE_CHECKING:
    import httpx

CLOCK_DOUBT = timedelta(minutes=5)
"""How far back a look-up goes when the server did not say its time (any post found is then in doubt)."""
LOOKUP_PAGES = 3
LOOKUP_PAGE_SIZE = 40
MEDIA_POLL = (0.25, 0.5, 1.0, 1.0, 2.0, 2.0, 3.0, 5.0, 5.0, 10.0)
"""Waits between checks on an image the server is still processing (about 30 s in all)."""
TOKEN_PROMPT = "Paste a personal access token, or press Enter to log in through the browser"
_MENTION_DOMAIN = re.compile(r"(?<![=/\w])(@[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)@[\w.-]+\w", re.I)


class MastodonClient(PlatformClient):
    platform: ClassVar[str] = "mastodon"
    CHECK_LENGTH: ClassVar[bool] = False
    """The server announces its own limit and counts by its own rules; its 422 says what is wrong."""

    def __init__(self, account: AccountInfo, secret: Secret, http: httpx.AsyncClient, **kw: Any) -> None:
        super().__init__(account, secret, http, **kw)
        self._limits: Limits | None = None
        self._instance_doc: dict[str, Any] | None = None

    # ------------------------------------------------------------------ plumbing

    def _auth_hint(self) -> str:
        return (
            f"The access token of account {self.account.name!r} was revoked, is wrong, or lacks the "
            f"write:statuses scope. Create a new one on "
            f"{self.where} (Preferences → Development) or log in again: humane accounts add "
            f"{self.account.name} --platform mastodon --server {self.server_url}"
        )

    async def _request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        return await self.request(method, path, token=access_token(self.secret) if auth else None, **kwargs)

    def _check(self, response: httpx.Response, *, write: bool = False) -> None:
        raise_for_status(response, label=self.label, detail=_detail(response), write=write, auth_hint=self._auth_hint())

    def _json(self, response: httpx.Response, what: str, *, write: bool = False) -> Any:
        return json_answer(
            response, who=f"{self.label} at {self.where}", what=what, write=write,
            unsure="It may or may not have been posted; the retry checks before sending again.",
            otherwise=f"Is {self.server_url} the address of a Mastodon server? If so, try again later.",
        )

    # ------------------------------------------------------------------ login

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        """A pasted personal access token, or (empty answer) app registration and the
        copy-the-code OAuth flow. Either way the token is verified before it is returned."""
        account = replace(account, server=cls.server_of(account))
        answer = cls.ask_secret(ask, TOKEN_PROMPT)
        secret = Secret(answer) if answer else await oauth(http, str(account.server), ask, label=cls.label)
        return await cls.verified(http, account, secret)

    # ------------------------------------------------------------------ verify, limits

    async def identify(self) -> Identity:
        response = await self._request("GET", "/api/v1/accounts/verify_credentials")
        if response.status_code == 403:
            raise AuthError(
                f"{self.label} at {self.where} says the access token may not read the account "
                f"({_detail(response) or 'HTTP 403'}).",
                hint="Create a token with the read:accounts (or profile) and write:statuses scopes, "
                "then run `humane accounts add` again.",
            )
        self._check(response)
        data = self._json(response, "the credentials check")
        if not isinstance(data, dict) or not data.get("id"):
            raise TransientError(f"{self.label} at {self.where} sent an account without an id.",
                                 hint=f"Is {self.server_url} the address of a Mastodon server?")
        acct = str(data.get("acct") or data.get("username") or "")
        if "@" not in acct:
            host = urlsplit(str(data.get("url") or "")).hostname or urlsplit(self.server_url).hostname
            acct = f"{acct}@{host}"
        source = data.get("source")
        if not isinstance(source, dict):
            source = {}
        details = {k: v for k, v in (("visibility", source.get("privacy")), ("language", source.get("language"))) if v}
        return Identity(
            id=str(data["id"]),
            handle=acct,
            display_name=str(data.get("display_name") or ""),
            url=data.get("url") if isinstance(data.get("url"), str) else None,
            details=details,
        )

    async def fetch_limits(self) -> Limits:
        if self._limits is not None:
            return self._limits
        max_chars: int | None = None
        url_cost: int | None = None
        software = ""
        for path in ("/api/v2/instance", "/api/v1/instance"):
            data = await self._instance(path)
            if data is None:
                continue
            self._instance_doc = self._instance_doc or data
            config = data.get("configuration")
            statuses = config.get("statuses") if isinstance(config, dict) else None
            statuses = statuses if isinstance(statuses, dict) else {}
            max_chars = positive(statuses.get("max_characters")) or positive(data.get("max_toot_chars"))
            url_cost = positive(statuses.get("characters_reserved_per_url"))
            software = f"{data.get('version', '')} {data.get('source_url', '')}".lower()
            if max_chars:
                break  # v2 said it all; v1 is only asked when v2 is missing or silent
        url_cost = url_cost or self.entry.counting.url_cost
        if any(name in software for name in ("pleroma", "akkoma", "gotosocial")):
            # Pleroma/Akkoma count URLs in full; GoToSocial reports 25 but its validator has not
            # always counted links as fixed length. Counting them in full never overshoots.
            url_cost = None
        self._limits = Limits(max_chars=max_chars or self.entry.counting.limit or 500, url_cost=url_cost)
        return self._limits

    async def fetch_media_limits(self) -> registry.Media | None:
        """The server's `configuration.media_attachments` and `statuses.max_media_attachments`
        (read with the instance document), over the registry's defaults."""
        media = self.entry.media
        if media is None:
            return None
        if self._instance_doc is None:
            self._limits = None
            await self.fetch_limits()
        config = (self._instance_doc or {}).get("configuration")
        config = config if isinstance(config, dict) else {}
        attachments = config.get("media_attachments")
        attachments = attachments if isinstance(attachments, dict) else {}
        statuses = config.get("statuses")
        statuses = statuses if isinstance(statuses, dict) else {}
        types = attachments.get("supported_mime_types")
        formats = tuple(t for t in media.formats if not isinstance(types, list) or t in types) or media.formats
        return media._replace(
            max_images=positive(statuses.get("max_media_attachments")) or media.max_images,
            max_bytes=positive(attachments.get("image_size_limit")) or media.max_bytes,
            max_pixels=positive(attachments.get("image_matrix_limit")) or media.max_pixels,
            alt_max=positive(attachments.get("description_limit")) or media.alt_max,
            formats=formats,
        )

    async def upload(self, image: Image) -> Uploaded:
        """POST /api/v2/media with the alt text as `description`; a 202 (still processing) is
        polled at /api/v1/media/:id until the server has it, so the status can refer to it."""
        response = await self._request(
            "POST", "/api/v2/media",
            files={"file": (image.filename, image.data, image.mime)},
            data={"description": image.alt},
        )
        if response.status_code == 422:
            raise Rejected(
                f"{self.label} at {self.where} refused the image {image.name} "
                f"(HTTP 422: {_detail(response) or 'unprocessable'}).",
                hint="Remove it from the draft, or use another image.",
            )
        self._check(response)
        data = self._json(response, "the image upload")
        if not isinstance(data, dict) or not data.get("id"):
            raise TransientError(f"{self.label} at {self.where} answered the image upload without its id.")
        media_id = str(data["id"])
        waited = 0.0
        for delay in MEDIA_POLL:
            if response.status_code == 200 and data.get("url"):
                break
            await asyncio.sleep(delay)
            waited += delay
            response = await self._request("GET", f"/api/v1/media/{media_id}")
            if response.status_code == 206:
                continue
            if response.status_code == 422:
                raise Rejected(f"{self.label} at {self.where} could not process the image {image.name}.",
                               hint="Use another image, or save this one again as a plain JPEG.")
            self._check(response)
            data = self._json(response, "the image check")
            if not isinstance(data, dict):
                data = {}
        else:
            raise TransientError(
                f"{self.label} at {self.where} was still processing the image {image.name} after {waited:.0f} s.",
                hint="The post waits in the outbox and is tried again.",
            )
        return Uploaded(image=image, id=media_id)

    async def _instance(self, path: str) -> dict[str, Any] | None:
        """The instance document, or None when the server has no such endpoint."""
        response = await self._request("GET", path, auth=False)
        if response.status_code in (404, 410):
            return None
        self._check(response)
        data = self._json(response, "the instance request")
        return data if isinstance(data, dict) else None

    # ------------------------------------------------------------------ publish

    async def send_part(self, part: Sending) -> PartRecord:
        text, record = part.text, part.record
        previous = part.previous.id if part.previous else None
        if record.digest and record.digest != part.digest:
            if record.tried_at:
                raise Rejected(
                    f"{part.name} was changed after a try that may have reached {self.where}.",
                    hint=f"Check your profile on {self.where}; delete the old post there if it is, "
                    "then publish again.",
                )
            record = part.records[part.i] = replace(record, digest=part.digest)
        if record.tried_at:
            found = await self._find_sent(part, text, previous, record)
            if found is not None:
                return _finish(record, found)
        status = await self._post(part, previous)  # it may take a fresh key: finish the record it leaves
        return _finish(part.record, status)

    async def _post(self, part: Sending, previous: str | None) -> dict[str, Any]:
        options = part.options
        body: dict[str, Any] = {
            "status": part.text,
            "in_reply_to_id": previous,
            "visibility": self.visibility(options),
            "language": options.language or self.account.language,
            "spoiler_text": options.content_warning,
        }
        body = {k: v for k, v in body.items() if v not in (None, "")}
        if part.images:
            body["media_ids"] = [u.id for u in await part.uploaded()]
        for attempt in (1, 2):
            record = await part.save(part.record.stamped())
            try:
                response = await self._request(
                    "POST", "/api/v1/statuses", write=True, json=body,
                    headers={"Idempotency-Key": record.key},
                )
            except TransientError as err:
                if not err.ambiguous:  # it never left: nothing to check next time
                    await self._forget_try(part)
                raise
            status = response.status_code
            if status < 300:
                data = self._json(response, "the post", write=True)
                if not _usable_status(data):
                    raise TransientError(
                        f"{self.label} at {self.where} answered the post without a usable id and address.",
                        ambiguous=True,
                        hint="It may or may not have been posted; the retry checks before sending again.",
                    )
                return data
            replayed = response.headers.get("idempotent-replayed", "").lower() == "true"
            if status == 409 and not replayed:
                raise TransientError(
                    f"{self.label} at {self.where} is still processing the same post "
                    f"(HTTP 409: {_detail(response) or 'conflict'}).",
                    ambiguous=True,
                    hint="The post waits in the outbox; the retry checks whether it went through.",
                )
            definitive = replayed or (400 <= status < 500 and status not in (408, 425))
            if definitive:
                await self._forget_try(part)
                if replayed and attempt == 1:
                    continue  # Pleroma replayed an old failure of this key: ask again with the new key
            if status == 404 and part.i == 0 and part.answering is not None:
                raise Rejected(
                    f"The post this draft answers is gone from {self.where} ({_detail(response) or 'not found'}).",
                    hint="Remove reply_to from the draft to publish it as a post of its own.",
                )
            if status == 404 and previous is not None:
                raise Rejected(
                    f"{part.name} replies to a post that is gone from {self.where} "
                    f"({_detail(response) or 'not found'}).",
                    hint="Was an earlier part of the thread deleted? Publish the thread again as a new draft.",
                )
            if status == 422:
                raise Rejected(
                    f"{self.label} at {self.where} refused {part.name.lower()} "
                    f"(HTTP 422: {_detail(response) or 'unprocessable'}).",
                    hint="Shorten the text or the content warning, or fix what the server names, then publish again.",
                )
            self._check(response, write=True)
            raise TransientError(f"{self.label} at {self.where} answered HTTP {status}.", ambiguous=True)
        raise AssertionError("unreachable")

    async def _forget_try(self, part: Sending) -> None:
        """Nothing was posted: drop the stamp and take a fresh key (Pleroma caches a key's failures)."""
        await part.save(replace(part.record.unstamped(), key=self.new_part_key()))

    async def _find_sent(self, part: Sending, text: str, previous: str | None, record: PartRecord) -> dict[str, Any] | None:
        """The post an earlier, unclear try of this part made, if it reached the server; None when
        it surely did not (the part may be sent again, with the same key). Only what this part's own
        tries could have made counts: a post created after its first try (by the server's clock,
        learnt from the `Date` of the answer). A same-text post made before it (a weekly reminder,
        a post written on the site, another draft) is never taken for it. NeedsCheck when it
        cannot be told: two posts that fit, a fitting post whose time is unknown, no server clock,
        or more recent posts than the look-up reads. A post matches with the same images too: as
        many, with the same descriptions, in order."""
        want_media = [squash(image.alt) for image in part.images]
        identity = await self.whoami()
        want = _fingerprint(text)
        warning = squash(part.options.content_warning or "")
        claimed = {r.id for r in part.records if r.id}
        first = time_of(record.tried_at)
        found: list[dict[str, Any]] = []
        doubts: list[str] = [] if first is not None else ["when the earlier try went out is not known"]
        since: datetime | None = None
        max_id: str | None = None
        exhausted = True
        for _ in range(LOOKUP_PAGES):
            params = {"limit": str(LOOKUP_PAGE_SIZE)}
            if max_id:
                params["max_id"] = max_id
            asked = datetime.now(UTC)
            response = await self._request("GET", f"/api/v1/accounts/{identity.id}/statuses", params=params)
            self._check(response)
            page = self._json(response, "the list of your recent posts")
            if since is None and first is not None:
                offset = clock_offset(response, asked)
                if offset is None:
                    doubts.append(f"{self.where} did not say what time it is")
                    since = first - CLOCK_DOUBT
                else:
                    since = first + offset - CLOCK_SKEW
            if not isinstance(page, list) or not page:
                exhausted = False
                break
            for status in page:
                sid = id_of(status)
                if sid is None:
                    continue
                created = time_of(status.get("created_at"))
                if since is not None and created is not None and created < since:
                    exhausted = False  # newest first: everything after this is older still
                    break
                if (
                    not status.get("reblog")
                    and id_of({"id": status.get("in_reply_to_id")}) == previous
                    and sid not in claimed
                    and squash(str(status.get("spoiler_text") or "")) == warning
                    and _fingerprint(_html_text(str(status.get("content") or ""))) == want
                    and _descriptions(status) == want_media
                ):
                    if created is None:
                        doubts.append("a post with the same text does not say when it was made")
                    found.append(status)
            if not exhausted:
                break
            max_id = id_of(page[-1])
        if len(found) > 1:
            doubts.append(f"{len(found)} posts with the same text were made since the first try")
        if exhausted:
            doubts.append(f"more than {LOOKUP_PAGES * LOOKUP_PAGE_SIZE} posts were made since, more than it reads")
        if found and doubts or exhausted:
            seen = ", ".join(str(s.get("url") or s["id"]) for s in found[:3])
            raise NeedsCheck(
                f"{part.name} may be on {self.where} already{f' ({seen})' if seen else ''}, but it cannot be told "
                f"for sure: {doubts[-1]}.",
                hint=f"Check your profile on {self.where}: if it is there, mark it as sent; if not, publish again.",
            )
        return found[0] if found else None

    # ------------------------------------------------------------------ dialogue

    def _scope_hint(self, scope: str) -> str:
        return (
            f"The access token of account {self.account.name!r} was made without the {scope} scope, which reading "
            f"replies needs. Make a new token on {self.where} (Preferences → Development, with read:statuses and "
            f"read:notifications as well) and run: humane accounts add {self.account.name} --platform mastodon "
            f"--server {self.server_url}"
        )

    async def _read(self, path: str, what: str, scope: str, **kwargs: Any) -> Any:
        response = await self._request("GET", path, **kwargs)
        if response.status_code == 403:
            raise AuthError(f"{self.label} at {self.where} refused to list {what} (HTTP 403).",
                            hint=self._scope_hint(scope))
        self._check(response)
        return self._json(response, what)

    def _reply(self, status: Mapping[str, Any]) -> Reply | None:
        if not isinstance(status, Mapping) or not status.get("id") or status.get("reblog"):
            return None
        found = status.get("account")
        account: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        acct = str(account.get("acct") or account.get("username") or "")
        if acct and "@" not in acct:
            acct = f"{acct}@{urlsplit(self.server_url).hostname}"
        url = status.get("url") or status.get("uri")
        text = _html_text(str(status.get("content") or "")).strip()
        warning = str(status.get("spoiler_text") or "")
        return Reply(
            id=str(status["id"]),
            author=acct,
            text=f"[{warning}]\n{text}" if warning else text,
            created_at=str(status.get("created_at") or ""),
            url=str(url) if url else None,
            in_reply_to=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
            kind="reply" if status.get("in_reply_to_id") else "mention",
        )

    async def replies(self, post: PartRecord) -> list[Reply]:
        me = (await self.whoami()).id
        data = await self._read(f"/api/v1/statuses/{post.id}/context", "the replies to your post", "read:statuses")
        descendants = data.get("descendants") if isinstance(data, dict) else None
        out = []
        for status in descendants if isinstance(descendants, list) else []:
            account = status.get("account") if isinstance(status, dict) else None
            if isinstance(account, dict) and str(account.get("id")) == me:
                continue  # the writer's own parts and answers
            reply = self._reply(status)
            if reply is not None:
                out.append(reply)
        return out

    async def mentions(self, since: str | None = None) -> list[Reply]:
        me = (await self.whoami()).id
        data = await self._read(
            "/api/v1/notifications", "your mentions", "read:notifications",
            params=[("types[]", "mention"), ("limit", "40")],
        )
        after = time_of(since) if since else None
        out = []
        for note in data if isinstance(data, list) else []:
            if not isinstance(note, dict) or note.get("type") != "mention" or not isinstance(note.get("status"), dict):
                continue
            status = note["status"]
            account = status.get("account") if isinstance(status.get("account"), dict) else {}
            if str(account.get("id")) == me:
                continue
            created = time_of(status.get("created_at"))
            if after is not None and created is not None and created <= after:
                continue
            reply = self._reply(status)
            if reply is not None:
                out.append(reply)
        return out

    async def delete_post(self, record: PartRecord) -> None:
        response = await self._request("DELETE", f"/api/v1/statuses/{record.id}", write=True)
        if response.status_code == 404:
            return  # already gone
        self._check(response, write=True)

    async def edit_post(self, record: PartRecord, text: str, options: PostOptions) -> PartRecord:
        body = {
            "status": text,
            "spoiler_text": options.content_warning,
            "language": options.language or self.account.language,
        }
        body = {k: v for k, v in body.items() if v not in (None, "")}
        response = await self._request("PUT", f"/api/v1/statuses/{record.id}", write=True, json=body)
        if response.status_code == 404:
            raise Rejected(f"The post {record.url or record.id} is no longer on {self.where}, so it cannot be edited.",
                           hint="Publish the corrected text as a new post.")
        if response.status_code == 422:
            raise Rejected(f"{self.label} at {self.where} refused the edit (HTTP 422: {_detail(response) or 'unprocessable'}).",
                           hint="Shorten the text or fix what the server names, then edit again.")
        self._check(response, write=True)
        data = self._json(response, "the edit", write=True)
        if not isinstance(data, dict) or str(data.get("id")) != str(record.id):
            raise TransientError(f"{self.label} at {self.where} answered the edit without the post.", ambiguous=True)
        return replace(record, digest=digest(text))


# ---------------------------------------------------------------------- helpers


def _detail(response: httpx.Response) -> str | None:
    return error_detail(response, "error", "error_description")


def _finish(record: PartRecord, status: Mapping[str, Any]) -> PartRecord:
    url = status.get("url") or status.get("uri")
    return replace(record.unstamped(), id=str(status["id"]), url=url if isinstance(url, str) and url else None)


def _usable_status(data: Any) -> bool:
    """An answer to a post that can be recorded: an id, and a URL that is text (or none)."""
    if id_of(data) is None:
        return False
    return all(data.get(k) is None or isinstance(data.get(k), str) for k in ("url", "uri"))


def _descriptions(status: Mapping[str, Any]) -> list[str]:
    """The alt texts of a status's attachments, in order, as `_squash` compares them."""
    media = status.get("media_attachments")
    if not isinstance(media, list):
        return []
    return [squash(str(m.get("description") or "")) if isinstance(m, dict) else "" for m in media]


def _fingerprint(text: str) -> str:
    """What a post's text looks like once the server has rendered it: mentions without their
    domain, and no whitespace (paragraphs and line breaks come back as HTML)."""
    return squash(_MENTION_DOMAIN.sub(r"\1", text))


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("br", "p"):
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def _html_text(content: str) -> str:
    """The text of a status's HTML content (links in full: their hidden spans are text too)."""
    parser = _TextOf()
    parser.feed(content)
    parser.close()
    return "".join(parser.out)
