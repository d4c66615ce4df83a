"""A draft and its per-account publish state: plain data, serialised by `composer.drafts.store`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from composer.platforms.base import PartRecord

DeliveryStatus = Literal["pending", "sending", "sent", "queued", "failed"]
DELIVERY_STATUSES: tuple[str, ...] = ("pending", "sending", "sent", "queued", "failed")
"""pending: chosen, not tried yet. sending: a try is under way (or the app died during one).
sent: every part is on the server. queued: waits in the outbox for a retry (transient failure).
failed: the server refused it or the credentials are bad; the writer must act."""

SCHEMA = 1
"""Version of the front matter layout, written as `schema` in every draft file."""


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


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
    error_kind: str | None = None
    """`PlatformError.kind` of the last failure (auth, rate-limited, rejected, transient, ...)."""
    attempts: int = 0
    next_try: datetime | None = None
    """When the outbox may try again (backoff, or the server's Retry-After)."""
    updated: datetime | None = None
    uncertain: bool = False
    """A try may have reached the server without an answer (a dropped connection after sending):
    only a retry with the same keys is safe, so an edited text is not sent again silently."""

    @property
    def sent_parts(self) -> int:
        return sum(1 for p in self.parts if p.sent)


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
        """One word for lists: draft, sending, sent, partly sent, queued, failed."""
        states = {d.status for d in self.deliveries.values()}
        if not states or states == {"pending"}:
            return "draft"
        if states == {"sent"}:
            return "sent"
        if "sending" in states:
            return "sending"
        if "failed" in states:
            return "failed"
        if "queued" in states:
            return "queued"
        return "partly sent"
