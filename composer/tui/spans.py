"""Keeping the editor's marks in place while the text changes (`LineIndex`, offsets <-> (row,
column), lives in the core: `composer.lines`). Pure Python: no Textual here, so the arithmetic is
tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from composer.lines import LineIndex

__all__ = ["LineIndex", "Mark", "shift_marks"]


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to draw in the editor: character offsets plus what to draw it as."""

    start: int
    end: int
    kind: str
    ref: int = -1
    """Index of the finding it draws, in the analysis it came from."""


def shift_marks(
    marks: Iterable[Mark], start: int, old_end: int, new_end: int, text_end: int = -1
) -> list[Mark]:
    """Move marks to follow an edit that replaced old[start:old_end] with new[start:new_end].

    Marks before the edit stay, marks after it move by the change in length, and a mark the edit
    touches is dropped (the next analysis decides whether it still applies). `text_end` is the old
    text's length: a mark reaching it grows with text appended there."""
    delta = new_end - old_end
    kept: list[Mark] = []
    for m in marks:
        if m.end == start == old_end and m.end == text_end and m.end > m.start:
            # Typing at the very end of a mark that runs to the end of the text (the part over a
            # length limit): the new words belong to it too.
            kept.append(Mark(m.start, m.end + delta, m.kind, m.ref))
        elif m.end <= start:
            kept.append(m)
        elif m.start >= old_end:
            kept.append(Mark(m.start + delta, m.end + delta, m.kind, m.ref))
    return kept
