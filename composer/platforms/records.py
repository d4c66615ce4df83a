"""What clients and the publisher hand each other: the account, its secret, a post's options,
who the credentials belong to, the limits of one post, and each thread part's publish state."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from composer.account import AccountInfo as AccountInfo  # re-exported: what every client takes

from .untrusted import clean, sanitise

NO_LIMIT = 2**31 - 1
"""The `Limits.max_chars` of a platform without a length limit (Micropub)."""


class Secret:
    """A credential that never shows itself in a repr, a log line, a traceback or a message."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: call only where it goes into a request header or the keyring."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(<redacted>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class PostOptions:
    visibility: str | None = None
    language: str | None = None
    content_warning: str | None = None
    reply_to: str | None = None
    """The platform id of a post this one answers (a reader's reply): the first part is sent as a
    reply to it (the client's `reply_target` hook says what the platform needs to do so)."""
    title: str | None = None
    """The draft's own title (front matter `title`), for titled posts (a Dev.to article)."""
    tags: tuple[str, ...] = ()
    """The draft's tags (front matter `tags`): a Dev.to article's."""
    published: bool = False
    """Front matter `published = true`: publish a Dev.to article rather than save it unpublished."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the credentials belong to, as the server says (from `verify`)."""

    id: str
    handle: str
    display_name: str = ""
    url: str | None = None
    expires_at: str | None = None
    """ISO-8601 time the credential expires, where the platform says (LinkedIn, Threads)."""
    details: Mapping[str, Any] = field(default_factory=dict)
    """Non-secret facts worth saving in config (e.g. the Bluesky PDS URL, a LinkedIn member id)."""

    def cleaned(self) -> Identity:
        """The same, with every text the server chose passed through `untrusted.clean`."""
        details = {k: clean(v) if isinstance(v, str) else v for k, v in self.details.items()}
        return replace(
            self,
            id=clean(self.id),
            handle=clean(self.handle),
            display_name=clean(self.display_name),
            url=clean(self.url) if self.url is not None else None,
            details=details,
        )


@dataclass(frozen=True, slots=True)
class Limits:
    """What one post may hold on this account's server."""

    max_chars: int
    url_cost: int | None = None
    """Characters a URL counts as (Mastodon: 23), or None when URLs count in full."""
    max_links: int | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """A reader's reply to one of the writer's posts, or a post that mentions them, as the server
    gave it (what the client's `replies` and `mentions` hooks return). No counts of likes or
    followers: the dialogue layer shows none."""

    id: str
    """The platform's id for it (a Mastodon status id, a Bluesky at-uri): what an answer replies to."""
    author: str
    """The reader's handle, as the platform shows it (`bob@example.social`, `bob.bsky.social`)."""
    text: str
    """Its text, plain (HTML turned into text)."""
    created_at: str
    """When it was written, ISO 8601 as the server said it ("" when it did not)."""
    url: str | None = None
    """Where a person can see it."""
    in_reply_to: str | None = None
    """The id of the post it answers (None for a mention that answers nothing)."""
    kind: str = "reply"
    """`reply` or `mention`."""
    extra: Mapping[str, str] = field(default_factory=dict)
    """Platform data needed to answer it (a Bluesky cid and its thread's root)."""

    def cleaned(self) -> Reply:
        """The same, with every text the server chose passed through `untrusted.clean`."""
        return replace(
            self,
            id=clean(self.id),
            author=clean(self.author),
            text=clean(self.text),
            created_at=clean(self.created_at),
            url=clean(self.url) if self.url is not None else None,
            in_reply_to=clean(self.in_reply_to) if self.in_reply_to is not None else None,
            extra={clean(k): clean(v) for k, v in self.extra.items()},
        )


@dataclass(frozen=True, slots=True)
class Image:
    """One image ready to upload: re-encoded (metadata gone) and within the platform's limits.
    Made by `composer.media.prepare`; clients only send it."""

    data: bytes = field(repr=False)
    mime: str
    """`image/jpeg`, `image/png`, ..."""
    width: int
    height: int
    alt: str
    """The alt text (never empty: the publish gate refuses an image without)."""
    name: str = "image"
    """The file name, for messages and multipart uploads."""
    source: str = ""
    """A fingerprint of the file as the writer attached it (and its alt text): part of the digest
    that ties a part's record to what it carries."""

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}.get(self.mime, "bin")

    @property
    def filename(self) -> str:
        """The name to upload under: the file's stem with the extension of what is sent."""
        stem = self.name.rsplit(".", 1)[0] or "image"
        return f"{stem}.{self.extension}"


@dataclass(frozen=True, slots=True)
class Uploaded:
    """An image on the server, as the client's `upload` left it: what the post refers to."""

    image: Image
    id: str
    """The server's handle for it: a Mastodon media id, a LinkedIn image URN, a public URL."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Anything else the post needs (a Bluesky blob object)."""


def digest(text: str, images: Sequence[Image] = ()) -> str:
    """A short fingerprint of a part's text (and the images it carries, with their alt text),
    saved with its record to notice an edited retry."""
    h = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    for image in images:
        h.update(b"\0image\0" + (image.source or hashlib.sha256(image.data).hexdigest()).encode()
                 + b"\0" + image.alt.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PartRecord:
    """One thread part's publish state for one account: saved in the draft before and after sending."""

    key: str
    """Idempotency key / record key, made before the first try and reused by every retry."""
    digest: str
    """`digest(text)` of the part this key was made for."""
    id: str | None = None
    """The server's id for the post once it is known (Mastodon status id, Bluesky at-uri, ...)."""
    url: str | None = None
    """Where a person can see it."""
    extra: Mapping[str, str] = field(default_factory=dict)
    """Platform data needed to continue a thread or check on retry (Bluesky cid, Threads container)."""

    @property
    def sent(self) -> bool:
        return self.id is not None

    def done(self, id: str, url: str | None, **extra: str) -> PartRecord:
        return replace(self, id=id, url=url, extra={**self.extra, **extra})

    @property
    def tried_at(self) -> str | None:
        """When a request that may have posted this part went out, while its outcome is unknown."""
        return self.extra.get("tried_at")

    def stamped(self) -> PartRecord:
        """Marked as tried (saved before the request, so a lost answer is checked next time). The
        time is the first such try's, to the millisecond, kept by later tries while the outcome is
        unknown: a look-up for what the tries made starts there and never earlier."""
        if self.tried_at:
            return self
        return replace(self, extra={**self.extra, "tried_at": now().isoformat(timespec="milliseconds")})

    def unstamped(self) -> PartRecord:
        return replace(self, extra={k: v for k, v in self.extra.items() if k != "tried_at"})

    def cleaned(self) -> PartRecord:
        """The same, with the server's id and URL passed through `untrusted.clean`."""
        return replace(
            self,
            id=clean(self.id) if self.id is not None else None,
            url=clean(self.url) if self.url is not None else None,
        )

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "digest": self.digest}
        if self.id is not None:
            d["id"] = self.id
        if self.url is not None:
            d["url"] = self.url
        if self.extra:
            d["extra"] = dict(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PartRecord:
        return cls(
            key=str(d["key"]),
            digest=str(d.get("digest", "")),
            id=None if d.get("id") is None else sanitise(str(d["id"])),
            url=None if d.get("url") is None else sanitise(str(d["url"])),
            extra={str(k): str(v) for k, v in dict(d.get("extra", {})).items()},
        )


Checkpoint = Callable[[list[PartRecord]], Awaitable[None]]
"""Called by a client after each part is sent, so the publisher can save progress at once."""


def now() -> datetime:
    return datetime.now(UTC)


def stamp(t: datetime | None = None) -> str:
    """A time as saved in a record (ISO 8601, UTC, whole seconds)."""
    return (t or now()).isoformat(timespec="seconds")


def part_name(i: int, n: int) -> str:
    """"The post", or "Part 2 of 3" in a thread."""
    return f"Part {i + 1} of {n}" if n > 1 else "The post"


Ask = Callable[[str, bool], str]
"""How a login flow asks the writer something: ask(prompt, secret) -> answer (no echo if secret)."""
