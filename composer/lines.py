"""Where a character offset is in a text: (row, column) for the editor, line:col for the writer.

Findings carry character offsets into the text they were found in; the editor works in 0-based
(row, column) and keeps the text's own newline style ("\\n", "\\r\\n" or "\\r"); `humane check`
and `humane post` print 1-based `line:col` positions in the draft file. One index serves all three.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator


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

    def line_col(self, offset: int, first_line: int = 1) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset, as `path:line:col` prints it;
        `first_line` is the file line where the text starts (a draft's body follows its front matter)."""
        row, column = self.location(offset)
        return first_line + row, column + 1
