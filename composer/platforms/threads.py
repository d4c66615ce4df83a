"""Threads (Meta): text posts and reply chains through the two-step Graph API publish.

Facts relied on are in /work/shared/platforms.md, section 4. Decisions made here:

- The secret is a long-lived access token, pasted (Meta's OAuth needs an https redirect and the
  app secret, which a terminal app does not have). It is kept in the keyring as JSON
  `{"access_token", "issued_at", "expires_at"}`. `issued_at` is when Humane Composer got the token
  (at login, or at the last refresh); `expires_at` is 60 days later, or what Meta said when refreshing.
- Refresh (`GET /refresh_access_token?grant_type=th_refresh_token`) is allowed once a long-lived
  token is 24 hours old: the first call of a client (verify or publish) on a token that old refreshes
  it, and hands the new secret to `on_secret_change` (the accounts layer saves it to the keyring). A
  failed refresh is not an error by itself (the old token keeps working until it expires): the
  request that follows says whether the token still works. So a writer who posts at least once in
  60 days never has to paste a new token.
- The user id from `GET /v1.0/me` is kept in the account's options (`user_id`).
- Publish, per part: `POST /v1.0/{user}/threads` (media_type=TEXT, text, reply_to_id = the previous
  part's media id) → container id, which is SAVED in the part's record (`extra["container"]`, with
  `container_at`) through `checkpoint` before anything is published; then the container's status is
  read until FINISHED (IN_PROGRESS is polled briefly), `POST /v1.0/{user}/threads_publish?creation_id=`
  → media id (checkpointed at once), and `GET /v1.0/{media}?fields=id,permalink` for the URL.
- Retry safety. A part whose record holds a container id reads it first
  (`GET /{container}?fields=id,status,error_message`):
    * FINISHED (or IN_PROGRESS): never published; it is published now, not made again;
    * EXPIRED or ERROR, or the container no longer exists: a new container is made;
    * PUBLISHED: the part is on Threads already. Meta's docs give a container the fields id, status
      and error_message only, and not the published media's id. So the media is looked up among the
      account's own posts (`GET /{user}/threads`, or `GET /{user}/replies` for a reply, fields
      id,text,timestamp,permalink,replied_to): the one with the same text, replying to the previous
      part, made no earlier than its container (on Meta's clock, from the answers' `Date`, less
      2 s), and not already another part's. A same-text post made before is never taken for it.
      When nothing matches, or more than one does, or the times cannot be compared, NeedsCheck
      (the writer checks the profile), never "sent" and never a second post;
    * Some accounts report that reading `status` on a published container answers "Tried accessing
      nonexisting field (status)" (the id has become the post's): then the container id is the
      media id, confirmed by reading its permalink.
  A container that was made but never published cannot become a post by itself (it expires after
  24 hours), so a failure while making one is not "ambiguous"; a failure while publishing is.
- Limits: 500 characters as `composer.guidelines.length` counts Threads (emoji by their UTF-8 bytes)
  and at most 5 links per post; a part over either is refused before anything is sent. Long posts
  are split into a reply chain by the shared splitter, which keeps both limits.
- No content warnings on Threads text posts: a post with one is refused, not published without it.
- Dialogue: the replies to a post are its conversation (`GET /{media}/conversation`, one page; the
  token needs threads_read_replies), the writer's own parts left out. Mentions outside the writer's
  posts are not read (that edge needs App Review for threads_manage_mentions). An answer is a post
  with `reply_to_id` = the reader's reply (no mention needed). Deleting is `DELETE /{media}` (scope
  threads_delete); a post already gone counts as deleted. Threads has no edit.
"""

from __future__ import annotations

import asyncio
import json
import logging
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from .base import PlatformClient, Sending
from .errors import AuthError, NeedsCheck, PlatformError, RateLimited, Rejected, TransientError
from .graph import GraphError, graph_error, graph_time
from .http import CLOCK_SKEW, clock_offset, parse_json, send
from .records import (
    AccountInfo,
    Ask,
    Identity,
    Image,
    PartRecord,
    PostOptions,
    Reply,
    Secret,
    Uploaded,
    now,
    stamp,
)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

API = "/v1.0"
TOKEN_DAYS = 60
REFRESH_AFTER = timedelta(hours=24)
LOOKUP_LIMIT = 50
def _same_text(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split())

    return norm(a) == norm(b)


class ThreadsClient(PlatformClient):
    platform: ClassVar[str] = "threads"

    POLL_DELAYS: ClassVar[tuple[float, ...]] = (0.3, 0.7, 1.5, 3.0, 5.0, 10.0)
    """Waits between status reads of a container that is IN_PROGRESS (about 20 s in all)."""

    def __init__(self, account: AccountInfo, secret: Secret, http: httpx.AsyncClient, **kw: Any) -> None:
        super().__init__(account, secret, http, **kw)
        self._token = _parse_secret(secret)
        self._refresh_tried = False
        self._identity: Identity | None = None
        self.poll_delays: tuple[float, ...] = self.POLL_DELAYS
        self._user_id: str | None = None
        self._clock: timedelta | None = None
        """How far Meta's clock is ahead of ours (from the last answer's Date), once known."""

    # ------------------------------------------------------------------ plumbing

    @property
    def access_token(self) -> str:
        return str(self._token.get("access_token") or "")

    @property
    def expires_at(self) -> datetime | None:
        return graph_time(self._token.get("expires_at"))

    def _renew(self) -> str:
        return self.RENEW_HELP.format(name=self.account.name)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        write: bool = False,
        auth: bool = True,
        what: str = "the request",
        **kwargs: Any,
    ) -> Any:
        """One Graph API call; its JSON, or the shared error for the answer."""
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            headers["Authorization"] = f"Bearer {self.access_token}"
        asked = now()
        response = await send(self.http, method, self.server_url + path, label=self.label, write=write,
                              headers=headers, follow_redirects=False, **kwargs)
        self._clock = clock_offset(response, asked) or self._clock
        return self._answer(response, write=write, what=what)

    def _answer(self, response: httpx.Response, *, write: bool, what: str) -> Any:
        data = parse_json(response)
        status = response.status_code
        error = data.get("error") if isinstance(data, Mapping) else None
        if status < 400 and not isinstance(error, Mapping):
            if not isinstance(data, (dict, list)):
                raise TransientError(
                    f"Threads answered {what} with something that is not JSON (HTTP {status}).",
                    ambiguous=write,
                    hint="The post waits in the outbox; the retry checks the saved container first.",
                )
            return data
        raise graph_error(response, error if isinstance(error, Mapping) else None, service="Threads", write=write,
                          what=what, renew=self._renew(),
                          scopes="threads_basic and threads_content_publish (and threads_manage_replies)")

    # ------------------------------------------------------------------ token

    async def _maybe_refresh(self) -> None:
        """Swap the token for a fresh 60-day one once it is 24 hours old (at most once per client)."""
        if self._refresh_tried:
            return
        self._refresh_tried = True
        issued = graph_time(self._token.get("issued_at"))
        if issued is not None and now() - issued < REFRESH_AFTER:
            return
        try:
            data = await self._call(
                "GET", "/refresh_access_token", auth=False, what="the token refresh",
                params={"grant_type": "th_refresh_token", "access_token": self.access_token},
            )
        except PlatformError as err:
            log.info("Threads token refresh for %s did not work: %s", self.account.name, err.message)
            return
        token = data.get("access_token") if isinstance(data, Mapping) else None
        if not isinstance(token, str) or not token:
            return
        try:
            lifetime = timedelta(seconds=int(data.get("expires_in")))
        except (TypeError, ValueError):
            lifetime = timedelta(days=TOKEN_DAYS)
        at = now()
        self._token = {"access_token": token, "issued_at": stamp(at), "expires_at": stamp(at + lifetime)}
        self.secret = _secret(self._token)
        if self.on_secret_change is not None:
            self.on_secret_change(self.secret)

    # ------------------------------------------------------------------ login, verify, limits

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        server = cls.server_of(account)
        answer = cls.ask_token(ask, account)
        at = now()
        secret = _secret({"access_token": answer, "issued_at": stamp(at),
                          "expires_at": stamp(at + timedelta(days=TOKEN_DAYS))})
        info = replace(account, server=server)
        client = cls(info, secret, http)
        client._refresh_tried = True  # a token just pasted is too young to refresh
        identity = await client.verify()
        options = {**account.options, "user_id": identity.id}
        return secret, replace(info, handle=identity.handle, options=options)

    async def identify(self) -> Identity:
        await self._maybe_refresh()
        data = await self._call("GET", f"{API}/me", what="the account check",
                                params={"fields": "id,username,name"})
        uid = data.get("id") if isinstance(data, Mapping) else None
        if not isinstance(uid, (str, int)) or not str(uid):
            raise TransientError("Threads answered the account check without the account's id.",
                                 hint="Try again later.")
        username = str(data.get("username") or "")
        expires = self.expires_at
        self._identity = Identity(
            id=str(uid),
            handle=username or str(uid),
            display_name=str(data.get("name") or ""),
            url=f"https://www.threads.net/@{username}" if username else None,
            expires_at=stamp(expires) if expires else None,
            details={"user_id": str(uid)},
        )
        return self._identity

    async def _user(self) -> str:
        uid = self.account.options.get("user_id")
        if isinstance(uid, (str, int)) and str(uid):
            return str(uid)
        identity = self._identity or await self.verify()
        return identity.id

    # ------------------------------------------------------------------ containers

    async def _create_container(
        self, user: str, text: str, reply_to: str | None, uploads: Sequence[Uploaded] = ()
    ) -> str:
        """A container for the part: TEXT; IMAGE with one image; CAROUSEL of image items with more
        (each image by its public address, with its alt text)."""
        form = {"media_type": "TEXT", "text": text}
        if len(uploads) == 1:
            form.update(media_type="IMAGE", image_url=uploads[0].id, alt_text=uploads[0].image.alt)
        elif uploads:
            items = []
            for u in uploads:
                item = await self._call("POST", f"{API}/{user}/threads", what=f"the image {u.image.name}", data={
                    "media_type": "IMAGE", "image_url": u.id, "alt_text": u.image.alt, "is_carousel_item": "true"})
                item_id = item.get("id") if isinstance(item, Mapping) else None
                if not isinstance(item_id, (str, int)):
                    raise TransientError(f"Threads did not say which container it made for {u.image.name}.")
                items.append(str(item_id))
            form.update(media_type="CAROUSEL", children=",".join(items))
        if reply_to:
            form["reply_to_id"] = reply_to
        data = await self._call("POST", f"{API}/{user}/threads", data=form, what="the new post")
        cid = data.get("id") if isinstance(data, Mapping) else None
        if not isinstance(cid, (str, int)) or not str(cid):
            raise TransientError("Threads did not say which container it made for the post.",
                                 hint="The post waits in the outbox and is retried later.")
        return str(cid)

    async def upload(self, image: Image) -> Uploaded:
        """Threads fetches each image from a public address: the account's `media_host` (a Micropub
        site, say) gives it one (`check_images` refused the post already where there is none)."""
        if self.media_host is None:
            raise Rejected("Threads fetches images from a public address, and this account has no media_host.",
                           hint="Set media_host under the account in config.toml (a Micropub account).")
        return Uploaded(image=image, id=await self.media_host.host_image(image))

    async def _container(self, container: str) -> tuple[str, str | None]:
        """(status, detail) of a container. status is one of IN_PROGRESS, FINISHED, PUBLISHED, ERROR,
        EXPIRED, GONE (no such container any more) or MEDIA (the id now names the published post)."""
        try:
            data = await self._call("GET", f"{API}/{container}", what="the check of the saved post",
                                    params={"fields": "id,status,error_message"})
        except GraphError as err:
            if err.code == 100 and "nonexisting field" in err.message.lower():
                return "MEDIA", None
            if err.not_found:
                return "GONE", None
            raise
        status = str(data.get("status") or "").upper() if isinstance(data, Mapping) else ""
        detail = data.get("error_message") if isinstance(data, Mapping) else None
        return status or "IN_PROGRESS", detail if isinstance(detail, str) else None

    async def _wait_until_ready(self, container: str) -> str:
        """Read the new container's status until it is FINISHED (or says it is published)."""
        for delay in (*self.poll_delays, None):
            try:
                status, detail = await self._container(container)
            except GraphError as err:
                if not err.not_ready:
                    raise
                status, detail = "IN_PROGRESS", None
            if status == "GONE":  # just made: Meta has not caught up yet
                status = "IN_PROGRESS"
            if status in ("FINISHED", "PUBLISHED", "MEDIA"):
                return status
            if status == "ERROR":
                raise Rejected(f"Threads could not prepare the post{': ' + detail if detail else ''}.",
                               hint="Change what Threads names, then publish again.")
            if status == "EXPIRED":
                raise TransientError("The post's container on Threads expired before it was published.",
                                     hint="The retry makes a new one.")
            if delay is None:
                break
            await asyncio.sleep(delay)
        raise TransientError(
            "Threads is still preparing the post.",
            hint="The post waits in the outbox; the retry publishes the container already made.",
        )

    async def _publish_container(self, user: str, container: str) -> str:
        data = await self._call("POST", f"{API}/{user}/threads_publish", write=True, what="the post",
                                params={"creation_id": container})
        mid = data.get("id") if isinstance(data, Mapping) else None
        if not isinstance(mid, (str, int)) or not str(mid):
            raise TransientError("Threads published the post but did not say its id.", ambiguous=True,
                                 hint="The retry reads the saved container and finds the post.")
        return str(mid)

    async def _permalink(self, media: str) -> str | None:
        try:
            data = await self._call("GET", f"{API}/{media}", what="the post's address",
                                    params={"fields": "id,permalink"})
        except (TransientError, RateLimited, GraphError) as err:
            log.info("Threads permalink of %s not read: %s", media, err.message)
            return None
        link = data.get("permalink") if isinstance(data, Mapping) else None
        return link if isinstance(link, str) and link else None

    async def _find_published(
        self, user: str, text: str, previous: str | None, record: PartRecord, records: Sequence[PartRecord]
    ) -> tuple[str, str | None] | None:
        """(media id, permalink) of the post a PUBLISHED container became, from the account's own list."""
        edge = "replies" if previous else "threads"
        data = await self._call("GET", f"{API}/{user}/{edge}", what="the list of your posts", params={
            "fields": "id,text,timestamp,permalink,replied_to", "limit": str(LOOKUP_LIMIT)})
        items = data.get("data") if isinstance(data, Mapping) else None
        made = graph_time(record.extra.get("container_at"))
        if made is None or self._clock is None:
            raise NeedsCheck(
                "Threads says the post was published, but when its container was made "
                + ("is not known." if made is None else "cannot be compared with Threads' clock."),
                hint="Check your Threads profile: if the post is there, mark it as sent; if not, publish again.",
            )
        since = made + self._clock - CLOCK_SKEW  # the container's post cannot be older than the container
        claimed = {r.id for r in records if r.id}
        found: list[tuple[datetime, str, str | None]] = []
        for item in items or []:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), (str, int)) or str(item["id"]) in claimed:
                continue
            if not _same_text(str(item.get("text") or ""), text):
                continue
            replied = item.get("replied_to")
            parent = str(replied.get("id")) if isinstance(replied, Mapping) and replied.get("id") else None
            if previous and parent != previous:
                continue
            when = graph_time(item.get("timestamp"))
            if when is not None and when < since:
                continue  # a same-text post made before this part's container: another one
            link = item.get("permalink")
            found.append((when or since, str(item["id"]), link if isinstance(link, str) else None))
        if len(found) > 1:
            raise NeedsCheck(
                f"Threads says the post was published, and {len(found)} of your recent posts have its text.",
                hint="Check your Threads profile: mark it as sent if one of them is this draft's.",
            )
        if not found:
            return None
        _, mid, link = found[0]
        return mid, link

    # ------------------------------------------------------------------ publish

    async def prepare(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions) -> None:
        await self._maybe_refresh()
        self._user_id = await self._user()

    async def send_part(self, part: Sending) -> PartRecord:
        user = self._user_id or await self._user()
        i, text, record, records = part.i, part.text, part.record, part.records
        previous = part.previous.id if part.previous else None
        media: str | None = None
        url: str | None = None
        container = record.extra.get("container")
        if container and record.digest and record.digest != part.digest:
            status, _ = await self._container(container)
            if status in ("PUBLISHED", "MEDIA"):
                raise Rejected(
                    f"Part {i + 1} was changed after its earlier text went out on Threads.",
                    hint="Check your Threads profile; delete the old post there if you want, then "
                    "publish the draft again as a new one.",
                )
            container = None
        if container:
            status, detail = await self._container(container)
            if status == "MEDIA":
                media, url = container, await self._permalink(container)
            elif status == "PUBLISHED":
                found = await self._find_published(user, text, previous, record, records)
                if found is None:
                    raise NeedsCheck(
                        f"Threads says part {i + 1} was published, but it is not among your recent posts.",
                        hint="Check your Threads profile: if the post is there, mark it as sent; if not, "
                        "publish the draft again.",
                    )
                media, url = found
            elif status in ("FINISHED", "IN_PROGRESS"):
                if status == "IN_PROGRESS":
                    status = await self._wait_until_ready(container)
                media = await self._publish_or_find(user, container, status, text, previous, record, records)
            else:  # EXPIRED, ERROR, GONE: nothing was published from it
                log.info("Threads container %s is %s (%s): making a new one", container, status, detail)
                container = None
        if media is None:
            uploads = await part.uploaded() if part.images else []
            container = await self._create_container(user, text, previous, uploads)
            record = await part.save(replace(record, digest=part.digest, extra={
                **record.extra, "container": container, "container_at": stamp(now())}))  # on disk before publishing
            status = await self._wait_until_ready(container)
            media = await self._publish_or_find(user, container, status, text, previous, record, records)
        if url is not None:
            return record.done(media, url)
        record = await part.save(record.done(media, None))  # the post's id on disk before its address is asked
        url = await self._permalink(media)
        return replace(record, url=url) if url else record

    async def _publish_or_find(
        self, user: str, container: str, status: str, text: str, previous: str | None,
        record: PartRecord, records: Sequence[PartRecord],
    ) -> str:
        if status == "MEDIA":
            return container
        if status == "PUBLISHED":
            found = await self._find_published(user, text, previous, record, records)
            if found is None:
                raise NeedsCheck("Threads says the post was published, but it is not among your recent posts.",
                                 hint="Check your Threads profile before publishing again.")
            return found[0]
        return await self._publish_container(user, container)


    # ------------------------------------------------------------------ dialogue

    async def replies(self, post: PartRecord) -> list[Reply]:
        await self._maybe_refresh()
        me = (self._identity or await self.verify()).handle
        try:
            data = await self._call("GET", f"{API}/{post.id}/conversation", what="the replies to your post", params={
                "fields": "id,text,username,timestamp,permalink,replied_to", "reverse": "false"})
        except AuthError as err:
            raise AuthError(err.message, hint="Reading replies needs the threads_read_replies scope. " + self._renew()) from None
        out = []
        items = data.get("data") if isinstance(data, Mapping) else None
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, Mapping) or not item.get("id") or item.get("username") == me:
                continue
            found = item.get("replied_to")
            replied: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
            out.append(Reply(
                id=str(item["id"]),
                author=str(item.get("username") or ""),
                text=str(item.get("text") or ""),
                created_at=str(item.get("timestamp") or ""),
                url=str(item["permalink"]) if item.get("permalink") else None,
                in_reply_to=str(replied["id"]) if replied.get("id") else None,
            ))
        return out

    async def mentions(self, since: str | None = None) -> list[Reply]:
        """Not read on Threads (see the module's notes): the replies come from each post's conversation."""
        return []

    async def delete_post(self, record: PartRecord) -> None:
        await self._maybe_refresh()
        try:
            await self._call("DELETE", f"{API}/{record.id}", write=True, what="the deletion")
        except GraphError as err:
            if err.not_found:
                return  # gone already
            if isinstance(err, AuthError):
                raise AuthError(err.message, hint="Deleting needs the threads_delete scope. " + self._renew()) from None
            raise


# ---------------------------------------------------------------------- errors


# ---------------------------------------------------------------------- helpers


def _parse_secret(secret: Secret) -> dict[str, Any]:
    raw = secret.reveal().strip()
    if raw.startswith("{"):
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("access_token"), str):
            return data
    return {"access_token": raw}  # a bare token (kept by hand): refreshed on first use


def _secret(token: Mapping[str, Any]) -> Secret:
    return Secret(json.dumps(dict(token), separators=(",", ":"), sort_keys=True))
