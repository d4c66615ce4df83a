"""The images attached to the draft, under the editor: name, size and the start of the alt text of
each, with Edit and Remove. Hidden while there are none (F6 attaches one)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from composer.drafts.model import ImageRef
from composer.media.files import human_size, inspect

ALT_SHOWN = 48
"""Characters of the alt text shown in the list."""


def describe(ref: ImageRef, draft_path: Path | None) -> Text:
    """One line for an attached image: `room.jpg · 4.1 MB · The reading room after…`, or what is wrong."""
    found = inspect(ref, draft_path)
    t = Text()
    t.append(ref.name, "bold")
    if found.ok and found.size is not None:
        t.append(f" · {human_size(found.size)}", "dim")
    elif not found.ok:
        t.append(" · ✖ " + ("not found" if "does not exist" in found.problem else "cannot be sent"), "bold red")
    alt = " ".join(ref.alt.split())
    if not alt:
        t.append(" · ✖ no alt text: press Edit and describe it", "bold red")
    else:
        t.append(" · " + (alt if len(alt) <= ALT_SHOWN else alt[: ALT_SHOWN - 1] + "…"))
    return t


class ImagesList(VerticalScroll):
    """The draft's images, one row each (it scrolls past six)."""

    DEFAULT_CSS = """
    ImagesList { height: auto; max-height: 8; overflow-y: auto; padding: 0 1; border-top: solid $primary-darken-2; }
    ImagesList.-empty { display: none; }
    ImagesList #images-title { color: $text-muted; }
    ImagesList .image-row { height: 1; }
    ImagesList .image-line { width: 1fr; height: 1; }
    ImagesList Button { margin-left: 1; min-width: 8; }
    """

    class Edit(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Remove(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kw) -> None:
        super().__init__(classes="-empty", **kw)
        self._shown: tuple = ()

    def compose(self) -> ComposeResult:
        yield Static("", id="images-title")

    def show(self, images: Sequence[ImageRef], draft_path: Path | None) -> None:
        """Show `images` (rows rebuilt only when what they say changed)."""
        lines = [describe(ref, draft_path) for ref in images]
        key = tuple(line.plain for line in lines)
        if key == self._shown:
            return
        self._shown = key
        self.set_class(not images, "-empty")
        n = len(images)
        self.query_one("#images-title", Static).update(
            f"Images ({n}) · F6 attaches another" if n else "")
        for row in list(self.query(".image-row")):
            row.remove()
        rows = []
        for i, line in enumerate(lines):
            rows.append(Horizontal(
                Static(line, classes="image-line", id=f"image-line-{i}"),
                Button("Edit", id=f"image-edit-{i}", compact=True),
                Button("Remove", id=f"image-remove-{i}", compact=True, variant="error"),
                classes="image-row",
            ))
        if rows:
            self.mount(*rows)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        event.stop()
        if button.startswith("image-edit-"):
            self.post_message(self.Edit(int(button.rsplit("-", 1)[1])))
        elif button.startswith("image-remove-"):
            self.post_message(self.Remove(int(button.rsplit("-", 1)[1])))
