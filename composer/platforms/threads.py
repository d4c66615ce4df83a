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

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import AuthError, NeedsCheck, PlatformError
from .graph import GraphClient, GraphError
from .http import CLOCK_SKEW
from .reading import same_words, time_of
from .records import AccountInfo, Ask, Identity, PartRecord, PostOptions, Reply, Secret, Uploaded, now, stamp
from .sending import Sending
from .tokens import token_fields, token_secret

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

API = "/v1.0"
TOKEN_DAYS = 60
REFRESH_AFTER = timedelta(hours=24)
LOOKUP_LIMIT = 50


class ThreadsClient(GraphClient):
    platform: ClassVar[str] = "threads"
    API = API
    CONTAINER_EDGE = "threads"
    PUBLISH_EDGE = "threads_publish"
    TEXT_FIELD = "text"
    SCOPES = "threads_basic and threads_content_publish (and threads_manage_replies)"
    PREPARE_HINT = "Change what Threads names, then publish again."
    POLL_DELAYS: ClassVar[tuple[float, ...]] = (0.3, 0.7, 1.5, 3.0, 5.0, 10.0)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._token = token_fields(self.secret)
        self._refresh_tried = False
        self._user_id: str | None = None

    @property
    def expires_at(self) -> datetime | None:
        return time_of(self._token.get("expires_at"))

    # ------------------------------------------------------------------ token

    async def _maybe_refresh(self) -> None:
        """Swap the token for a fresh 60-day one once it is 24 hours old (at most once per client)."""
        if self._refresh_tried:
            return
        self._refresh_tried = True
        issued = time_of(self._token.get("issued_at"))
        if issued is not None and now() - issued < REFRESH_AFTER:
            return
        try:
            data = await self.call(
                "GET", "/refresh_access_token", auth=False, versioned=False, what="the token refresh",
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
        self.renewed(token_secret(self._token))

    # ------------------------------------------------------------------ login, verify

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        secret, info = cls.pasted(ask, account)
        at = now()  # a token just pasted is too young to refresh
        secret = token_secret({"access_token": secret.reveal(), "issued_at": stamp(at),
                               "expires_at": stamp(at + timedelta(days=TOKEN_DAYS))})
        return await cls.verified(http, info, secret, keep_details=True)

    async def identify(self) -> Identity:
        await self._maybe_refresh()
        uid, data = await self.account_check("/me")
        username = str(data.get("username") or "")
        expires = self.expires_at
        return Identity(
            id=uid,
            handle=username or uid,
            display_name=str(data.get("name") or ""),
            url=f"https://www.threads.net/@{username}" if username else None,
            expires_at=stamp(expires) if expires else None,
            details={"user_id": uid},
        )

    async def user(self) -> str:
        if self._user_id:
            return self._user_id
        uid = self.account.options.get("user_id")
        if isinstance(uid, (str, int)) and str(uid):
            return str(uid)
        identity = await self.whoami()
        return identity.id

    # ------------------------------------------------------------------ publish

    def image_form(self, upload: Uploaded) -> dict[str, str]:
        return {"media_type": "IMAGE", "image_url": upload.id, "alt_text": upload.image.alt}

    def status_of_error(self, err: GraphError) -> str | None:
        """Some accounts answer "Tried accessing nonexisting field (status)" for a published
        container (its id has become the post's): MEDIA."""
        if err.code == 100 and "nonexisting field" in err.message.lower():
            return "MEDIA"
        return super().status_of_error(err)

    async def prepare(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions) -> None:
        await self._maybe_refresh()
        self._user_id = await self.user()

    async def find_published(self, user: str, part: Sending, previous: str | None,
                             record: PartRecord) -> tuple[str, str | None] | None:
        """From the account's own posts (or replies): the same text, replying to the previous part,
        made no earlier than its container (on Meta's clock), not another part's."""
        edge = "replies" if previous else "threads"
        data = await self.call("GET", f"/{user}/{edge}", what="the list of your posts", params={
            "fields": "id,text,timestamp,permalink,replied_to", "limit": str(LOOKUP_LIMIT)})
        items = data.get("data") if isinstance(data, Mapping) else None
        made = time_of(record.extra.get("container_at"))
        if made is None or self._clock is None:
            raise NeedsCheck(
                "Threads says the post was published, but when its container was made "
                + ("is not known." if made is None else "cannot be compared with Threads' clock."),
                hint="Check your Threads profile: if the post is there, mark it as sent; if not, publish again.",
            )
        since = made + self._clock - CLOCK_SKEW  # the container's post cannot be older than the container
        claimed = {r.id for r in part.records if r.id}
        found: list[tuple[datetime, str, str | None]] = []
        for item in items or []:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), (str, int)) or str(item["id"]) in claimed:
                continue
            if not same_words(str(item.get("text") or ""), part.text):
                continue
            replied = item.get("replied_to")
            parent = str(replied.get("id")) if isinstance(replied, Mapping) and replied.get("id") else None
            if previous and parent != previous:
                continue
            when = time_of(item.get("timestamp"))
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

    # ------------------------------------------------------------------ dialogue

    async def replies(self, post: PartRecord) -> list[Reply]:
        await self._maybe_refresh()
        me = (await self.whoami()).handle
        try:
            data = await self.call("GET", f"/{post.id}/conversation", what="the replies to your post", params={
                "fields": "id,text,username,timestamp,permalink,replied_to", "reverse": "false"})
        except AuthError as err:
            raise AuthError(err.message, hint="Reading replies needs the threads_read_replies scope. " + self.renew_help()) from None
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
            await self.call("DELETE", f"/{record.id}", write=True, what="the deletion")
        except GraphError as err:
            if err.not_found:
                return  # gone already
            if isinstance(err, AuthError):
                raise AuthError(err.message, hint="Deleting needs the threads_delete scope. " + self.renew_help()) from None
            raise
