"""Small dialogs over the composer, on one base (`Dialog`: a title, its words, a row of buttons; a
button or a key answers): offering back a draft left open when the app stopped unexpectedly; a
draft open in another composer; a yes-or-no question before something that cannot be taken back.
Attaching an image (screens/images.py) is one too."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button, Label, Static
from textual.widgets.button import ButtonVariant


class Answer(NamedTuple):
    """A button of a dialog and what pressing it answers."""

    label: str
    id: str
    value: Any
    variant: ButtonVariant = "default"
    dismisses: bool = True
    """False: the dialog checks first (its own handler of the button dismisses it)."""


class Dialog(ModalScreen[ScreenResultType]):
    """A title, the dialog's words (`compose_body`), then its buttons (`answers()`), right-aligned.
    A button dismisses the dialog with its value; so does the `answer(value)` action of a key."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 70; height: auto; border: round $primary; background: $surface; padding: 1 2;
    }
    Dialog .dialog-title { text-style: bold; margin-bottom: 1; }
    Dialog .dialog-buttons { height: auto; align-horizontal: right; }
    Dialog .dialog-buttons Button { margin-left: 2; }
    """

    HEADING: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    """The ids' stem: `<NAME>-dialog` (the box), `<NAME>-title`."""

    def heading(self) -> str:
        return self.HEADING

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.NAME}-dialog"):
            yield Label(self.heading(), id=f"{self.NAME}-title", classes="dialog-title")
            yield from self.compose_body()
            with Horizontal(classes="dialog-buttons"):
                for answer in self.answers():
                    yield Button(answer.label, id=answer.id, variant=answer.variant)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def answers(self) -> tuple[Answer, ...]:
        """The buttons, left to right."""
        return ()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        for answer in self.answers():
            if answer.id == event.button.id and answer.dismisses:
                event.stop()
                self.dismiss(answer.value)

    def action_answer(self, value: Any) -> None:
        self.dismiss(value)


class RecoverModal(Dialog[bool]):
    """'This draft was open when the composer stopped: open it again?' Dismisses True to open it."""

    RETURN_ON_TYPING = True
    """A typed key that is not one of this screen's own goes back to the text (composer/tui/keys.py)."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Not now", id="recover-no"),
        Binding("enter,y,o", "answer(True)", "Open it", id="recover-yes", show=False),
    ]

    AUTO_FOCUS = "#recover-open"
    HEADING = "A draft was left open"
    NAME = "recover"

    DEFAULT_CSS = """
    RecoverModal #recover-preview { color: $text-muted; margin-bottom: 1; max-height: 6; }
    """

    def __init__(self, title: str, words: int, preview: str) -> None:
        super().__init__()
        self._draft_title = title
        self._draft_words = words
        self._draft_preview = preview

    def compose_body(self) -> ComposeResult:
        yield Static(
            Text(
                "The composer stopped last time while this draft was open. Everything typed up to the "
                f"last autosave is kept. Open it again? ({self._draft_words} words)"
            ),
            id="recover-text",
        )
        yield Static(Text(self._draft_preview), id="recover-preview")

    def answers(self) -> tuple[Answer, ...]:
        return (Answer("Not now", "recover-later", False), Answer("Open it", "recover-open", True, "primary"))


class ConfirmModal(Dialog[bool]):
    """A yes-or-no question (removing an account, deleting a published post); dismisses True for yes."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Keep", id="confirm-no"),
        Binding("y", "answer(True)", "Yes", id="confirm-yes", show=False),
    ]

    AUTO_FOCUS = "#confirm-no"
    NAME = "confirm"

    DEFAULT_CSS = """
    ConfirmModal > Vertical { width: 64; max-width: 100%; border: round $warning; }
    ConfirmModal #confirm-text { margin-bottom: 1; }
    """

    def __init__(self, question: str, detail: str, yes: str = "Yes") -> None:
        super().__init__()
        self._question, self._detail, self._yes = question, detail, yes

    def heading(self) -> str:
        return self._question

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self._detail), id="confirm-text")

    def answers(self) -> tuple[Answer, ...]:
        return (Answer("Keep it", "confirm-no", False), Answer(self._yes, "confirm-yes", True, "error"))


READ_ONLY, COPY = "read-only", "copy"


class OpenElsewhereModal(Dialog[str]):
    """'This draft is open in another composer': read it here without writing, or work on a copy.
    Dismisses READ_ONLY or COPY (Escape: read only, which writes nothing)."""

    BINDINGS = [
        Binding("escape,r", "answer('read-only')", "Read only", id="elsewhere-read"),
        Binding("c", "answer('copy')", "Work on a copy", id="elsewhere-copy", show=False),
    ]

    AUTO_FOCUS = "#elsewhere-copy"
    HEADING = "This draft is open in another composer"
    NAME = "elsewhere"

    DEFAULT_CSS = """
    OpenElsewhereModal > Vertical { border: round $warning; }
    OpenElsewhereModal .dialog-buttons { margin-top: 1; }
    """

    def __init__(self, title: str, pid: int) -> None:
        super().__init__()
        self._draft_title = title
        self._pid = pid

    def compose_body(self) -> ComposeResult:
        yield Static(
            Text(
                f"“{self._draft_title}” is being written in another Humane Composer (process {self._pid}). "
                "If both wrote to it, each save would set the other's text aside. Read it here without "
                "changing it, or work on a copy of it as a new draft."
            ),
            id="elsewhere-text",
        )

    def answers(self) -> tuple[Answer, ...]:
        return (Answer("Read only", "elsewhere-read", READ_ONLY),
                Answer("Work on a copy", "elsewhere-copy", COPY, "primary"))
