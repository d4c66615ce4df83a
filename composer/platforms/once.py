"""Sending a part where the platform can neither take an idempotency key nor be asked afterwards
whether a message arrived (Discord and Slack webhooks, a Telegram bot, a Slack bot without the
history scope): the Micropub rule, shared.

Before the request goes out, the part's record is stamped (`extra["tried_at"]`) and checkpointed.
When the request fails in a way that may have reached the server (a dropped answer, a timeout, a
5xx, an answer that cannot be read), the stamp stays, and the next try does NOT send again: it
raises NeedsCheck, and the writer looks at the channel, then marks the post as sent or resets it.
A failure that certainly posted nothing (could not connect, a 4xx, a 429, a refused address)
removes the stamp, so a retry sends.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .errors import NeedsCheck, PlatformError, TransientError
from .records import PartRecord
from .sending import Sending


def unclear(part: Sending, where: str) -> NeedsCheck:
    """The error of a retry after a try whose outcome is unknown."""
    tried = part.record.tried_at
    earlier = (
        f" (a reset sends the whole post again: delete its first {part.i} message{'s' if part.i > 1 else ''} "
        "there first)" if part.i else ""
    )
    return NeedsCheck(
        f"{part.name} may already be in {where} (an earlier try at {tried} lost its answer); "
        "Humane Composer does not send it again by itself.",
        hint=f"Look at {where}: if the message is there, mark the post as sent; if not, reset it{earlier} "
        "and publish again.",
    )


async def send_once(
    part: Sending,
    where: str,
    post: Callable[[PartRecord], Awaitable[PartRecord]],
    *,
    look_up: Callable[[PartRecord], Awaitable[PartRecord | None]] | None = None,
) -> PartRecord:
    """Send `part` with `post(record)` (which returns the record done), never twice.

    A part stamped by an earlier try is looked up with `look_up` where the platform allows it (its
    record done if found; None: not there, so it is sent); without `look_up` it raises NeedsCheck.
    `where` names the place for the writer ("the channel #news")."""
    record = part.record
    if record.tried_at:
        if look_up is None:
            raise unclear(part, where)
        found = await look_up(record)
        if found is not None:
            return found.unstamped()
    record = await part.save(record.stamped())
    try:
        done = await post(record)
    except TransientError as err:
        if not err.ambiguous:  # it never left, or the server said it did nothing
            await part.save(record.unstamped())
        raise
    except PlatformError:  # auth, rate limit, refused: a definite answer, nothing was posted
        await part.save(record.unstamped())
        raise
    return done.unstamped()
