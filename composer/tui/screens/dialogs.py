"""Small dialogs: offering back a draft left open when the app stopped unexpectedly; a yes-or-no question."""

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
    """A yes-or-no question (removing an account); dismisses True for yes."""

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
