"""Small dialogs: offering back a draft left open when the app stopped unexpectedly; a draft open
in another composer; a yes-or-no question before something that cannot be taken back."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class RecoverModal(ModalScreen[bool]):
    """'This draft was open when the composer stopped: open it again?' Dismisses True to open it."""

    RETURN_ON_TYPING = True
    """A typed key that is not one of this screen's own goes back to the text (composer/tui/keys.py)."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Not now", id="recover-no"),
        Binding("enter,y,o", "answer(True)", "Open it", id="recover-yes", show=False),
    ]

    AUTO_FOCUS = "#recover-open"

    DEFAULT_CSS = """
    RecoverModal { align: center middle; }
    RecoverModal > Vertical {
        width: 70; height: auto; border: round $primary; background: $surface; padding: 1 2;
    }
    RecoverModal #recover-title { text-style: bold; margin-bottom: 1; }
    RecoverModal #recover-preview { color: $text-muted; margin-bottom: 1; max-height: 6; }
    RecoverModal Horizontal { height: auto; align-horizontal: right; }
    RecoverModal Button { margin-left: 2; }
    """

    def __init__(self, title: str, words: int, preview: str) -> None:
        super().__init__()
        self._draft_title = title
        self._draft_words = words
        self._draft_preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(id="recover-dialog"):
            yield Label("A draft was left open", id="recover-title")
            yield Static(
                Text(
                    "The composer stopped last time while this draft was open. Everything typed up to the "
                    f"last autosave is kept. Open it again? ({self._draft_words} words)"
                ),
                id="recover-text",
            )
            yield Static(Text(self._draft_preview), id="recover-preview")
            with Horizontal():
                yield Button("Not now", id="recover-later")
                yield Button("Open it", id="recover-open", variant="primary")

    @on(Button.Pressed, "#recover-open")
    def _open(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#recover-later")
    def _later(self) -> None:
        self.dismiss(False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ConfirmModal(ModalScreen[bool]):
    """A yes-or-no question (removing an account, deleting a published post); dismisses True for yes."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Keep", id="confirm-no"),
        Binding("y", "answer(True)", "Yes", id="confirm-yes", show=False),
    ]

    AUTO_FOCUS = "#confirm-no"

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 64; max-width: 100%; height: auto; border: round $warning; background: $surface; padding: 1 2;
    }
    ConfirmModal #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmModal #confirm-text { margin-bottom: 1; }
    ConfirmModal Horizontal { height: auto; align-horizontal: right; }
    ConfirmModal Button { margin-left: 2; }
    """

    def __init__(self, question: str, detail: str, yes: str = "Yes") -> None:
        super().__init__()
        self._question, self._detail, self._yes = question, detail, yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, id="confirm-title")
            yield Static(Text(self._detail), id="confirm-text")
            with Horizontal():
                yield Button("Keep it", id="confirm-no")
                yield Button(self._yes, id="confirm-yes", variant="error")

    @on(Button.Pressed, "#confirm-yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


READ_ONLY, COPY = "read-only", "copy"


class OpenElsewhereModal(ModalScreen[str]):
    """'This draft is open in another composer': read it here without writing, or work on a copy.
    Dismisses READ_ONLY or COPY (Escape: read only, which writes nothing)."""

    BINDINGS = [
        Binding("escape,r", "answer('read-only')", "Read only", id="elsewhere-read"),
        Binding("c", "answer('copy')", "Work on a copy", id="elsewhere-copy", show=False),
    ]

    AUTO_FOCUS = "#elsewhere-copy"

    DEFAULT_CSS = """
    OpenElsewhereModal { align: center middle; }
    OpenElsewhereModal > Vertical {
        width: 70; height: auto; border: round $warning; background: $surface; padding: 1 2;
    }
    OpenElsewhereModal #elsewhere-title { text-style: bold; margin-bottom: 1; }
    OpenElsewhereModal Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    OpenElsewhereModal Button { margin-left: 2; }
    """

    def __init__(self, title: str, pid: int) -> None:
        super().__init__()
        self._draft_title = title
        self._pid = pid

    def compose(self) -> ComposeResult:
        with Vertical(id="elsewhere-dialog"):
            yield Label("This draft is open in another composer", id="elsewhere-title")
            yield Static(
                Text(
                    f"“{self._draft_title}” is being written in another Humane Composer (process {self._pid}). "
                    "If both wrote to it, each save would set the other's text aside. Read it here without "
                    "changing it, or work on a copy of it as a new draft."
                ),
                id="elsewhere-text",
            )
            with Horizontal():
                yield Button("Read only", id="elsewhere-read")
                yield Button("Work on a copy", id="elsewhere-copy", variant="primary")

    @on(Button.Pressed, "#elsewhere-read")
    def _read(self) -> None:
        self.dismiss(READ_ONLY)

    @on(Button.Pressed, "#elsewhere-copy")
    def _copy(self) -> None:
        self.dismiss(COPY)

    def action_answer(self, value: str) -> None:
        self.dismiss(value)
