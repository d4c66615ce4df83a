"""Instagram: an image post (one image, or a carousel) with the draft as its caption, through the
Instagram Graph API's content publishing flow.

Facts relied on (Meta's Instagram Platform docs: Content Publishing, IG User Media, IG Container,
IG User Media Publish): a post is made in steps. `POST /{ig-user-id}/media` with `image_url` (a
public address Meta fetches the image from: "We cURL media used in publishing attempts, so the
media must be hosted on a publicly accessible server"), `caption` and `alt_text` makes a container;
a carousel is one container per image (`is_carousel_item=true`) and a parent
(`media_type=CAROUSEL`, `children=<ids>`, `caption`); `GET /{container}?fields=status_code` says
IN_PROGRESS, FINISHED, PUBLISHED, ERROR or EXPIRED (containers expire after 24 hours);
`POST /{ig-user-id}/media_publish?creation_id=<container>` publishes it and answers the media id;
`GET /{media}?fields=permalink` its address. Errors are Graph errors `{"error": {message, type,
code, error_subcode}}`. Limits: a caption of 2,200 characters and 30 hashtags (the registry); a
carousel of up to 10 images; JPEG; 8 MB (`registry` Media).

Decisions made here:

- The secret is a long-lived Instagram user access token (Instagram API with Instagram Login; 60
  days), and the Instagram user id is the account's handle (`--handle`). `verify` reads
  `GET /{user-id}?fields=id,username` with it. Renewing the token is the writer's (RENEW_HELP).
- Instagram has no text-only posts: a post without an image is refused before anything is sent,
  and so is one whose account has no `media_host` (an account whose uploads get a public address,
  such as a Micropub site): that account's `host_image` gives each image its public address.
- No threads: the draft is one caption (the registry's 2,200 characters and 30 hashtags are
  checked before sending), its images one post (a carousel from two).
- Retry safety, as for Threads: the parent container's id is saved in the part's record
  (`extra["container"]`, with `container_at`) before it is published. A retry reads it first:
  FINISHED or IN_PROGRESS → published now (not made again); EXPIRED, ERROR or gone → made again;
  PUBLISHED → the post is looked up among the account's own media (same caption, no earlier than
  10 minutes before the container; not another part's); not found → NeedsCheck, never a second
  post. A failure while making containers cannot post anything (an unpublished container expires);
  a failure while publishing is ambiguous.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from .base import PlatformClient, Sending
from .errors import NeedsCheck, RateLimited, Rejected, TransientError
from .graph import GraphError, graph_error, graph_time
from .http import parse_json, send
from .records import AccountInfo, Identity, Image, PartRecord, PostOptions, Secret, Uploaded, now, stamp

if TYPE_CHECKING:
    import httpx

LOOKUP_MARGIN = timedelta(minutes=10)
LOOKUP_LIMIT = 50


class InstagramClient(PlatformClient):
    platform: ClassVar[str] = "instagram"

    POLL_DELAYS: ClassVar[tuple[float, ...]] = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
    """Waits between status reads of a container that is IN_PROGRESS (about 20 s in all)."""

    def __init__(self, account: AccountInfo, secret: Secret, http: httpx.AsyncClient, **kw: Any) -> None:
        super().__init__(account, secret, http, **kw)
        self.poll_delays: tuple[float, ...] = self.POLL_DELAYS

    # ------------------------------------------------------------------ plumbing

    @property
    def user_id(self) -> str:
        uid = (self.account.handle or "").strip().lstrip("@")
        if not uid:
            raise Rejected(f"Account {self.account.name!r} has no Instagram user id.",
                           hint=f"Add it: {self.entry.add_command(self.account.name)}")
        return uid

    def _renew(self) -> str:
        return self.RENEW_HELP.format(name=self.account.name)

    async def _call(self, method: str, path: str, *, write: bool = False, what: str = "the request",
                    **kwargs: Any) -> Any:
        """One Graph API call; its JSON, or the shared error for the answer."""
        headers = {"Authorization": f"Bearer {self.secret.reveal().strip()}"}
        response = await send(self.http, method, self.server_url + path, label=self.label, write=write,
                              headers=headers, follow_redirects=False, **kwargs)
        data = parse_json(response)
        error = data.get("error") if isinstance(data, Mapping) else None
        if response.status_code < 400 and not isinstance(error, Mapping):
            if not isinstance(data, (dict, list)):
                raise TransientError(
                    f"Instagram answered {what} with something that is not JSON (HTTP {response.status_code}).",
                    ambiguous=write,
                    hint="The post waits in the outbox; the retry checks the saved container first.",
                )
            return data
        raise graph_error(response, error if isinstance(error, Mapping) else None, service="Instagram", write=write,
                          what=what, renew=self._renew(),
                          scopes="instagram_business_basic and instagram_business_content_publish")

    # ------------------------------------------------------------------ verify

    async def identify(self) -> Identity:
        data = await self._call("GET", f"/{self.user_id}", what="the account check",
                                params={"fields": "id,username,name"})
        uid = data.get("id") if isinstance(data, Mapping) else None
        if not isinstance(uid, (str, int)) or not str(uid):
            raise TransientError("Instagram answered the account check without the account's id.",
                                 hint="Try again later.")
        username = str(data.get("username") or "")
        return Identity(
            id=str(uid),
            handle=str(uid),
            display_name=f"@{username}" if username else str(data.get("name") or ""),
            url=f"https://www.instagram.com/{username}/" if username else None,
        )

    # ------------------------------------------------------------------ publish

    async def publish(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions,
                      checkpoint: Any, images: Sequence[Sequence[Image]] = ()) -> list[PartRecord]:
        """Instagram has no text-only posts: refused here, before anything is sent."""
        unsent = [i for i in range(len(parts)) if i < len(records) and not records[i].sent]
        if unsent and not any(i < len(images) and images[i] for i in unsent):
            raise Rejected(
                "Instagram has no text-only posts, and this post has no image.",
                hint="Attach an image (with its alt text) to the draft, or leave Instagram out of this post.",
            )
        return await super().publish(parts, records, options, checkpoint, images)

    async def upload(self, image: Image) -> Uploaded:
        """Instagram fetches each image from a public address: the account's `media_host` gives one."""
        if self.media_host is None:
            raise Rejected("Instagram fetches images from a public address, and this account has no media_host.",
                           hint=f"Set media_host = \"ACCOUNT\" under [accounts.{self.account.name}] in config.toml "
                           "(a Micropub account whose uploads get a public address).")
        return Uploaded(image=image, id=await self.media_host.host_image(image))

    async def send_part(self, part: Sending) -> PartRecord:
        user, text, record = self.user_id, part.text, part.record
        media: str | None = None
        url: str | None = None
        container = record.extra.get("container")
        if container and record.digest and record.digest != part.digest:
            status, _ = await self._container(container)
            if status == "PUBLISHED":
                raise Rejected("The post was changed after its earlier version went out on Instagram.",
                               hint="Check your Instagram profile, then publish the changed draft as a new one.")
            container = None
        if container:
            status, detail = await self._container(container)
            if status == "PUBLISHED":
                found = await self._find_published(user, text, record, part.records)
                if found is None:
                    raise NeedsCheck("Instagram says the post was published, but it is not among your recent posts.",
                                     hint="Check your Instagram profile: if the post is there, mark it as sent; "
                                     "if not, publish the draft again.")
                media, url = found
            elif status in ("FINISHED", "IN_PROGRESS"):
                if status == "IN_PROGRESS":
                    await self._wait_until_ready(container)
                media = await self._publish_container(user, container)
            else:  # EXPIRED, ERROR, GONE: nothing was published from it
                container = None
        if media is None:
            uploads = await part.uploaded()
            container = await self._create_container(user, text, uploads)
            record = await part.save(replace(record, digest=part.digest, extra={
                **record.extra, "container": container, "container_at": stamp(now())}))  # on disk before publishing
            await self._wait_until_ready(container)
            media = await self._publish_container(user, container)
        if url is not None:
            return record.done(media, url)
        record = await part.save(record.done(media, None))  # the post's id on disk before its address is asked
        url = await self._permalink(media)
        return replace(record, url=url) if url else record

    async def _create_container(self, user: str, caption: str, uploads: Sequence[Uploaded]) -> str:
        """The post's container: IMAGE for one image, a CAROUSEL of image items for more."""
        if len(uploads) == 1:
            form = {"image_url": uploads[0].id, "alt_text": uploads[0].image.alt, "caption": caption}
        else:
            items = []
            for u in uploads:
                item = await self._call("POST", f"/{user}/media", what=f"the image {u.image.name}", data={
                    "image_url": u.id, "alt_text": u.image.alt, "is_carousel_item": "true"})
                items.append(_id(item, f"Instagram did not say which container it made for {u.image.name}."))
            form = {"media_type": "CAROUSEL", "children": ",".join(items), "caption": caption}
        data = await self._call("POST", f"/{user}/media", data=form, what="the new post")
        return _id(data, "Instagram did not say which container it made for the post.")

    async def _container(self, container: str) -> tuple[str, str | None]:
        """(status, detail) of a container: IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED or GONE."""
        try:
            data = await self._call("GET", f"/{container}", what="the check of the saved post",
                                    params={"fields": "id,status_code,status"})
        except GraphError as err:
            if err.not_found:
                return "GONE", None
            raise
        status = str(data.get("status_code") or "").upper() if isinstance(data, Mapping) else ""
        detail = data.get("status") if isinstance(data, Mapping) else None
        return status or "IN_PROGRESS", detail if isinstance(detail, str) else None

    async def _wait_until_ready(self, container: str) -> None:
        """Read the new container's status until it is FINISHED."""
        for delay in (*self.poll_delays, None):
            status, detail = await self._container(container)
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status == "ERROR":
                raise Rejected(f"Instagram could not prepare the post{': ' + detail if detail else ''}.",
                               hint="Check the images (JPEG, at most 8 MB, between 4:5 and 1.91:1), then publish again.")
            if status == "EXPIRED":
                raise TransientError("The post's container on Instagram expired before it was published.",
                                     hint="The retry makes a new one.")
            if delay is None:
                break
            await asyncio.sleep(delay)
        raise TransientError("Instagram is still preparing the post.",
                             hint="The post waits in the outbox; the retry publishes the container already made.")

    async def _publish_container(self, user: str, container: str) -> str:
        data = await self._call("POST", f"/{user}/media_publish", write=True, what="the post",
                                params={"creation_id": container})
        mid = data.get("id") if isinstance(data, Mapping) else None
        if not isinstance(mid, (str, int)) or not str(mid):
            raise TransientError("Instagram published the post but did not say its id.", ambiguous=True,
                                 hint="The retry reads the saved container and finds the post.")
        return str(mid)

    async def _permalink(self, media: str) -> str | None:
        try:
            data = await self._call("GET", f"/{media}", what="the post's address", params={"fields": "id,permalink"})
        except (TransientError, RateLimited, GraphError):
            return None
        link = data.get("permalink") if isinstance(data, Mapping) else None
        return link if isinstance(link, str) and link else None

    async def _find_published(self, user: str, caption: str, record: PartRecord,
                              records: Sequence[PartRecord]) -> tuple[str, str | None] | None:
        """(media id, permalink) of the post a PUBLISHED container became, from the account's own media."""
        data = await self._call("GET", f"/{user}/media", what="the list of your posts",
                                params={"fields": "id,caption,timestamp,permalink", "limit": str(LOOKUP_LIMIT)})
        items = data.get("data") if isinstance(data, Mapping) else None
        since = graph_time(record.extra.get("container_at"))
        claimed = {r.id for r in records if r.id}
        found: list[tuple[datetime, str, str | None]] = []
        for item in items or []:
            if not isinstance(item, Mapping) or not item.get("id") or str(item["id"]) in claimed:
                continue
            if _norm(str(item.get("caption") or "")) != _norm(caption):
                continue
            when = graph_time(item.get("timestamp")) or now()
            if since is not None and when < since - LOOKUP_MARGIN:
                continue
            link = item.get("permalink")
            found.append((when, str(item["id"]), link if isinstance(link, str) else None))
        if not found:
            return None
        _, mid, link = min(found)
        return mid, link


# ---------------------------------------------------------------------- errors


# ---------------------------------------------------------------------- helpers


def _id(data: Any, missing: str) -> str:
    value = data.get("id") if isinstance(data, Mapping) else None
    if not isinstance(value, (str, int)) or not str(value):
        raise TransientError(missing, hint="The post waits in the outbox and is retried later.")
    return str(value)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


