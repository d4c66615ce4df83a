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
from composer.tui.spans import LineIndex, Mark, shift_marks

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
        self._marks = shift_marks(self._marks, *changed_window(self._marks_text, current), len(self._marks_text))
        self._marks_text = current
        self._regroup(current)

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
        return LineIndex(self.text, self.document.newline).offset(location)

    def select_span(self, start: int, end: int) -> None:
        """Select text[start:end] and scroll it into view (choosing a finding does this)."""
        index = LineIndex(self.text, self.document.newline)
        from textual.widgets.text_area import Selection

        self.selection = Selection(index.location(start), index.location(end))
        self.scroll_cursor_visible(center=True)
