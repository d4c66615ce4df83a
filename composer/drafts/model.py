"""A draft and its per-account publish state: plain data, serialised by `composer.drafts.store`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from composer.platforms.records import PartRecord

DeliveryStatus = Literal["pending", "sending", "sent", "queued", "failed", "deleted"]
DELIVERY_STATUSES: tuple[str, ...] = ("pending", "sending", "sent", "queued", "failed", "deleted")
"""pending: chosen, not tried yet. sending: a try is under way (or the app died during one).
sent: every part is on the server. queued: waits in the outbox for a retry (transient failure).
failed: the server refused it or the credentials are bad; the writer must act. deleted: the writer
withdrew what was sent (its parts and `history` say what and when); publishing again makes a new post."""

ErrorKind = Literal[
    "auth", "rate-limited", "rejected", "transient", "needs-check", "insecure", "not-available", "error", "empty",
    "edited",
]
ERROR_KINDS: tuple[str, ...] = get_args(ErrorKind)
"""Why a delivery failed or waits: the kinds of `PlatformError` (platforms/base.py: auth,
rate-limited, rejected, transient, needs-check, insecure, not-available, and plain "error"), plus two of the
publish's own: empty (nothing to send) and edited (the text changed after part of it went out).
A file written by hand or by a later version may hold another word: it is kept as it is."""

WAITS_FOR_WRITER: tuple[str, ...] = ("needs-check", "edited")
"""Failures that are never retried until the writer acts (`humane outbox reset` or mark-sent)."""

SCHEMA = 1
"""Version of the front matter layout, written as `schema` in every draft file."""


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def make_ref(account: str, id: str) -> str:
    """How a reader's reply is named for answering it: `ACCOUNT:ID` (`reply_to` in a draft)."""
    return f"{account}:{id}"


def split_ref(ref: str) -> tuple[str, str] | None:
    """(account, platform id) of a `reply_to` ref; None when it is not of that shape."""
    account, sep, id = ref.strip().partition(":")
    if not sep or not account.strip() or not id.strip():
        return None
    return account.strip(), id.strip()


@dataclass(slots=True)
class Correction:
    """One thing the writer did to a published post afterwards: nothing is deleted or edited
    without a record in the draft."""

    action: str
    """`deleted` (withdrawn) or `edited` (changed in place)."""
    at: datetime
    ids: list[str] = field(default_factory=list)
    """The server ids of the parts it touched."""
    url: str | None = None
    """The post's address at the time."""
    note: str = ""
    """In words: what was done (`Part 2 of 3 was already gone`, `replaced by a new post`)."""
    text: str = ""
    """For an edit: the text as it was before."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "at": self.at, "ids": list(self.ids)}
        if self.url:
            out["url"] = self.url
        if self.note:
            out["note"] = self.note
        if self.text:
            out["text"] = self.text
        return out


@dataclass(slots=True)
class Delivery:
    """Publish state of one draft for one account."""

    account: str
    status: DeliveryStatus = "pending"
    parts: list[PartRecord] = field(default_factory=list)
    """One record per thread part, keys made and saved before the first request."""
    url: str | None = None
    """The URL of the post (of the first part of a thread) once sent."""
    error: str | None = None
    """Why the last try failed, in plain words, with what to do."""
    error_kind: ErrorKind | str | None = None
    """Why the last try failed: one of ERROR_KINDS (a file may hold another word: kept as is)."""
    attempts: int = 0
    next_try: datetime | None = None
    """When the outbox may try again (backoff, or the server's Retry-After)."""
    updated: datetime | None = None
    uncertain: bool = False
    """A try may have reached the server without an answer (a dropped connection after sending):
    only a retry with the same keys is safe, so an edited text is not sent again silently."""
    history: list[Correction] = field(default_factory=list)
    """Deletions and edits of what was sent, oldest first."""

    @property
    def sent_parts(self) -> int:
        return sum(1 for p in self.parts if p.sent)

    @property
    def waits_for_writer(self) -> bool:
        """Failed in a way no retry may mend (the post may be there; the text changed mid-thread)."""
        return self.status == "failed" and self.error_kind in WAITS_FOR_WRITER

    # -- state changes (each one is written under the draft's lock by `composer.publish`)
    def sending(self, parts: Iterable[PartRecord], attempts: int) -> None:
        """A try begins: its part keys are saved before the first request."""
        self.status = "sending"
        self.parts = list(parts)
        self.attempts = attempts
        self._clear_error()

    def progress(self, parts: Iterable[PartRecord]) -> None:
        """Parts went out (a thread, part by part): their ids are kept at once."""
        self.parts = list(parts)

    def sent(self, parts: Iterable[PartRecord]) -> None:
        """Every part is on the server; the URL is the first part's."""
        self.status = "sent"
        self.parts = list(parts)
        self.url = next((p.url for p in self.parts if p.url), None)
        self._clear_error()
        self.uncertain = False

    def fail(
        self, kind: ErrorKind, message: str, *, uncertain: bool | None = None, attempts: int | None = None
    ) -> None:
        """Failed: waits for the writer (`uncertain`: the post may have reached the server)."""
        if attempts is not None:
            self.attempts = attempts
        self.status = "failed"
        self.error = message
        self.error_kind = kind
        self.next_try = None
        if uncertain is not None:
            self.uncertain = uncertain

    def wait(self, kind: ErrorKind, message: str, next_try: datetime, attempts: int, *, ambiguous: bool) -> None:
        """Queued in the outbox until `next_try` (`ambiguous`: this try may have reached the server)."""
        self.status = "queued"
        self.attempts = attempts
        self.error = message
        self.error_kind = kind
        self.next_try = next_try
        self.uncertain = self.uncertain or ambiguous

    def mark_sent(self, url: str | None = None, *, at: datetime | None = None) -> None:
        """The writer found the post on the account: sent, never retried; confirmed parts keep their ids."""
        self.status = "sent"
        self.error = None
        self.error_kind = None
        self.next_try = None
        self.url = url or self.url or next((p.url for p in self.parts if p.url), None)
        self.updated = at or now()

    def reset(self, *, at: datetime | None = None) -> None:
        """Forget everything (after the writer checked the account): the next try uses new keys.
        The history of deletions and edits stays."""
        fresh = Delivery(account=self.account, updated=at or now(), history=list(self.history))
        for name in self.__slots__:
            setattr(self, name, getattr(fresh, name))

    def deleted(self, *, at: datetime | None = None, note: str = "") -> None:
        """The writer withdrew every part: recorded, parts kept (their ids say what was deleted)."""
        when = at or now()
        ids = [p.id for p in self.parts if p.id]
        self.history.append(Correction("deleted", when, ids, self.url, note))
        self.status = "deleted"
        self._clear_error()
        self.uncertain = False
        self.updated = when

    def edited(self, parts: Iterable[PartRecord], *, before: str = "", at: datetime | None = None, note: str = "") -> None:
        """The writer's correction replaced the text in place (same ids): recorded with the old text."""
        when = at or now()
        self.parts = list(parts)
        self.history.append(Correction("edited", when, [p.id for p in self.parts if p.id], self.url, note, before))
        self.updated = when

    def _clear_error(self) -> None:
        self.error = None
        self.error_kind = None
        self.next_try = None


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image attached to a draft, as its front matter lists it (`[[images]]`)."""

    path: str
    """As written: relative to the draft file's folder, or absolute (`~` allowed)."""
    alt: str = ""
    """What the image shows, for readers who cannot see it. Required to publish."""

    def resolve(self, draft_path: Path | None) -> Path:
        """The file this names: `path` expanded, relative to the draft file's folder (or the
        current folder for a draft not yet saved)."""
        p = Path(self.path).expanduser()
        if not p.is_absolute() and draft_path is not None:
            p = draft_path.parent / p
        return p

    @property
    def name(self) -> str:
        return Path(self.path).name or self.path


@dataclass(slots=True)
class Draft:
    id: str
    body: str = ""
    purpose: str = ""
    accounts: list[str] = field(default_factory=list)
    """Names of the accounts (from config) the writer chose for this draft."""
    content_warning: str = ""
    created: datetime = field(default_factory=now)
    updated: datetime = field(default_factory=now)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    """Keyed by account name."""
    reply_to: str = ""
    """A reader's reply this draft answers (a `ref` from `humane replies`: "ACCOUNT:ID"); empty for
    a post of its own."""
    images: list[ImageRef] = field(default_factory=list)
    """The attached images, in order (front matter `[[images]]`)."""
    article_title: str = ""
    """Front matter `title`: the title of a titled post (a Dev.to article); empty: the first heading."""
    tags: list[str] = field(default_factory=list)
    """Front matter `tags = [...]`: a Dev.to article's tags (at most 4)."""
    published: bool = False
    """Front matter `published = true`: a Dev.to article goes out published, not saved as a draft there."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Front-matter keys this version does not know (written by hand or by a tool): kept as they are."""
    path: Path | None = field(default=None, compare=False, repr=False)
    """The file it was read from or last written to; None for a new draft not yet saved."""

    @property
    def title(self) -> str:
        """The first non-blank line of the body, trimmed (what lists show)."""
        for line in self.body.splitlines():
            if line.strip():
                return line.strip()
        return ""

    @property
    def words(self) -> int:
        return len(self.body.split())

    @property
    def status(self) -> str:
        """One word for lists: draft, sending, sent, withdrawn, partly sent, queued, failed."""
        states = {d.status for d in self.deliveries.values()}
        if not states or states == {"pending"}:
            return "draft"
        if states == {"sent"}:
            return "sent"
        if states == {"deleted"}:
            return "withdrawn"
        if "sending" in states:
            return "sending"
        if "failed" in states:
            return "failed"
        if "queued" in states:
            return "queued"
        return "partly sent"
