"""The draft editor: a TextArea that draws the spans of current findings in place.

Decorations go through the public `get_line` hook (STYLE.md section 10): character offsets, styles
from component classes so every theme (dark or light) colours them. Between analyses the marks
follow the text (`shift_marks`), so a highlighted word stays highlighted while you type before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea

from composer.textdiff import changed_window
from composer.tui import textual_fixes
from composer.tui.spans import LineIndex, Mark, shift_marks

textual_fixes.apply()  # WrappedDocument.height in O(1): long drafts (see textual_fixes)

DRAWN_CATEGORIES = frozenset({"clickbait", "personal-info", "obscenity", "hate", "shouting", "length"})
"""Categories whose spans are drawn in the text. Purpose and readability concern the whole post:
painting every character would only shout, so they live in the sidebar alone."""


class DraftEditor(TextArea):
    """The post's body, with findings drawn in place."""

    COMPONENT_CLASSES = {
        "draft-editor--clickbait",
        "draft-editor--personal-info",
        "draft-editor--obscenity",
        "draft-editor--hate",
        "draft-editor--shouting",
        "draft-editor--length",
    }

    DEFAULT_CSS = """
    DraftEditor > .draft-editor--clickbait { text-style: underline; color: $text-warning; }
    DraftEditor > .draft-editor--shouting { text-style: underline; color: $text-warning; }
    DraftEditor > .draft-editor--personal-info { background: $warning 25%; text-style: underline; }
    DraftEditor > .draft-editor--obscenity { text-style: underline; color: $text-error; }
    DraftEditor > .draft-editor--hate { background: $error 30%; text-style: bold underline; }
    DraftEditor > .draft-editor--length { background: $error 12%; color: $text-muted; }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        self._marks: list[Mark] = []
        self._marks_text = text
        self._by_row: dict[int, list[tuple[int, int, str]]] = {}
        self._styles: dict[str, Style] = {}
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)

    # -- decorations
    @property
    def marks(self) -> list[Mark]:
        """The spans drawn now, as character offsets into the current text."""
        return list(self._marks)

    def set_marks(self, marks: Iterable[Mark], text: str) -> None:
        """Draw `marks`, which are offsets into `text` (the text that was analysed). If the
        document has changed since, they are moved to follow the change first."""
        marks = [m for m in marks if m.kind in DRAWN_CATEGORIES and m.end > m.start]
        current = self.text
        if text != current:
            marks = shift_marks(marks, *changed_window(text, current), len(text))
        self._marks = marks
        self._marks_text = current
        self._regroup(current)

    def _regroup(self, text: str) -> None:
        index = LineIndex(text, self.document.newline)
        by_row: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for m in self._marks:
            for row, a, b in index.segments(m.start, m.end):
                by_row[row].append((a, b, m.kind))
        self._by_row = dict(by_row)
        self._line_cache.clear()
        self.refresh()

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Runs before the message bubbles to the screen: keep the marks on their words.
        if not self._marks:
            self._marks_text = self.text
            return
        current = self.text
        old = self._marks_text
        start, old_end, new_end = changed_window(old, current)
        before = self._marks
        self._marks = shift_marks(before, start, old_end, new_end, len(old))
        self._marks_text = current
        if not self._regroup_row(before, old, current, start, old_end, new_end):
            self._regroup(current)

    def _regroup_row(self, before: list[Mark], old: str, text: str, start: int, old_end: int, new_end: int) -> bool:
        """After an edit inside one line (no line break typed or deleted), only that line's
        segments change: redo them alone instead of every mark's (a long draft has thousands).
        False when the edit is not of that kind."""
        newline = self.document.newline
        if newline != "\n" or "\n" in old[start:old_end] or "\n" in text[start:new_end]:
            return False
        row_start = text.rfind("\n", 0, start) + 1
        row_end = text.find("\n", start)
        if row_end < 0:
            row_end = len(text)
        old_row_end = row_end - (new_end - old_end)
        n_old = len(old)
        for m in before:  # a mark the edit removed (see shift_marks) must not have reached other lines
            grows = m.end == start == old_end == n_old and m.end > m.start
            if not (grows or m.end <= start or m.start >= old_end) and (m.start < row_start or m.end > old_row_end):
                return False
        row = text.count("\n", 0, row_start)
        segments = []
        for m in self._marks:
            if m.start <= row_end and m.end > row_start:
                a = max(m.start, row_start) - row_start
                b = min(m.end, row_end) - row_start
                if b > a:
                    segments.append((a, b, m.kind))
        if segments:
            self._by_row[row] = segments
        else:
            self._by_row.pop(row, None)
        self._line_cache.clear()
        self.refresh()
        return True

    def notify_style_update(self) -> None:
        self._styles = {}
        super().notify_style_update()

    def _style(self, kind: str) -> Style:
        style = self._styles.get(kind)
        if style is None:
            style = self.get_component_rich_style(f"draft-editor--{kind}", partial=True)
            self._styles[kind] = style
        return style

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for start, end, kind in self._by_row.get(line_index, ()):
            line.stylize(self._style(kind), start, end)
        return line

    # -- cursor <-> offsets
    def offset_of(self, location: tuple[int, int]) -> int:
        """The character offset of a (row, column), as `LineIndex(text).offset` gives it, summed
        from the document's lines (without joining a long draft into one string first)."""
        lines = self.document.lines
        row, column = location
        row = max(0, min(row, len(lines) - 1))
        return sum(map(len, lines[:row])) + row * len(self.document.newline) + max(0, min(column, len(lines[row])))

    def select_span(self, start: int, end: int) -> None:
        """Select text[start:end] and scroll it into view (choosing a finding does this)."""
        index = LineIndex(self.text, self.document.newline)
        from textual.widgets.text_area import Selection

        self.selection = Selection(index.location(start), index.location(end))
        self.scroll_cursor_visible(center=True)
