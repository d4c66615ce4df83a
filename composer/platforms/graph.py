"""Meta's Graph API as Threads and Instagram answer it: an error answer mapped to our shared errors
(with Graph's code and subcode kept), and `GraphClient`, the publishing both share.

Both publish in steps: a container is made (`POST /{user}/{CONTAINER_EDGE}`; a carousel is one
container per image and a parent), its id SAVED in the part's record (`extra["container"]`, with
`container_at`) before anything is published; its status is read until FINISHED; it is published
(`POST /{user}/{PUBLISH_EDGE}?creation_id=`) and the media's id checkpointed at once; then its
permalink is read. A retry reads the saved container first: FINISHED or IN_PROGRESS, it is published
now (not made again); EXPIRED, ERROR or gone, a new one is made; PUBLISHED, the post is looked up
among the account's own (`find_published`, each platform's rules), and when it is not found the
answer is NeedsCheck, never a second post. A container never published cannot become a post by
itself (it expires after 24 hours), so a failure while making one is not ambiguous; a failure while
publishing is. Images are fetched by Meta from a public address: the account's `media_host` gives one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from .base import PlatformClient
from .errors import AuthError, NeedsCheck, PlatformError, RateLimited, Rejected, TransientError
from .http import body_snippet, clock_offset, json_answer, parse_json, retry_after
from .reading import id_of
from .records import Image, PartRecord, Uploaded, now, stamp
from .sending import Sending
from .tokens import access_token

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

AUTH_CODES = {102, 190, 467}
PERMISSION_CODES = {10, *range(200, 300)}
RATE_CODES = {4, 17, 32, 613}
TRANSIENT_CODES = {1, 2}


class GraphError(PlatformError):
    """Marker mix-in data for a Graph API error (the raised object is also an AuthError, Rejected, ...)."""

    code: int | None = None
    subcode: int | None = None

    @property
    def not_ready(self) -> bool:
        """Threads' "the requested resource does not exist" for a container still being made."""
        return self.code == 24 and self.subcode == 4279009

    @property
    def not_found(self) -> bool:
        return self.not_ready or (self.code == 100 and self.subcode == 33)


class _GraphAuth(AuthError, GraphError):
    pass


class _GraphRate(RateLimited, GraphError):
    pass


class _GraphTransient(TransientError, GraphError):
    pass


class _GraphRejected(Rejected, GraphError):
    pass


def graph_error(response: httpx.Response, error: Mapping[str, Any] | None, *, service: str, write: bool,
                what: str, renew: str, scopes: str) -> PlatformError:
    """The shared error for a Graph API error answer of `service` ("Threads", "Instagram");
    `scopes` names what a token needs, for a permission error."""
    status = response.status_code
    code = _int(error.get("code")) if error else None
    subcode = _int(error.get("error_subcode")) if error else None
    message = str(error.get("error_user_msg") or error.get("message") or "") if error else ""
    if error and error.get("error_user_msg") and error.get("message") and error["message"] not in message:
        message = f"{error['message']} — {message}"
    message = message or (body_snippet(response) or "")
    said = f"HTTP {status}" + (f", code {code}" if code is not None else "") + (f": {message}" if message else "")
    later = "The post waits in the outbox and is retried later."
    err: GraphError
    if code in AUTH_CODES or status == 401:
        err = _GraphAuth(f"{service} did not accept the access token ({said}).", hint=renew)
    elif code in PERMISSION_CODES or status == 403:
        err = _GraphAuth(f"{service} says the token may not do this ({said}).", hint=f"The token needs {scopes}. {renew}")
    elif status == 429 or code in RATE_CODES:
        err = _GraphRate(f"{service} asks us to slow down ({said}).", retry_after=retry_after(response), hint=later)
    elif (status >= 500 or (error and error.get("is_transient")) or code in TRANSIENT_CODES or error is None
          or (code == 24 and subcode == 4279009)):
        err = _GraphTransient(f"{service} had a problem with {what} ({said}).", ambiguous=write, hint=later)
    else:
        err = _GraphRejected(f"{service} refused {what} ({said}).", hint=f"Fix what {service} names, then publish again.")
    err.code, err.subcode = code, subcode
    return err


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class GraphClient(PlatformClient):
    """The container publishing of Threads and Instagram (see the module's notes). A subclass
    says where (`API`, the edges), what its containers hold (`image_form`, `TEXT_FIELD`) and how
    its own posts are found again (`find_published`)."""

    API: ClassVar[str] = ""
    """The path before every call ("/v1.0" for Threads)."""
    CONTAINER_EDGE: ClassVar[str]
    PUBLISH_EDGE: ClassVar[str]
    TEXT_FIELD: ClassVar[str]
    """The container's field for the post's text: "text", or Instagram's "caption"."""
    STATUS_FIELDS: ClassVar[tuple[str, str]] = ("status", "error_message")
    """A container's status field and the field saying why it failed."""
    SCOPES: ClassVar[str]
    """What a token needs, named in a permission error."""
    PREPARE_HINT: ClassVar[str]
    """What to do when the container could not be prepared (status ERROR)."""
    POLL_DELAYS: ClassVar[tuple[float, ...]] = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
    """Waits between status reads of a container that is IN_PROGRESS (about 20 s in all)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.poll_delays: tuple[float, ...] = self.POLL_DELAYS
        self._clock: timedelta | None = None
        """How far Meta's clock is ahead of ours (from the last answer's Date), once known."""

    @property
    def access_token(self) -> str:
        return access_token(self.secret)

    async def call(self, method: str, path: str, *, write: bool = False, auth: bool = True, what: str = "the request",
                   versioned: bool = True, **kwargs: Any) -> Any:
        """One Graph API call (`path` after `API`, unless not `versioned`); its JSON, or the shared
        error for the answer."""
        asked = now()
        response = await self.request(method, (self.API if versioned else "") + path, write=write,
                                      token=self.access_token if auth else None, **kwargs)
        self._clock = clock_offset(response, asked) or self._clock
        data = parse_json(response)
        error = data.get("error") if isinstance(data, Mapping) else None
        if response.status_code < 400 and not isinstance(error, Mapping):
            later = "The post waits in the outbox; the retry checks the saved container first."
            return json_answer(response, who=self.label, what=what, write=write, unsure=later, otherwise=later)
        raise graph_error(response, error if isinstance(error, Mapping) else None, service=self.label, write=write,
                          what=what, renew=self.renew_help(), scopes=self.SCOPES)

    async def account_check(self, path: str) -> tuple[str, Mapping[str, Any]]:
        """(id, answer) of `GET path?fields=id,username,name`: who the token belongs to."""
        data = await self.call("GET", path, what="the account check", params={"fields": "id,username,name"})
        uid = id_of(data)
        if uid is None:
            raise TransientError(f"{self.label} answered the account check without the account's id.",
                                 hint="Try again later.")
        return uid, data

    async def upload(self, image: Image) -> Uploaded:
        """Meta fetches each image from a public address: the account's `media_host` (a Micropub
        site, say) gives it one (`check_images` refused the post already where there is none)."""
        if self.media_host is None:
            raise Rejected(f"{self.label} fetches images from a public address, and this account has no media_host.",
                           hint=f"Set media_host = \"ACCOUNT\" under [accounts.{self.account.name}] in config.toml "
                           "(a Micropub account whose uploads get a public address).")
        return Uploaded(image=image, id=await self.media_host.host_image(image))

    # ------------------------------------------------------------------ hooks

    async def user(self) -> str:
        """The Graph user the posts go to (hook)."""
        raise NotImplementedError

    def image_form(self, upload: Uploaded) -> dict[str, str]:
        """The fields of an image container (hook)."""
        raise NotImplementedError

    def status_of_error(self, err: GraphError) -> str | None:
        """The status a container's failed read stands for (GONE: no such container), or None."""
        return "GONE" if err.not_found else None

    async def find_published(self, user: str, part: Sending, previous: str | None,
                             record: PartRecord) -> tuple[str, str | None] | None:
        """(media id, permalink) of the post a PUBLISHED container became, or None (hook)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ containers

    async def _new_container(self, user: str, form: Mapping[str, str], what: str) -> str:
        data = await self.call("POST", f"/{user}/{self.CONTAINER_EDGE}", data=dict(form), what=what)
        made = id_of(data)
        if made is None:
            raise TransientError(f"{self.label} did not say which container it made for {what.removeprefix('the new ')}.",
                                 hint="The post waits in the outbox and is retried later.")
        return made

    async def create_container(self, user: str, text: str, reply_to: str | None, uploads: Sequence[Uploaded]) -> str:
        """A container for the part: TEXT; an image with one; a CAROUSEL of image items with more
        (each image by its public address, with its alt text)."""
        form: dict[str, str]
        if len(uploads) == 1:
            form = self.image_form(uploads[0])
        elif uploads:
            items = [await self._new_container(user, {**self.image_form(u), "is_carousel_item": "true"},
                                               f"the image {u.image.name}") for u in uploads]
            form = {"media_type": "CAROUSEL", "children": ",".join(items)}
        else:
            form = {"media_type": "TEXT"}
        form[self.TEXT_FIELD] = text
        if reply_to:
            form["reply_to_id"] = reply_to
        return await self._new_container(user, form, "the new post")

    async def container(self, container: str) -> tuple[str, str | None]:
        """(status, detail) of a container: IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED, GONE
        (no such container any more), or what `status_of_error` says."""
        field, why = self.STATUS_FIELDS
        try:
            data = await self.call("GET", f"/{container}", what="the check of the saved post",
                                   params={"fields": f"id,{field},{why}"})
        except GraphError as err:
            status = self.status_of_error(err)
            if status is None:
                raise
            return status, None
        status = str(data.get(field) or "").upper() if isinstance(data, Mapping) else ""
        detail = data.get(why) if isinstance(data, Mapping) else None
        return status or "IN_PROGRESS", detail if isinstance(detail, str) else None

    async def wait_until_ready(self, container: str) -> str:
        """Read the new container's status until it is FINISHED (or says it is published)."""
        for delay in (*self.poll_delays, None):
            status, detail = await self.container(container)
            if status in ("FINISHED", "PUBLISHED", "MEDIA"):
                return status
            if status == "ERROR":
                raise Rejected(f"{self.label} could not prepare the post{': ' + detail if detail else ''}.",
                               hint=self.PREPARE_HINT)
            if status == "EXPIRED":
                raise TransientError(f"The post's container on {self.label} expired before it was published.",
                                     hint="The retry makes a new one.")
            if delay is None:
                break
            await asyncio.sleep(delay)  # IN_PROGRESS, or GONE: just made, and Meta has not caught up yet
        raise TransientError(
            f"{self.label} is still preparing the post.",
            hint="The post waits in the outbox; the retry publishes the container already made.",
        )

    async def _publish_container(self, user: str, container: str) -> str:
        data = await self.call("POST", f"/{user}/{self.PUBLISH_EDGE}", write=True, what="the post",
                               params={"creation_id": container})
        media = id_of(data)
        if media is None:
            raise TransientError(f"{self.label} published the post but did not say its id.", ambiguous=True,
                                 hint="The retry reads the saved container and finds the post.")
        return media

    async def permalink(self, media: str) -> str | None:
        try:
            data = await self.call("GET", f"/{media}", what="the post's address", params={"fields": "id,permalink"})
        except (TransientError, RateLimited, GraphError) as err:
            log.info("%s permalink of %s not read: %s", self.label, media, err.message)
            return None
        link = data.get("permalink") if isinstance(data, Mapping) else None
        return link if isinstance(link, str) and link else None

    # ------------------------------------------------------------------ publish

    async def send_part(self, part: Sending) -> PartRecord:
        user, record = await self.user(), part.record
        previous = part.previous.id if part.previous else None
        media: str | None = None
        url: str | None = None
        container = record.extra.get("container")
        if container and record.digest and record.digest != part.digest:
            status, _ = await self.container(container)
            if status in ("PUBLISHED", "MEDIA"):
                raise Rejected(
                    f"{part.name} was changed after its earlier text went out on {self.label}.",
                    hint=f"Check your {self.label} profile; delete the old post there if you want, then "
                    "publish the draft again as a new one.",
                )
            container = None
        if container:
            status, detail = await self.container(container)
            if status in ("FINISHED", "IN_PROGRESS"):
                if status == "IN_PROGRESS":
                    status = await self.wait_until_ready(container)
            elif status not in ("PUBLISHED", "MEDIA"):  # EXPIRED, ERROR, GONE: nothing was published from it
                log.info("%s container %s is %s (%s): making a new one", self.label, container, status, detail)
                container = None
            if container:
                media, url = await self._publish_or_find(user, container, status, part, previous, record)
        if media is None:
            uploads = await part.uploaded()
            container = await self.create_container(user, part.text, previous, uploads)
            record = await part.save(replace(record, digest=part.digest, extra={
                **record.extra, "container": container, "container_at": stamp(now())}))  # on disk before publishing
            status = await self.wait_until_ready(container)
            media, url = await self._publish_or_find(user, container, status, part, previous, record)
        if url is not None:
            return record.done(media, url)
        record = await part.save(record.done(media, None))  # the post's id on disk before its address is asked
        url = await self.permalink(media)
        return replace(record, url=url) if url else record

    async def _publish_or_find(self, user: str, container: str, status: str, part: Sending, previous: str | None,
                               record: PartRecord) -> tuple[str, str | None]:
        """(media id, permalink if known) of a container that is ready or says it is published."""
        if status == "MEDIA":  # the container's id has become the post's
            return container, None
        if status != "PUBLISHED":
            return await self._publish_container(user, container), None
        found = await self.find_published(user, part, previous, record)
        if found is None:
            raise NeedsCheck(
                f"{self.label} says {part.name.lower()} was published, but it is not among your recent posts.",
                hint=f"Check your {self.label} profile: if the post is there, mark it as sent; if not, "
                "publish the draft again.",
            )
        return found
