"""Publishing a draft to many accounts, concurrently and exactly once (`publish_draft`), and the
face's way in (`run_publish`: open each account's client, publish, give the clients back).

For each account (all at once, with asyncio.gather; `_Publish.send` tells the story):

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
import contextlib
import inspect
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from composer.drafts import outbox
from composer.drafts.model import ERROR_KINDS, Delivery, Draft, ErrorKind, ImageRef, split_ref
from composer.drafts.model import now as _now
from composer.drafts.store import DraftStore
from composer.media.plan import TooManyImages, place, split_with_marker
from composer.platforms.base import (
    Image,
    NeedsCheck,
    PartRecord,
    PlatformClient,
    PlatformError,
    PostOptions,
    RateLimited,
    Rejected,
    TransientError,
    digest,
)
from composer.words import explain

if TYPE_CHECKING:
    from composer.registry import Media

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
"""After this many tries that failed for passing reasons, the delivery fails and waits for the writer
(with the backoff, about four hours of trying while the app runs): a post should not go out days late."""

EMPTY = "The draft is empty: there is nothing to publish."

OnUpdate = Callable[[str, Delivery], "Awaitable[None] | None"]
PartsFor = Callable[[PlatformClient, str], Awaitable[list[str]]]
Change = Callable[[Delivery], None]


def _kind(err: PlatformError) -> ErrorKind:
    """The error's kind as a delivery records it: one of ERROR_KINDS (an unknown one is "error")."""
    kind = err.kind
    return cast("ErrorKind", kind) if kind in ERROR_KINDS else "error"



async def _notify(on_update: OnUpdate | None, account: str, delivery: Delivery) -> None:
    if on_update is None:
        return
    try:
        result = on_update(account, delivery)
        if inspect.isawaitable(result):
            await result
    except Exception:  # a broken progress callback must not stop a publish half-way
        log.exception("on_update callback failed for %s", account)


def post_options(draft: Draft, account: str, client: PlatformClient) -> PostOptions:
    """How `draft` goes out to `account`: its visibility and language, the content warning, and the
    reader's post it answers (when its `reply_to` names this account)."""
    ref = split_ref(draft.reply_to) if draft.reply_to else None
    return PostOptions(
        visibility=client.account.visibility,
        language=client.account.language,
        content_warning=draft.content_warning or None,
        reply_to=ref[1] if ref and ref[0] == account else None,
        title=draft.article_title or None,
        tags=tuple(draft.tags),
        published=draft.published,
    )


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


def _keys_for(
    d: Delivery, parts: Sequence[str], client: PlatformClient, images: Sequence[Sequence[Image]] = ()
) -> list[PartRecord] | None:
    """The part records to send `parts` (carrying `images`) with: the saved ones when they were made
    for this very text and these images (a retry sends the same keys), new ones when nothing went
    out with the old keys; None when the post changed after something may have gone out (sending
    it would mix or double the post)."""
    digests = [digest(p, images[i] if i < len(images) else ()) for i, p in enumerate(parts)]
    records = [] if d.status == "deleted" else list(d.parts)  # withdrawn: publishing again is a new post
    if records and [r.digest for r in records] != digests:
        if d.sent_parts or d.uncertain:
            return None
        records = []  # nothing went out with the old keys: new text, new keys
    return records or [PartRecord(key=client.new_part_key(), digest=dg) for dg in digests]


class _Publish:
    """One `publish_draft` call: the draft, where its state is written, and how each account's send
    goes. Every write is a read-modify-write of one delivery under the draft's lock, one at a time."""

    def __init__(
        self,
        store: DraftStore,
        draft: Draft,
        *,
        parts_for: PartsFor | None,
        on_update: OnUpdate | None,
        now: Callable[[], datetime],
        rng: random.Random | None,
    ) -> None:
        self.store = store
        self.draft = draft  # carries the path: a draft opened from anywhere is written back where it lives
        self.parts_for = parts_for
        self.on_update = on_update
        self.now = now
        self.rng = rng
        self.lock = asyncio.Lock()
        self.prepared: dict[tuple[object, ...], asyncio.Task[Image]] = {}
        """Images prepared in this publish, shared by the accounts whose platforms want the same."""
        self.pending: list[tuple[str, Change, asyncio.Future[Draft]]] = []
        """Changes waiting for the next write (see `write`)."""

    # -- the story of one account's send
    async def send(self, account: str, client: PlatformClient) -> Delivery:
        claim = self.store.claim(self.draft.id, account)
        if claim is None:  # someone else (another task, another process) is sending it right now
            return await self.report(account)
        try:
            fresh, d = await self.current(account)
            if d.status == "sent" or d.waits_for_writer:  # done, or waits for `humane outbox reset`
                return await self.report(account, d)
            options = post_options(fresh, account, client)
            attempts = d.attempts + 1
            try:
                parts = await self.split(client, fresh.body, options)
                parts, images = await self.images(client, fresh, parts)
            except PlatformError as err:  # asking for the limits failed, or an image: nothing was sent
                return await self.write(account, self.after(err, attempts, reached_server=False))
            if not parts:
                return await self.write(account, lambda x: x.fail("empty", EMPTY))
            records = _keys_for(d, parts, client, images)
            if records is None:
                message = _edited_message(self.draft.id, account, d)
                return await self.write(account, lambda x: x.fail("edited", message))
            await self.write(account, lambda x: x.sending(records, attempts))  # keys on disk first
            try:
                if any(images):
                    final = await client.publish(parts, records, options, self.checkpoint(account), images)
                else:  # (test doubles and older clients take no images)
                    final = await client.publish(parts, records, options, self.checkpoint(account))
            except Exception as err:
                return await self.write(account, self.after(err, attempts, reached_server=True))
            return await self.write(account, lambda x: x.sent(final))
        finally:
            claim.release()

    async def split(self, client: PlatformClient, body: str, options: PostOptions) -> list[str]:
        """The thread parts, blank ones dropped (the options count where they take room: a Mastodon
        content warning), an `[images]` line still in its part (see `images`). The body's trailing
        whitespace is the file's, not the writer's words: a draft file's final newline is not published."""
        body = body.rstrip()
        if self.parts_for is not None:
            parts = list(await self.parts_for(client, body))
        else:
            limits = await client.limits()
            parts = split_with_marker(body, lambda text: list(client.split(text, limits, options)))
        return [p for p in parts if p.strip()]

    async def images(
        self, client: PlatformClient, draft: Draft, parts: list[str]
    ) -> tuple[list[str], list[list[Image]]]:
        """The parts without the `[images]` line, and the images each carries, prepared for this
        client's platform (media/plan.py says which part gets which). Rejected when the platform
        takes none, or the thread cannot carry them all, or an image cannot be prepared."""
        if not draft.images:
            cleaned, _ = place(parts, 0, 1)
            return cleaned, [[] for _ in cleaned]
        media = await client.media_limits()
        if media is None:
            raise Rejected(f"{client.label} takes no images, and this post has {len(draft.images)}.",
                           hint=f"Remove the images, or leave {client.label} out of this post.")
        try:
            cleaned, slots = place(parts, len(draft.images), media.max_images, client.label)
        except TooManyImages as err:
            raise Rejected(str(err), hint="Remove some images, or write more and place the [images] line earlier.") from None
        ready = await asyncio.gather(*(self.prepare(ref, draft, media, client.label) for ref in draft.images))
        return cleaned, [[ready[j] for j in slot] for slot in slots]

    async def prepare(self, ref: ImageRef, draft: Draft, media: Media, label: str) -> Image:
        """One image as `media` takes it (in a worker thread; once per publish for each size)."""
        from composer.media.prepare import prepare

        key = (str(ref.resolve(draft.path)), ref.alt, media)
        task = self.prepared.get(key)
        if task is None:
            task = self.prepared[key] = asyncio.ensure_future(
                asyncio.to_thread(prepare, ref, draft.path, media, label=label)
            )
        return await asyncio.shield(task)

    def checkpoint(self, account: str) -> Callable[[list[PartRecord]], Awaitable[None]]:
        """Saves the records after every part, so a crash mid-thread forgets nothing."""

        async def save(done: list[PartRecord]) -> None:
            snapshot = list(done)
            await self.write(account, lambda x: x.progress(snapshot))

        return save

    def after(self, err: Exception, attempts: int, *, reached_server: bool) -> Change:
        """What a failed try does to the delivery: passing trouble waits in the outbox (until
        MAX_ATTEMPTS), the rest fails and waits for the writer."""
        if isinstance(err, (RateLimited, TransientError)):
            ambiguous = reached_server and isinstance(err, TransientError) and err.ambiguous
            if attempts >= MAX_ATTEMPTS:
                message = f"{err.explain()} Gave up after {attempts} tries; publish again when the server is back."
                return lambda x: x.fail(_kind(err), message, uncertain=True if ambiguous else None, attempts=attempts)
            retry_after = err.retry_after if isinstance(err, RateLimited) else None
            delay = outbox.retry_delay(attempts, retry_after, rng=self.rng)
            return lambda x: x.wait(
                _kind(err), err.explain(), self.now() + timedelta(seconds=delay), attempts, ambiguous=ambiguous
            )
        if isinstance(err, PlatformError):
            uncertain = True if reached_server and isinstance(err, NeedsCheck) else None
            return lambda x: x.fail(_kind(err), err.explain(), uncertain=uncertain, attempts=attempts)
        # A bug in a client: the request may have gone out.
        log.error("publishing failed unexpectedly", exc_info=err)
        draft_id = self.draft.id

        def unexpected(x: Delivery) -> None:
            x.fail(
                "needs-check",
                f"Unexpected error while publishing ({type(err).__name__}); check {x.account}: if the post is "
                f"there, run `humane outbox mark-sent {draft_id} {x.account}`; if not, "
                f"`humane outbox reset {draft_id} {x.account}` and publish again.",
                uncertain=True,
            )

        return unexpected

    # -- reading and writing the draft
    async def current(self, account: str) -> tuple[Draft, Delivery]:
        fresh = await asyncio.to_thread(self.store.load, self.draft.path or self.draft.id)
        return fresh, fresh.deliveries.get(account) or Delivery(account=account)

    async def report(self, account: str, delivery: Delivery | None = None) -> Delivery:
        """Tell `on_update` the delivery as it stands, without changing it."""
        if delivery is None:
            _, delivery = await self.current(account)
        await _notify(self.on_update, account, delivery)
        return delivery

    async def write(self, account: str, change: Change) -> Delivery:
        """Apply `change` to the account's delivery and write the draft (fsynced) before going on.
        Changes that other accounts' sends make meanwhile are written together, in the order
        they came, with one write of the file (group commit): each caller still goes on only
        once its own change is on disk, but five accounts no longer queue for fifteen fsyncs."""
        future: asyncio.Future[Draft] = asyncio.get_running_loop().create_future()
        self.pending.append((account, change, future))
        async with self.lock:
            if not future.done():
                batch, self.pending = self.pending, []

                def apply(current: Draft) -> None:
                    for name, one_change, _ in batch:
                        d = current.deliveries.get(name) or Delivery(account=name)
                        d = replace(d, parts=list(d.parts))
                        one_change(d)
                        d.updated = self.now()
                        current.deliveries[name] = d
                        if name not in current.accounts:
                            current.accounts.append(name)

                try:
                    fresh = await asyncio.to_thread(self.store.update, self.draft, apply)
                except Exception as err:
                    for _, _, waiting in batch:
                        if waiting is not future and not waiting.done():
                            waiting.set_exception(err)
                    raise
                except BaseException:  # this send was cancelled: the others' changes wait for the next write
                    self.pending[:0] = [entry for entry in batch if entry[2] is not future]
                    raise
                for _, _, waiting in batch:
                    waiting.set_result(fresh)
        fresh = await future
        return await self.report(account, fresh.deliveries[account])


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
    run = _Publish(store, draft, parts_for=parts_for, on_update=on_update, now=now, rng=rng)
    names = list(targets)
    results = await asyncio.gather(*(run.send(name, targets[name]) for name in names))
    return dict(zip(names, results))


@dataclass(frozen=True, slots=True)
class PublishRun:
    """What `run_publish` did: each account's delivery, or why its client could not be opened."""

    deliveries: dict[str, Delivery]
    problems: dict[str, str]
    """Accounts that were not tried (not in config, no secret, keyring unavailable), and why."""


async def run_publish(
    store: DraftStore,
    draft: Draft,
    accounts: Sequence[str],
    open_client: Callable[[str], Awaitable[PlatformClient]],
    *,
    release: Callable[[PlatformClient], Awaitable[None]] | None = None,
    on_update: OnUpdate | None = None,
    on_problem: Callable[[str, str], None] | None = None,
) -> PublishRun:
    """Publish `draft` (saved: the body published is the one in its file) to `accounts` after the
    gate said yes: open each account's client (all at once), say which could not be opened and why
    (`on_problem(account, why)`), publish to the rest (`publish_draft`), give the clients back
    (`release`). Raises what `publish_draft` raises (the draft unreadable or unwritable).
    Accounts the draft already went out to are left alone: no client is opened for them (so a
    locked keyring cannot turn a true "published" into an error), and their delivery is returned
    as it stands."""
    names = list(dict.fromkeys(accounts))
    already = {n: d for n in names if (d := draft.deliveries.get(n)) is not None and d.status == "sent"}
    names = [n for n in names if n not in already]
    opened = await asyncio.gather(*(open_client(n) for n in names), return_exceptions=True)
    clients: dict[str, PlatformClient] = {}
    problems: dict[str, str] = {}
    for name, result in zip(names, opened):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            problems[name] = explain(result)
            if on_problem is not None:
                on_problem(name, problems[name])
        else:
            clients[name] = result
    try:
        deliveries = {}
        if clients:
            ref = str(draft.path) if draft.path else draft.id
            deliveries = await publish_draft(store, ref, clients, on_update=on_update)
    finally:
        if release is not None:
            for client in clients.values():
                with contextlib.suppress(Exception):
                    await release(client)
    return PublishRun({**already, **deliveries}, problems)


