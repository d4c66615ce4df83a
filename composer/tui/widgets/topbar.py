"""The bar at the top of the composer: the app's name, the draft's title, and the quiet "saved".

One widget drawing three fields (instead of a row of three labels): less to style, mount and lay
out before the first frame, and a change of title or of the saved state only repaints one line.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.widget import Widget

APP_NAME_WIDTH = 17
SAVED_WIDTH = 40


class TopBar(Widget):
    """'Humane Composer  <draft title>  <saved>' on one line."""

    DEFAULT_CSS = """
    TopBar {
        height: 1;
        background: $panel;
        color: $text-muted;  /* the draft's title and "saved": quiet */
        padding: 0 1;
    }
    """

    def __init__(self, title: str = "New draft", **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = title
        self._saved = ""
        self._error = False

    @property
    def title(self) -> str:
        return self._title

    @property
    def saved(self) -> str:
        """What the saved indicator says now ('saved', 'not saved: …', or nothing)."""
        return self._saved

    @property
    def saved_error(self) -> bool:
        return self._error

    def set_title(self, title: str) -> None:
        if title != self._title:
            self._title = title
            self.refresh()

    def set_saved(self, text: str, error: bool = False) -> None:
        if (text, error) != (self._saved, self._error):
            self._saved, self._error = text, error
            self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        middle = max(0, width - APP_NAME_WIDTH - SAVED_WIDTH)
        saved = _fit(self._saved, SAVED_WIDTH)
        return Content.assemble(
            (set_cell_size("Humane Composer", APP_NAME_WIDTH), "bold $text-primary"),
            (set_cell_size(_fit(self._title, middle), middle), ""),
            (" " * (SAVED_WIDTH - cell_len(saved)) + saved, "bold $text-error" if self._error else ""),
        )


def _fit(text: str, width: int) -> str:
    """`text` in at most `width` cells, with an ellipsis where it was cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""
