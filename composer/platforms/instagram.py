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

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from .errors import Rejected
from .graph import GraphClient
from .reading import same_words, time_of
from .records import Identity, Image, PartRecord, PostOptions, Uploaded, now
from .sending import Sending

LOOKUP_MARGIN = timedelta(minutes=10)
LOOKUP_LIMIT = 50


class InstagramClient(GraphClient):
    platform: ClassVar[str] = "instagram"
    CONTAINER_EDGE = "media"
    PUBLISH_EDGE = "media_publish"
    TEXT_FIELD = "caption"
    STATUS_FIELDS = ("status_code", "status")
    SCOPES = "instagram_business_basic and instagram_business_content_publish"
    PREPARE_HINT = "Check the images (JPEG, at most 8 MB, between 4:5 and 1.91:1), then publish again."

    async def user(self) -> str:
        uid = (self.account.handle or "").strip().lstrip("@")
        if not uid:
            raise Rejected(f"Account {self.account.name!r} has no Instagram user id.",
                           hint=f"Add it: {self.entry.add_command(self.account.name)}")
        return uid

    async def identify(self) -> Identity:
        uid, data = await self.account_check(f"/{await self.user()}")
        username = str(data.get("username") or "")
        return Identity(
            id=uid,
            handle=uid,
            display_name=f"@{username}" if username else str(data.get("name") or ""),
            url=f"https://www.instagram.com/{username}/" if username else None,
        )

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

    def image_form(self, upload: Uploaded) -> dict[str, str]:
        return {"image_url": upload.id, "alt_text": upload.image.alt}

    async def find_published(self, user: str, part: Sending, previous: str | None,
                             record: PartRecord) -> tuple[str, str | None] | None:
        """From the account's own media: the same caption, no earlier than 10 minutes before the
        container, not another part's; the oldest such."""
        data = await self.call("GET", f"/{user}/media", what="the list of your posts",
                               params={"fields": "id,caption,timestamp,permalink", "limit": str(LOOKUP_LIMIT)})
        items = data.get("data") if isinstance(data, Mapping) else None
        since = time_of(record.extra.get("container_at"))
        claimed = {r.id for r in part.records if r.id}
        found: list[tuple[datetime, str, str | None]] = []
        for item in items or []:
            if not isinstance(item, Mapping) or not item.get("id") or str(item["id"]) in claimed:
                continue
            if not same_words(str(item.get("caption") or ""), part.text):
                continue
            when = time_of(item.get("timestamp")) or now()
            if since is not None and when < since - LOOKUP_MARGIN:
                continue
            link = item.get("permalink")
            found.append((when, str(item["id"]), link if isinstance(link, str) else None))
        if not found:
            return None
        _, mid, link = min(found)
        return mid, link
