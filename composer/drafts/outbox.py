"""The outbox as data: which deliveries wait, for which account, why, and when they may go.

Nothing here sends: `composer.publish.flush_outbox` does, reading `pending()` and writing the
results back into the draft files (the outbox has no file of its own: it is the `[deliveries.*]`
state of every draft, so it can never disagree with the drafts).

The retry policy (`retry_delay`) lives here too because it decides what is written in `next_try`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .model import Delivery, Draft, now
from .store import DraftError, DraftStore

WAITING = ("queued", "sending")
"""Statuses the outbox retries by itself (`sending` is a try cut short by a crash or a kill)."""

BASE_DELAY = 30.0
"""Seconds before the first retry; each later one doubles it..."""
MAX_DELAY = 3600.0
"""...up to an hour."""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    draft_id: str
    account: str
    status: str
    error: str | None
    attempts: int
    next_try: datetime | None
    error_kind: str | None = None
    title: str = ""
    uncertain: bool = False

    def due(self, at: datetime | None = None) -> bool:
        """May it be retried at `at` (default now)?"""
        return self.next_try is None or self.next_try <= (at or now())


def retry_delay(attempts: int, retry_after: float | None = None, *, rng: random.Random | None = None) -> float:
    """Seconds to wait before try number `attempts + 1`.

    The server's Retry-After wins when given (never less than 1 s). Otherwise exponential backoff
    with "equal jitter": half the delay fixed, half random, so many clients that failed together
    do not come back together, and no retry comes sooner than half its nominal delay."""
    if retry_after is not None and retry_after >= 0:
        return max(1.0, float(retry_after))
    nominal = min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempts - 1))
    r = (rng or random).random()
    return nominal / 2 + nominal / 2 * r


def next_try_after(
    attempts: int, retry_after: float | None = None, *, at: datetime | None = None, rng: random.Random | None = None
) -> datetime:
    return (at or now()) + timedelta(seconds=retry_delay(attempts, retry_after, rng=rng))


def items_of(draft: Draft, *, include_failed: bool = False) -> list[OutboxItem]:
    statuses = WAITING + (("failed",) if include_failed else ())
    return [
        _item(draft, d)
        for d in draft.deliveries.values()
        if d.status in statuses
    ]


def _item(draft: Draft, d: Delivery) -> OutboxItem:
    return OutboxItem(
        draft_id=draft.id,
        account=d.account,
        status=d.status,
        error=d.error,
        attempts=d.attempts,
        next_try=d.next_try,
        error_kind=d.error_kind,
        title=draft.title,
        uncertain=d.uncertain,
    )


def pending(store: DraftStore, *, include_failed: bool = False, errors: list[DraftError] | None = None) -> list[OutboxItem]:
    """Every delivery that waits (queued, or sending left over from a crash), soonest first.

    With `include_failed`, also the failed ones (which wait for the writer, not for time).
    Unreadable draft files are skipped; pass `errors` to collect them."""
    drafts = store.list()
    if errors is not None:
        errors.extend(drafts.errors)
    items = [item for draft in drafts for item in items_of(draft, include_failed=include_failed)]
    soonest = datetime.min.replace(tzinfo=UTC)
    order = {"sending": 0, "queued": 1, "failed": 2}
    items.sort(key=lambda i: (order.get(i.status, 3), i.next_try or soonest, i.draft_id, i.account))
    return items
