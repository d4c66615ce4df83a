"""Messages that cross the app (widget-local ones are nested in their widgets, STYLE.md section 2)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class AnalysisShown(Message):
    """The sidebar and the editor now show the analysis of text revision `revision`."""

    revision: int
    seconds: float
    """How long the checks took."""


@dataclass
class DeliveryUpdated(Message):
    """Publishing to `account` moved on (posted from the publish worker's callback)."""

    account: str
    status: str
    """sending, sent, queued, failed."""
    text: str
    """What to show: the URL, or what went wrong and what to do."""


@dataclass
class Saved(Message):
    """The autosaver wrote the draft (or failed to: `error` says why, in plain words)."""

    draft_id: str
    error: str = ""
    conflict: str = ""
    """Where another writer's text found in the file was kept, in words ("" if none was)."""
