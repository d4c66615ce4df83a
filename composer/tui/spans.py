"""Character offsets <-> TextArea locations, and keeping spans in place while the text changes.

Findings carry character offsets into the analysed text; the TextArea works in (row, column) and
keeps the text's own newline style ("\\n", "\\r\\n" or "\\r"). Pure Python: no Textual here, so the
arithmetic is tested directly.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Iterator


class LineIndex:
    """Where each line of `text` starts, for one newline style."""

    __slots__ = ("starts", "lengths", "length")

    def __init__(self, text: str, newline: str = "\n") -> None:
        lines = text.split(newline)
        step = len(newline)
        starts: list[int] = []
        lengths: list[int] = []
        pos = 0
        for line in lines:
            starts.append(pos)
            lengths.append(len(line))
            pos += len(line) + step
        self.starts = starts
        self.lengths = lengths
        self.length = len(text)

    def location(self, offset: int) -> tuple[int, int]:
        """The (row, column) of a character offset (clamped into the text)."""
        offset = max(0, min(offset, self.length))
        row = bisect_right(self.starts, offset) - 1
        return row, min(offset - self.starts[row], self.lengths[row])

    def offset(self, location: tuple[int, int]) -> int:
        row, column = location
        row = max(0, min(row, len(self.starts) - 1))
        return self.starts[row] + max(0, min(column, self.lengths[row]))

    def segments(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """(row, start column, end column) for each line the span [start, end) touches."""
        if end <= start:
            return
        first, c0 = self.location(start)
        last, c1 = self.location(end)
        for row in range(first, last + 1):
            a = c0 if row == first else 0
            b = c1 if row == last else self.lengths[row]
            if b > a:
                yield row, a, b




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
