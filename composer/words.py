"""The writer's words for what the core knows: an error, a delivery, an account. No Textual here.

Both faces (`commands/` and `tui/`) say these things through the functions below, so a new kind of
error or a new delivery state is worded once. A face chooses its `Voice` (the composer marks states
with a sign and names its buttons; the command line names its commands).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from composer.drafts.model import Delivery


def explain(err: BaseException) -> str:
    """One line for any error, in the writer's words: a platform error's message and what to do
    (`PlatformError.explain()`), a keyring, config or account error's own sentence, else its text.
    It ends with a full stop, so that more can follow. Never holds a secret (errors do not)."""
    text = ""
    own = getattr(err, "explain", None)
    if callable(own):
        with contextlib.suppress(Exception):
            text = str(own())
    if not text:
        if isinstance(err, KeyError) and type(err).__str__ is KeyError.__str__ and err.args:
            text = str(err.args[0])  # KeyError's own str() is the repr of its key, quotes and all
        else:
            text = str(err)
    text = " ".join(text.split()) or type(err).__name__
    return text if text[-1] in ".!?)" else text + "."


def account_label(account: Any) -> str:
    """How to show an account: its name, with the handle (or the server's host) where known."""
    if account.handle:
        return f"{account.name} ({account.handle})"
    if account.server:
        host = account.server.split("://", 1)[-1].rstrip("/")
        return f"{account.name} ({host})"
    return account.name


# --------------------------------------------------------------------------- deliveries


@dataclass(frozen=True, slots=True)
class Voice:
    """How one face says a delivery's state: its word for each state, a sign before it or not, how
    it prints the time of the next try, and what the writer can do next there (per state)."""

    heads: Mapping[str, str]
    marks: bool = True
    clock: str = "%H:%M"
    steps: Mapping[str, str] = field(default_factory=dict)
    no_url: str = ""
    """What a sent delivery says when the server gave no address."""

    def but(self, **steps: str) -> Voice:
        """This voice, with other steps for some states (`queued=...`)."""
        merged = {**self.steps, **{k.replace("_", "-"): v for k, v in steps.items()}}
        return Voice(self.heads, self.marks, self.clock, merged, self.no_url)


MARKS = {"sent": "✓", "queued": "⏸", "needs-check": "?", "edited": "✖", "failed": "✖", "deleted": "⌫"}

REASONS = {
    "queued": "the server could not be reached",
    "needs-check": "the answer was lost, so the post may be there",
    "edited": "the text changed after part of it went out",
    "failed": "the server refused it",
    "deleted": "you withdrew it",
}
"""What a delivery says when it recorded no reason of its own."""

COMPOSER = Voice(
    heads={
        "sent": "published",
        "queued": "waits in the outbox",
        "needs-check": "not confirmed",
        "edited": "held back",
        "failed": "not published",
        "deleted": "withdrawn",
    },
    steps={
        "queued": "`humane outbox flush` sends it.",
        "needs-check": "Look at the account: if the post is there, Mark as sent; if not, Resend anyway.",
        "edited": (
            "Reset forgets what went out before, so Ctrl+J then sends the current text as a new post "
            "(a part already published stays up until you delete it)."
        ),
    },
)
"""The composer's publish panel: a sign, and the buttons the row offers."""

COMMAND_LINE = Voice(
    heads={
        "sent": "", "queued": "waits in the outbox", "needs-check": "failed", "edited": "failed", "failed": "failed",
        "deleted": "withdrawn",
    },
    marks=False,
    clock="%H:%M:%S",
    steps={"queued": "`humane outbox flush` (or the composer) retries it."},
    no_url="published (the server gave no address)",
)
"""`humane post`: the URL alone when sent (scripts read it), else the state and the reason."""


@dataclass(frozen=True, slots=True)
class DeliveryWords:
    state: str
    """sent, sending, queued, needs-check, edited or failed."""
    text: str


def delivery_state(delivery: Delivery) -> str:
    """The state a writer sees: the delivery's status, with a failure that waits for them
    (needs-check, edited) told apart from one that simply failed; a pending one is "sending"."""
    status = delivery.status
    if status == "failed" and delivery.error_kind in ("needs-check", "edited"):
        return str(delivery.error_kind)
    return "sending" if status == "pending" else status


def delivery_words(delivery: Delivery, voice: Voice = COMPOSER) -> DeliveryWords:
    """(state, words) for one account's publish state, in `voice`."""
    state = delivery_state(delivery)
    if state == "sending":
        if delivery.status == "pending":
            return DeliveryWords(state, "waiting…")
        total = len(delivery.parts)
        done = sum(1 for p in delivery.parts if p.id)
        return DeliveryWords(state, f"sending…{f' ({done}/{total} parts)' if total > 1 else ''}")
    head = voice.heads.get(state, state)
    if state == "sent":
        body = delivery.url or voice.no_url
    elif state == "deleted" and delivery.history:
        last = delivery.history[-1]
        body = f"deleted {last.at.astimezone().strftime('%Y-%m-%d ' + voice.clock)}" + (f" ({last.url})" if last.url else "")
    else:
        body = delivery.error or REASONS.get(state, "")
        if state == "queued" and delivery.next_try is not None:
            with contextlib.suppress(Exception):
                body += f" Next try after {delivery.next_try.astimezone().strftime(voice.clock)}."
    step = voice.steps.get(state, "")
    text = ": ".join(x for x in (head, body) if x) + (f" {step}" if step else "")
    if voice.marks and state in MARKS:
        text = f"{MARKS[state]} {text}"
    return DeliveryWords(state, text)
