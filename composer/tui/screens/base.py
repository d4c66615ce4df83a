"""The shape the composer's full screens share (drafts, accounts, adding an account, replies): a
titled body over the footer, the app reached as a `Host`; list screens add a table with a row per
thing, whose highlighted row's key they read. Their look is `.screen-body`, `.screen-table` and
`.screen-help` in composer.tcss."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.containers import Vertical
from textual.screen import Screen, ScreenResultType
from textual.widgets import DataTable, Footer, Label

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import Widget

    from composer.tui.host import Host

FOOTER_COMPACT_BELOW = 100
"""Below this many columns the footer is compact: every key hint fits at 80 columns."""


class ComposerScreen(Screen[ScreenResultType]):
    """A titled body (`compose_body` fills it) over the footer."""

    HEADING: ClassVar[str] = ""
    """The screen's title, at the top of its body."""
    BODY_ID: ClassVar[str] = ""
    BODY: ClassVar[type[Widget]] = Vertical
    """The body's container (a VerticalScroll for a form taller than the terminal)."""
    COMPACT_FOOTER: ClassVar[bool] = True
    """The footer turns compact below FOOTER_COMPACT_BELOW columns."""

    @property
    def composer(self) -> Host:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with self.BODY(id=self.BODY_ID, classes="screen-body"):
            yield Label(self.HEADING, classes="screen-title")
            yield from self.compose_body()
        yield Footer(compact=self.COMPACT_FOOTER and self.app.size.width < FOOTER_COMPACT_BELOW)

    def compose_body(self) -> ComposeResult:
        """What the body holds under its title."""
        yield from ()


class TableScreen(ComposerScreen[ScreenResultType]):
    """A list screen (drafts, accounts): `compose_body` yields `table()` among its parts."""

    RETURN_ON_TYPING = True
    """A typed key that is not one of this screen's own goes back to the text (composer/tui/keys.py)."""

    def table(self) -> DataTable:
        """The list's table, with the id `<screen id>-table` (made in `compose_body`)."""
        return DataTable(id=f"{self.id}-table", classes="screen-table", cursor_type="row", zebra_stripes=True)

    def selected_key(self) -> str | None:
        """The key of the highlighted row; None for an empty list."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)
