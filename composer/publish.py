"""Publish one draft to many accounts, concurrently and exactly once, through the outbox.

For each account (all at once, with asyncio.gather):

1. Claim the (draft, account) pair with a lock file (`DraftStore.claim`): if another task or
   process is sending it right now, leave it alone. The OS drops the claim if that process dies.
2. Split the body into thread parts (`client.split(text, await client.limits(), options)`, or
   `parts_for`).
3. Reuse the part records saved by an earlier try when the parts are the same text (same digest),
   or make new keys (`client.new_part_key()`), and SAVE them with status "sending" before the
   first request. Every retry therefore sends the same keys, and the client can skip or look up
   parts that already went out.
4. `client.publish(parts, records, options, checkpoint)`; `checkpoint` writes the records into the
   draft file at once after every part, so a crash mid-thread forgets nothing.
5. Write the outcome: "sent" + URL; "queued" with `next_try` (transient trouble, rate limits:
   exponential backoff with jitter, or the server's Retry-After); "failed" with the error's
   explanation (auth, rejected, needs-check, edited, ...), which waits for the writer.

Nothing is sent twice on purpose: a delivery that is "sent" is never sent again; if the text
changed after part of a thread went out, or after a try whose outcome is unknown, it is marked
failed ("edited") instead of silently sending the new text; a "needs-check" delivery (a platform
that cannot make retries safe) is not retried until the writer resets it (`reset_delivery`).

Every write is a read-modify-write of one delivery under the draft's lock (`DraftStore.update`), run
in a worker thread so the event loop never waits on fsync; the writes of one publish are also
serialised by an asyncio.Lock. Save the editor's text before publishing (`Autosaver.flush()`): the
body published is the one in the file.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Awaitable, Callable, Mapping, Sequence

from composer.drafts import outbox
from composer.drafts.model import Delivery, Draft
from composer.drafts.model import now as _now
from composer.drafts.store import DraftStore
from composer.words import explain
from composer.platforms.base import (
    NeedsCheck,
    PartRecord,
    PlatformClient,
    PlatformError,
    PostOptions,
    RateLimited,
    TransientError,
    digest,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
"""After this many tries that failed for passing reasons, the delivery fails and waits for the writer
(with the backoff, about four hours of trying while the app runs): a post should not go out days late."""

OnUpdate = Callable[[str, Delivery], "Awaitable[None] | None"]
PartsFor = Callable[[PlatformClient, str], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class FlushResult:
    """What `flush_outbox` did for one waiting delivery."""

    draft_id: str
    account: str
    delivery: Delivery | None
    """The delivery after the try; None when it could not be tried (see `problem`)."""
    problem: str | None = None
    """Why it was not tried (account no longer configured, keyring unavailable, unreadable draft)."""


async def _notify(on_update: OnUpdate | None, account: str, delivery: Delivery) -> None:
    if on_update is None:
        return
    try:
        result = on_update(account, delivery)
        if inspect.isawaitable(result):
            await result
    except Exception:  # a broken progress callback must not stop a publish half-way
        log.exception("on_update callback failed for %s", account)


def _edited_message(draft_id: str, account: str, d: Delivery) -> str:
    fix = (
        f"Check the account; to publish the new text anyway, run `humane outbox reset {draft_id} {account}` "
        "and publish again."
    )
    sent = d.sent_parts
    if sent:
        where = f" ({d.url or next((p.url for p in d.parts if p.url), '')})".replace(" ()", "")
        return (
            f"The text changed after {sent} of {len(d.parts)} part{'s' if len(d.parts) != 1 else ''} "
            f"went out to {account}{where}. Not sent again, so the thread is not mixed or doubled. {fix}"
        )
    return (
        f"An earlier try may have reached {account} (the connection broke before the answer), and the "
        f"text has changed since. Not sent again, to avoid a duplicate. {fix}"
    )


async def publish_draft(
    store: DraftStore,
    draft_id: str,
    targets: Mapping[str, PlatformClient],
    *,
    parts_for: PartsFor | None = None,
    on_update: OnUpdate | None = None,
    now: Callable[[], datetime] = _now,
    rng: random.Random | None = None,
) -> dict[str, Delivery]:
    """Publish draft `draft_id` to every account in `targets` (name -> client), concurrently.

    Returns the final Delivery per account; `on_update(account, delivery)` (sync or async) is called
    on every state change (sending, each part, the outcome). Platform errors never escape: they
    become the delivery's state. Raises DraftNotFound / DraftError if the draft cannot be read, and
    OSError if its file cannot be written (then nothing was sent)."""
    draft = await asyncio.to_thread(store.load, draft_id)
    ref = draft  # carries the path: a draft opened from anywhere is written back where it lives
    lock = asyncio.Lock()

    async def write(account: str, change: Callable[[Delivery], None], parts: list[PartRecord] | None = None) -> Delivery:
        def apply(current: Draft) -> None:
            d = current.deliveries.get(account) or Delivery(account=account)
            d = replace(d, parts=list(d.parts))
            change(d)
            d.updated = now()
            current.deliveries[account] = d
            if account not in current.accounts:
                current.accounts.append(account)

        async with lock:
            fresh = await asyncio.to_thread(store.update, ref, apply)
        delivery = fresh.deliveries[account]
        await _notify(on_update, account, delivery)
        return delivery

    async def current_delivery(account: str) -> tuple[Draft, Delivery]:
        fresh = await asyncio.to_thread(store.load, draft.path or draft_id)
        return fresh, fresh.deliveries.get(account) or Delivery(account=account)

    async def one(account: str, client: PlatformClient) -> Delivery:
        claim = store.claim(draft.id, account)
        if claim is None:  # someone else (another task, another process) is sending it right now
            _, d = await current_delivery(account)
            await _notify(on_update, account, d)
            return d
        try:
            return await send(account, client)
        finally:
            claim.release()

    async def fail(
        account: str, message: str, kind: str, *, uncertain: bool | None = None, attempts: int | None = None
    ) -> Delivery:
        def change(d: Delivery) -> None:
            if attempts is not None:
                d.attempts = attempts
            d.status = "failed"
            d.error = message
            d.error_kind = kind
            d.next_try = None
            if uncertain is not None:
                d.uncertain = uncertain

        return await write(account, change)

    async def wait(account: str, err: PlatformError, attempts: int, *, ambiguous: bool) -> Delivery:
        if attempts >= MAX_ATTEMPTS:
            return await fail(
                account,
                f"{err.explain()} Gave up after {attempts} tries; publish again when the server is back.",
                err.kind,
                uncertain=True if ambiguous else None,
                attempts=attempts,
            )
        retry_after = err.retry_after if isinstance(err, RateLimited) else None
        delay = outbox.retry_delay(attempts, retry_after, rng=rng)

        def change(d: Delivery) -> None:
            d.attempts = attempts
            d.status = "queued"
            d.error = err.explain()
            d.error_kind = err.kind
            d.next_try = now() + timedelta(seconds=delay)
            d.uncertain = d.uncertain or ambiguous

        return await write(account, change)

    async def send(account: str, client: PlatformClient) -> Delivery:
        fresh, d = await current_delivery(account)
        if d.status == "sent":
            await _notify(on_update, account, d)
            return d
        if d.status == "failed" and d.error_kind in ("needs-check", "edited"):
            await _notify(on_update, account, d)  # waits for the writer: `humane outbox reset`
            return d
        body = fresh.body
        options = PostOptions(
            visibility=client.account.visibility,
            language=client.account.language,
            content_warning=fresh.content_warning or None,
        )
        try:
            if parts_for is not None:
                parts = list(await parts_for(client, body))
            else:  # the options count where they take room (a Mastodon content warning)
                parts = list(client.split(body, await client.limits(), options))
        except PlatformError as err:
            attempts = d.attempts + 1  # nothing was sent: asking for the limits failed
            if isinstance(err, (TransientError, RateLimited)):
                return await wait(account, err, attempts, ambiguous=False)
            return await fail(account, err.explain(), err.kind, attempts=attempts)
        parts = [p for p in parts if p.strip()]
        if not parts:
            return await fail(account, "The draft is empty: there is nothing to publish.", "empty")
        digests = [digest(p) for p in parts]
        records = list(d.parts)
        if records and [r.digest for r in records] != digests:
            if d.sent_parts or d.uncertain:
                return await fail(account, _edited_message(draft.id, account, d), "edited")
            records = []  # nothing went out with the old keys: new text, new keys
        if not records:
            records = [PartRecord(key=client.new_part_key(), digest=dg) for dg in digests]
        attempts = d.attempts + 1

        def sending(dd: Delivery) -> None:
            dd.status = "sending"
            dd.parts = list(records)
            dd.attempts = attempts
            dd.error = None
            dd.error_kind = None
            dd.next_try = None

        await write(account, sending)  # the keys are on disk before the first request

        async def checkpoint(done: list[PartRecord]) -> None:
            snapshot = list(done)

            def progress(dd: Delivery) -> None:
                dd.parts = snapshot

            await write(account, progress)

        try:
            result = await client.publish(parts, records, options, checkpoint)
        except RateLimited as err:
            return await wait(account, err, attempts, ambiguous=False)
        except TransientError as err:
            return await wait(account, err, attempts, ambiguous=err.ambiguous)
        except NeedsCheck as err:
            return await fail(account, err.explain(), err.kind, uncertain=True)
        except PlatformError as err:
            return await fail(account, err.explain(), err.kind)
        except Exception as err:  # a bug in a client: the request may have gone out
            log.exception("publishing to %s failed unexpectedly", account)
            return await fail(
                account,
                f"Unexpected error while publishing ({type(err).__name__}); check {account}: if the post is "
                f"there, run `humane outbox mark-sent {draft.id} {account}`; if not, "
                f"`humane outbox reset {draft.id} {account}` and publish again.",
                "needs-check",
                uncertain=True,
            )
        final = list(result)

        def sent(dd: Delivery) -> None:
            dd.status = "sent"
            dd.parts = final
            dd.url = next((p.url for p in final if p.url), None)
            dd.error = None
            dd.error_kind = None
            dd.next_try = None
            dd.uncertain = False

        return await write(account, sent)

    names = list(targets)
    results = await asyncio.gather(*(one(name, targets[name]) for name in names))
    return dict(zip(names, results))


async def flush_outbox(
    store: DraftStore,
    open_client: Callable[[str], Awaitable[PlatformClient]],
    *,
    now: Callable[[], datetime] = _now,
    force: bool = False,
    on_update: Callable[[str, str, Delivery], "Awaitable[None] | None"] | None = None,
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

    def change(current: Draft) -> None:
        d = current.deliveries.get(account)
        if d is None:
            raise KeyError(account)
        if d.status == "sent":
            raise ValueError(f"{current.id} was already published to {account}; nothing to reset")
        current.deliveries[account] = Delivery(account=account, updated=_now())

    draft = store.load(draft_id)
    if account not in draft.deliveries:
        raise KeyError(f"draft {draft.id} has no publish state for {account!r}")
    return store.update(draft, change).deliveries[account]


def mark_sent(store: DraftStore, draft_id: str, account: str, url: str | None = None) -> Delivery:
    """Record that the writer found the post on `account` already published (after a needs-check or
    an uncertain failure): the delivery becomes sent, with `url` if they give it, and is never
    retried. Parts the server already confirmed keep their ids."""

    def change(current: Draft) -> None:
        d = current.deliveries.get(account)
        if d is None:
            raise KeyError(account)
        if d.status == "sent":
            raise ValueError(f"{current.id} is already marked as published to {account}")
        d.status = "sent"
        d.error = None
        d.error_kind = None
        d.next_try = None
        d.url = url or d.url or next((p.url for p in d.parts if p.url), None)
        d.updated = _now()

    draft = store.load(draft_id)
    if account not in draft.deliveries:
        raise KeyError(f"draft {draft.id} has no publish state for {account!r}")
    return store.update(draft, change).deliveries[account]
