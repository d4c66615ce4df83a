"""What waits in the outbox, and the writer's own decisions about a delivery: `flush_outbox` retries
every waiting delivery whose time has come; `reset_delivery` and `mark_sent` record what the writer
found on the account after a try whose outcome is unknown."""

from __future__ import annotations

import asyncio
import inspect
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from composer.drafts import outbox
from composer.drafts.model import Delivery, Draft
from composer.drafts.model import now as _now
from composer.drafts.store import DraftStore
from composer.platforms.base import PlatformClient
from composer.words import explain

from .send import PartsFor, publish_draft


@dataclass(frozen=True, slots=True)
class FlushResult:
    """What `flush_outbox` did for one waiting delivery."""

    draft_id: str
    account: str
    delivery: Delivery | None
    """The delivery after the try; None when it could not be tried (see `problem`)."""
    problem: str | None = None
    """Why it was not tried (account no longer configured, keyring unavailable, unreadable draft)."""



async def flush_outbox(
    store: DraftStore,
    open_client: Callable[[str], Awaitable[PlatformClient]],
    *,
    now: Callable[[], datetime] = _now,
    force: bool = False,
    on_update: Callable[[str, str, Delivery], Awaitable[None] | None] | None = None,
    parts_for: PartsFor | None = None,
    rng: random.Random | None = None,
) -> list[FlushResult]:
    """Retry every waiting delivery whose time has come (all of them with `force`).

    Waiting = "queued", or "sending" left over from a crash (a send still running elsewhere is
    skipped by its claim). `open_client(account)` is awaited once per account; if it fails
    (account removed from config, keyring locked), those deliveries keep their state and the
    result says why. `on_update(draft_id, account, delivery)` reports progress."""
    items = await asyncio.to_thread(outbox.pending, store)
    at = now()
    due = [i for i in items if force or i.status == "sending" or i.due(at)]
    if not due:
        return []
    clients: dict[str, PlatformClient | Exception] = {}
    for account in dict.fromkeys(i.account for i in due):
        try:
            clients[account] = await open_client(account)
        except Exception as err:  # reported per delivery below
            clients[account] = err

    by_draft: dict[str, list[str]] = {}
    for item in due:
        by_draft.setdefault(item.draft_id, []).append(item.account)

    async def run(draft_id: str, accounts: Sequence[str]) -> list[FlushResult]:
        out: list[FlushResult] = []
        targets: dict[str, PlatformClient] = {}
        for account in accounts:
            client = clients[account]
            if isinstance(client, Exception):
                out.append(FlushResult(draft_id, account, None, explain(client)))
            else:
                targets[account] = client
        if not targets:
            return out

        async def report(account: str, delivery: Delivery) -> None:
            if on_update is not None:
                r = on_update(draft_id, account, delivery)
                if inspect.isawaitable(r):
                    await r

        try:
            done = await publish_draft(
                store, draft_id, targets, parts_for=parts_for, on_update=report, now=now, rng=rng
            )
        except Exception as err:  # unreadable or vanished draft, unwritable file
            return out + [FlushResult(draft_id, a, None, explain(err)) for a in targets]
        return out + [FlushResult(draft_id, a, d) for a, d in done.items()]

    groups = await asyncio.gather(*(run(d, accs) for d, accs in by_draft.items()))
    return [r for group in groups for r in group]


def reset_delivery(store: DraftStore, draft_id: str, account: str) -> Delivery:
    """Forget the publish state of `draft_id` for `account` (after the writer checked the account):
    its keys are dropped, so the next publish sends the current text as a new post. A sent delivery
    is not reset (delete the post on the server first, then remove the account from the draft)."""

    def change(d: Delivery, draft: Draft) -> None:
        if d.status == "sent":
            raise ValueError(f"{draft.id} was already published to {account}; nothing to reset")
        d.reset()

    return _change_delivery(store, draft_id, account, change)


def mark_sent(store: DraftStore, draft_id: str, account: str, url: str | None = None) -> Delivery:
    """Record that the writer found the post on `account` already published (after a needs-check or
    an uncertain failure): the delivery becomes sent, with `url` if they give it, and is never
    retried. Parts the server already confirmed keep their ids."""

    def change(d: Delivery, draft: Draft) -> None:
        if d.status == "sent":
            raise ValueError(f"{draft.id} is already marked as published to {account}")
        d.mark_sent(url)

    return _change_delivery(store, draft_id, account, change)


def _change_delivery(
    store: DraftStore, draft_id: str, account: str, change: Callable[[Delivery, Draft], None]
) -> Delivery:
    """The writer's own change to one delivery, under the draft's lock. KeyError: the draft has no
    publish state for `account`; ValueError: the change does not apply (said in plain words)."""

    def apply(current: Draft) -> None:
        d = current.deliveries.get(account)
        if d is None:
            raise KeyError(account)
        change(d, current)

    draft = store.load(draft_id)
    if account not in draft.deliveries:
        raise KeyError(f"draft {draft.id} has no publish state for {account!r}")
    return store.update(draft, apply).deliveries[account]
