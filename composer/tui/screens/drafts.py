"""F2 / Ctrl+O: the drafts, newest first: open one, start a new one, delete (with undo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from composer.tui.screens.base import TableScreen

if TYPE_CHECKING:
    from textual.app import ComposeResult

NEW = "\x00new"
"""What the screen dismisses with when the writer asks for a new draft."""


class DraftsScreen(TableScreen[str | None]):
    """Dismisses with a draft id to open, `NEW` for a new draft, or None to go back."""

    DEFAULT_CSS = """
        #drafts-problems {
            color: $text-error;
            margin-bottom: 1;
        }
    """

    HEADING = "Drafts"
    BODY_ID = "drafts-body"

    BINDINGS = [
        Binding("escape", "back", "Back", id="drafts-back"),
        # priority: the table's own Enter (hidden) would otherwise keep "enter Open" out of the footer
        Binding("enter", "open", "Open", id="drafts-open", show=True, priority=True),
        Binding("n", "new", "New draft", id="drafts-new"),
        Binding("d,delete", "delete", "Delete", id="drafts-delete"),
        Binding("u", "undo_delete", "Undo delete", id="drafts-undo", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="drafts")
        self._deleted: list[str] = []
        """Ids moved to the trash from this screen, most recent last (u restores)."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="drafts-problems", classes="hidden")
        yield self.table()
        yield Static(
            "Enter opens a draft, n starts a new one, d moves one to the trash (u brings it back). "
            "Drafts are plain files: `humane drafts path` shows where.",
            id="drafts-help",
            classes="screen-help",
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Title", "Words", "Purpose", "Status", "Updated")
        self.reload()
        table.focus()

    def reload(self, select: str | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        try:
            drafts = self.composer.store.list()
        except OSError as err:
            self._problems(f"The drafts folder cannot be read: {err.strerror or err}")
            return
        current = self.composer.draft.id if self.composer.draft else None
        # Narrow terminals keep every column: the title and the purpose give way first.
        narrow = self.app.size.width < 110
        title_max, purpose_max = (24, 14) if narrow else (40, 24)
        when = "%m-%d %H:%M" if narrow else "%Y-%m-%d %H:%M"
        for d in drafts:
            title = d.title or "(empty)"
            if len(title) > title_max:
                title = title[: title_max - 1] + "…"
            if d.id == current:
                title = "▸ " + title
            purpose = d.purpose.strip()
            if len(purpose) > purpose_max:
                purpose = purpose[: purpose_max - 1] + "…"
            table.add_row(
                Text(title),
                str(d.words),
                Text(purpose or "—", style="" if purpose else "dim"),
                d.status,
                d.updated.astimezone().strftime(when),
                key=d.id,
            )
        errors = getattr(drafts, "errors", [])
        if errors:
            lines = [f"{len(errors)} file{'s' if len(errors) != 1 else ''} could not be read (left untouched):"]
            lines += [f"  {e}" for e in errors[:5]]
            self._problems("\n".join(lines))
        else:
            self._problems("")
        if not drafts:
            table.add_row(Text("No drafts yet: press n to start one.", style="dim"), "", "", "", "", key=NEW)
        if select is not None:
            try:
                table.move_cursor(row=table.get_row_index(select))
            except Exception:
                pass

    def _problems(self, text: str) -> None:
        box = self.query_one("#drafts-problems", Static)
        box.update(Text(text))
        box.set_class(not text, "hidden")

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(str(event.row_key.value))

    def action_open(self) -> None:
        draft_id = self.selected_key()
        if draft_id is not None:
            self.dismiss(draft_id)

    def action_new(self) -> None:
        self.dismiss(NEW)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_delete(self) -> None:
        draft_id = self.selected_key()
        if draft_id is None or draft_id == NEW:
            return
        try:
            self.composer.delete_draft(draft_id)
        except Exception as err:
            self.notify(f"Could not delete it: {err}", title="Drafts", severity="error")
            return
        self._deleted.append(draft_id)
        self.reload()
        self.notify("Moved to the trash. Press u to undo.", title="Draft deleted")

    def action_undo_delete(self) -> None:
        if not self._deleted:
            self.notify("Nothing to undo.", title="Drafts")
            return
        draft_id = self._deleted.pop()
        try:
            self.composer.store.restore(draft_id)
        except Exception as err:
            self.notify(f"Could not restore it: {err}", title="Drafts", severity="error")
            return
        self.reload(select=draft_id)
        self.notify("Draft restored.", title="Drafts")
