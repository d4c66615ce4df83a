"""Withdrawing and correcting what a draft published, with a record of every step in the draft.

- `withdraw`: delete every published part of the post on each chosen account (a thread from its
  last part back to its first), then mark the delivery `deleted` with a `Correction` in its
  history. A part already gone counts as deleted. If a part cannot be deleted, the delivery stays
  published and the history says which parts went; running it again finishes the job.
- `correct`: re-publish the draft's edited text. Where the platform edits in place
  (`capabilities.edit`: Mastodon, LinkedIn, Micropub), each changed part is edited: the ids and the
  replies stay; a thread (Mastodon) that got longer gets its new parts as replies to its last one,
  one that got shorter loses its last parts. Elsewhere (Bluesky and Threads have no edit) nothing
  happens unless the writer asks for `repost`: then the old post is deleted (recorded) and the
  corrected text published as a new one; the replies stay with the old post, which is gone, and
  the writer is told so before.

Both run the account's client inside `speaking()` (secrets scrubbed) and never raise a platform
error: each account gets an `Outcome` in words.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from composer import registry
from composer.drafts.model import Correction, Delivery, Draft, now
from composer.media.plan import TooManyImages, place, split_with_marker
from composer.media.prepare import fingerprint
from composer.platforms.base import Image, PartRecord, PlatformClient, PlatformError, PostOptions, digest, part_name
from composer.publish import post_options, publish_draft
from composer.words import explain

if TYPE_CHECKING:
    from composer.drafts import DraftStore

Opener = Callable[[str], Awaitable[PlatformClient]]
Release = Callable[[PlatformClient], Awaitable[None]]

DETACHED = "its replies will be detached: they stay with the deleted post and do not follow the new one"


@dataclass(frozen=True, slots=True)
class Outcome:
    account: str
    ok: bool
    message: str
    """One line: what was done, or why not and what to do."""
    delivery: Delivery | None = None


def published(draft: Draft, accounts: Sequence[str] | None = None) -> list[str]:
    """The accounts (of `accounts`, or all) where `draft` has published parts still up."""
    out = []
    for name, d in draft.deliveries.items():
        if accounts and name not in accounts:
            continue
        if d.status != "deleted" and any(p.id for p in d.parts):
            out.append(name)
    return out


def _what(d: Delivery) -> str:
    sent = [p for p in d.parts if p.id]
    where = d.url or next((p.url for p in sent if p.url), None) or (sent[0].id if sent else "")
    if len(sent) > 1:
        return f"a thread of {len(sent)} parts, {where}"
    return f"the post {where}"


def withdrawal_plan(draft: Draft, accounts: Sequence[str]) -> list[str]:
    """One line per account: what will be deleted where (for the confirmation)."""
    return [f"{name}: {_what(draft.deliveries[name])}" for name in accounts]


async def _open(open_client: Opener, name: str) -> tuple[PlatformClient | None, str]:
    try:
        return await open_client(name), ""
    except Exception as err:  # noqa: BLE001 (one line for the writer)
        return None, explain(err)


async def _delete_parts(client: PlatformClient, d: Delivery) -> tuple[list[str], PlatformError | None]:
    """Delete the sent parts, the last first; (ids deleted, the error that stopped it)."""
    done: list[str] = []
    sent = [p for p in d.parts if p.id]
    with client.speaking():
        for i, part in reversed(list(enumerate(d.parts))):
            if not part.id:
                continue
            try:
                await client.delete_post(part)
            except PlatformError as err:
                err.message = f"{part_name(i, len(d.parts)) if len(sent) > 1 else 'The post'} was not deleted: {err.message}"
                return done, err
            done.append(part.id)
    return done, None


DELETING = "deleting"
"""A history entry written before a deletion starts, replaced by its outcome when it ends: a crash
in between leaves it, so no deletion happens without a record."""


def _settled(d: Delivery) -> None:
    """The deletion that began is over: its `deleting` entry gives way to what happened."""
    d.history[:] = [c for c in d.history if c.action != DELETING]


def _edited(parts: list[PartRecord], note: str, d: Delivery) -> None:
    d.edited(parts, note=note)


async def _record(store: DraftStore, draft: Draft, account: str, change: Callable[[Delivery], None]) -> Delivery:
    def apply(current: Draft) -> None:
        d = current.deliveries.get(account) or Delivery(account=account)
        change(d)
        current.deliveries[account] = d

    fresh = await asyncio.to_thread(store.update, draft, apply)
    return fresh.deliveries[account]


async def _withdraw_one(store: DraftStore, draft: Draft, name: str, client: PlatformClient, note: str) -> Outcome:
    d = draft.deliveries[name]
    if not client.entry.capabilities.delete:
        return Outcome(name, False, f"{client.label} posts cannot be deleted from Humane Composer: delete "
                       f"{_what(d)} on {client.label} itself. Nothing was changed.")
    started = now()
    ids = [p.id for p in d.parts if p.id]
    await _record(store, draft, name, lambda x: x.history.append(  # the record comes first
        Correction(DELETING, started, ids, x.url, "a deletion began here; if this line stays, it was interrupted: "
                   "run the delete again")))
    done, error = await _delete_parts(client, d)
    if error is None:
        def finished(x: Delivery) -> None:
            _settled(x)
            x.deleted(note=note)

        delivery = await _record(store, draft, name, finished)
        n = len(done)
        return Outcome(name, True, f"deleted {_what(d)}" + (f" ({n} parts)" if n > 1 else ""), delivery)
    why = error.explain()
    if done:
        stamp = now()
        def stopped(x: Delivery) -> None:
            _settled(x)
            x.history.append(Correction("deleted", stamp, list(done), x.url, f"stopped after {len(done)} part(s): {why}"))

        delivery = await _record(store, draft, name, stopped)
        return Outcome(name, False, f"{why} {len(done)} part(s) were deleted; run the delete again to finish.",
                       delivery)
    await _record(store, draft, name, _settled)
    return Outcome(name, False, f"{why} Nothing was deleted.")


async def withdraw(
    store: DraftStore,
    draft: Draft,
    accounts: Sequence[str],
    open_client: Opener,
    *,
    release: Release | None = None,
) -> list[Outcome]:
    """Delete what `draft` published on each of `accounts` (all at once), and record it."""

    async def one(name: str) -> Outcome:
        client, problem = await _open(open_client, name)
        if client is None:
            return Outcome(name, False, f"{problem} Nothing was deleted.")
        try:
            return await _withdraw_one(store, draft, name, client, "withdrawn by the writer")
        finally:
            if release is not None:
                with contextlib.suppress(Exception):
                    await release(client)

    return list(await asyncio.gather(*(one(n) for n in accounts)))


def can_edit(platform: str) -> bool:
    entry = registry.find(platform)
    return entry is not None and entry.capabilities.edit


async def _parts_of(draft: Draft, client: PlatformClient, options: PostOptions) -> tuple[list[str], list[set[str]]]:
    """The corrected text's parts as publishing makes them (the `[images]` line taken out), and for
    each part the digests its record holds when that part already says this: of its text alone (as
    an edit leaves it) and of its text with the images it carries (as publishing left it)."""
    limits = await client.limits()
    marked = split_with_marker(draft.body, lambda text: list(client.split(text, limits, options)))
    cleaned, slots = place(marked, 0, 1)
    if draft.images:
        media = await client.media_limits()
        if media is not None:
            with contextlib.suppress(TooManyImages):
                cleaned, slots = place(marked, len(draft.images), media.max_images)
    unchanged = []
    for text, slot in zip(cleaned, slots, strict=True):
        known = {digest(text)}
        try:
            carried = [Image(data=b"", mime="", width=0, height=0, alt=draft.images[j].alt.strip(),
                             name=draft.images[j].name, source=fingerprint(draft.images[j].resolve(draft.path)))
                       for j in slot]
        except OSError:  # the file is gone: its part cannot be the same
            carried = []
        if carried:
            known.add(digest(text, carried))
        unchanged.append(known)
    kept = [i for i, text in enumerate(cleaned) if text.strip()]
    return [cleaned[i] for i in kept], [unchanged[i] for i in kept]


async def _correct_one(
    store: DraftStore, draft: Draft, name: str, client: PlatformClient, repost: bool
) -> Outcome:
    d = draft.deliveries[name]
    if d.status != "sent":
        return Outcome(name, False, f"the post is not (completely) published on {name}; publish it first.")
    options = post_options(draft, name, client)
    try:
        with client.speaking():
            parts, unchanged = await _parts_of(draft, client, options)
    except PlatformError as err:
        return Outcome(name, False, f"{err.explain()} Nothing was changed.")
    if len(parts) == len(d.parts) and all(r.digest in u for r, u in zip(d.parts, unchanged, strict=True)):
        return Outcome(name, True, f"unchanged: {_what(d)} already says this.", d)
    caps = client.entry.capabilities
    fits = len(parts) == len(d.parts) or (caps.threads and caps.delete and d.sent_parts == len(d.parts))
    if caps.edit and fits:
        return await _edit_in_place(store, draft, name, client, parts, options, unchanged)
    why = (f"{client.label} has no edit" if not caps.edit
           else f"the corrected text makes {len(parts)} parts where the post has {len(d.parts)}, and {client.label} "
           "cannot add or remove parts of it")
    if not repost:
        return Outcome(name, False, f"{why}. To replace it, delete it and publish the correction as a new post "
                       f"(`humane edit {draft.id} --account {name} --repost`); {DETACHED}. Nothing was changed.")
    if not caps.delete:
        return Outcome(name, False, f"{why}, and its posts cannot be deleted from Humane Composer. Nothing was changed.")
    gone = await _withdraw_one(store, draft, name, client, f"deleted to publish the correction as a new post; {DETACHED}")
    if not gone.ok:
        return gone
    results = await publish_draft(store, str(draft.path) if draft.path else draft.id, {name: client})
    after = results[name]
    if after.status == "sent":
        return Outcome(name, True, f"deleted the old post and published the correction: {after.url}", after)
    return Outcome(name, False, f"the old post was deleted, but the correction was not published: "
                   f"{after.error or after.status}. `humane post {draft.id} --to {name}` tries again.", after)


async def _edit_in_place(
    store: DraftStore, draft: Draft, name: str, client: PlatformClient, parts: list[str], options: PostOptions,
    unchanged: Sequence[set[str]],
) -> Outcome:
    """Edit each changed part; a thread that got longer gets its new parts as replies to its last
    one, one that got shorter loses its last parts (deleted, the last first). Every step recorded."""
    d = draft.deliveries[name]
    new = list(d.parts)
    keep = min(len(parts), len(new))
    changed = 0
    with client.speaking():
        for i in range(keep):
            if new[i].digest in unchanged[i]:
                continue
            try:
                new[i] = await client.edit_post(new[i], parts[i], options)
            except PlatformError as err:
                why = err.explain()
                if changed:
                    await _record(store, draft, name, partial(_edited, list(new), f"stopped after {changed} part(s): {why}"))
                return Outcome(name, False, f"{part_name(i, len(parts))} was not edited: {why}")
            changed += 1
        notes = [f"{changed} of {keep} part(s) edited in place" if len(parts) > 1 or len(new) > 1 else "edited in place"]
        if len(parts) < len(new):  # shorter: the parts it no longer has go, the last first
            extra = new[keep:]
            for i in reversed(range(len(extra))):
                try:
                    await client.delete_post(extra[i])
                except PlatformError as err:
                    kept = new[: keep + i + 1]
                    await _record(store, draft, name, partial(_edited, kept, f"{notes[0]}; stopped removing parts: "
                                                              f"{err.explain()}"))
                    return Outcome(name, False, f"the thread was edited, but part {keep + i + 1} was not deleted: "
                                   f"{err.explain()} Run the edit again to finish.")
            new = new[:keep]
            notes.append(f"{len(extra)} part(s) it no longer has deleted")
        elif len(parts) > len(new):  # longer: the new parts answer its last part
            prefix = list(new)
            fresh = [PartRecord(key=client.new_part_key(), digest=digest(p)) for p in parts[keep:]]

            async def checkpoint(done: list[PartRecord]) -> None:  # every part sent is recorded at once
                await _record(store, draft, name, partial(_parts, prefix + list(done)))

            try:
                sent = await client.publish(parts[keep:], fresh, replace(options, reply_to=str(prefix[-1].id)), checkpoint)
            except PlatformError as err:
                return Outcome(name, False, f"the thread was edited, but its new parts were not all published: "
                               f"{err.explain()}")
            new = prefix + list(sent)
            notes.append(f"{len(sent)} new part(s) added")
    note = "; ".join(notes)
    delivery = await _record(store, draft, name, partial(_edited, new, note))
    return Outcome(name, True, f"{note}: {_what(delivery)}", delivery)


def _parts(parts: list[PartRecord], d: Delivery) -> None:
    d.parts = list(parts)


async def correct(
    store: DraftStore,
    draft: Draft,
    accounts: Sequence[str],
    open_client: Opener,
    *,
    repost: bool = False,
    release: Release | None = None,
) -> list[Outcome]:
    """Publish `draft`'s current text over what it published on `accounts` (after the gate said the
    text may go out): edited in place where the platform can, else (with `repost`) deleted and
    published again."""

    async def one(name: str) -> Outcome:
        client, problem = await _open(open_client, name)
        if client is None:
            return Outcome(name, False, f"{problem} Nothing was changed.")
        try:
            return await _correct_one(store, draft, name, client, repost)
        finally:
            if release is not None:
                with contextlib.suppress(Exception):
                    await release(client)

    return list(await asyncio.gather(*(one(n) for n in accounts)))
