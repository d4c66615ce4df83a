"""Small dialogs: offering back a draft left open when the app stopped unexpectedly; confirming
something that cannot be taken back."""

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
    """A yes-or-no question before something that cannot be taken back (deleting a published post).
    Dismisses True only for the confirming button (or Y); Escape and N say no."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm-no"),
        Binding("y", "answer(True)", "Yes", id="confirm-yes", show=False),
    ]

    AUTO_FOCUS = "#confirm-cancel"

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 76; height: auto; border: round $error; background: $surface; padding: 1 2;
    }
    ConfirmModal #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmModal #confirm-text { margin-bottom: 1; }
    ConfirmModal Horizontal { height: auto; align-horizontal: right; }
    ConfirmModal Button { margin-left: 2; }
    """

    def __init__(self, title: str, text: str, yes: str) -> None:
        super().__init__()
        self._question = title
        self._text = text
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(self._question, id="confirm-title")
            yield Static(Text(self._text), id="confirm-text")
            with Horizontal():
                yield Button("Cancel", id="confirm-cancel")
                yield Button(self._yes, id="confirm-ok", variant="error")

    @on(Button.Pressed, "#confirm-ok")
    def _ok(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
