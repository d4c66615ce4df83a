"""Attach an image (F6), or edit one: its file, with path completion, then its alt text.

The alt text is asked for every time: an image is never sent without one (readers who cannot see
it, and their screen readers, need it). The dialog says what the file is (kind and size) as soon as
the path names one, so the writer knows they picked the right picture; the picture itself is not
shown (see README: the terminal preview was judged not worth its cost)."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Button, Input, Static

from composer.drafts.model import ImageRef
from composer.media.files import KINDS, human_size, inspect
from composer.tui.screens.dialogs import Answer, Dialog


class PathSuggester(Suggester):
    """Completes a file path: the first entry of its folder that starts with what was typed
    (folders with a trailing /, images before other files, hidden files only when asked for)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder, _, start = value.rpartition("/")
        base = Path(os.path.expanduser(folder + "/" if folder or value.startswith("/") else "."))
        try:
            names = sorted(os.listdir(base))
        except OSError:
            return None
        found = [n for n in names if n.startswith(start) and (start.startswith(".") or not n.startswith("."))]
        if not found:
            return None

        def rank(name: str) -> tuple[int, str]:
            is_dir = (base / name).is_dir()
            image = name.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))
            return (0 if image else 1 if is_dir else 2, name)

        best = min(found, key=rank)
        suffix = "/" if (base / best).is_dir() else ""
        prefix = value[: len(value) - len(start)]
        return prefix + best + suffix


class AttachImageModal(Dialog[ImageRef | None]):
    """Dismisses the image (path and alt text), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="image-cancel")]
    AUTO_FOCUS = "#image-path"
    NAME = "image"

    DEFAULT_CSS = """
    AttachImageModal > Vertical { width: 80; }
    AttachImageModal .image-help { color: $text-muted; }
    AttachImageModal #image-file, AttachImageModal #image-alt-count { color: $text-muted; height: auto; }
    AttachImageModal #image-problem { color: $error; height: auto; }
    AttachImageModal .dialog-buttons { margin-top: 1; }
    """

    def __init__(self, draft_path: Path | None, image: ImageRef | None = None) -> None:
        super().__init__()
        self.draft_path = draft_path
        self.image = image

    def heading(self) -> str:
        return "Change an image" if self.image else "Attach an image"

    def compose_body(self) -> ComposeResult:
        yield Static("File (→ completes the path):", classes="image-help")
        start = str(self.image.resolve(self.draft_path)) if self.image else ""
        yield Input(start, placeholder="~/Pictures/room.jpg", id="image-path", suggester=PathSuggester())
        yield Static("", id="image-file")
        yield Static(
            "Alt text: what the image shows, for readers who cannot see it (the subject, the words in "
            "it, what matters for this post). Required.", classes="image-help")
        yield Input(self.image.alt if self.image else "", placeholder="The reading room after the renovation…",
                    id="image-alt")
        yield Static("", id="image-alt-count")
        yield Static("", id="image-problem")

    def answers(self) -> tuple[Answer, ...]:
        return (Answer("Cancel", "image-cancel-button", None),
                Answer("Change" if self.image else "Attach", "image-ok", None, "primary", dismisses=False))  # _ok

    def on_mount(self) -> None:
        self._describe_file(self.query_one("#image-path", Input).value)
        self._count(self.query_one("#image-alt", Input).value)

    def _path(self, value: str) -> Path:
        p = Path(os.path.expanduser(value.strip()))
        return p if p.is_absolute() else (Path.cwd() / p)

    @on(Input.Changed, "#image-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self._describe_file(event.value)

    def _describe_file(self, value: str) -> None:
        text = Text()
        if value.strip():
            found = inspect(ImageRef(str(self._path(value))))
            if found.ok and found.mime and found.size is not None:
                text.append(f"{KINDS.get(found.mime, found.mime)} image, {human_size(found.size)}")
                text.append(" · metadata (GPS position, camera) is removed before it is sent", "dim")
            else:
                text.append(found.problem)
        self.query_one("#image-file", Static).update(text)

    @on(Input.Changed, "#image-alt")
    def _alt_changed(self, event: Input.Changed) -> None:
        self._count(event.value)

    def _count(self, value: str) -> None:
        n = len(value.strip())
        self.query_one("#image-alt-count", Static).update(
            f"{n} characters (Bluesky keeps 2000, Mastodon 1500, Threads 1000)" if n else "")

    @on(Input.Submitted, "#image-path")
    def _path_done(self) -> None:
        self.query_one("#image-alt", Input).focus()

    @on(Input.Submitted, "#image-alt")
    @on(Button.Pressed, "#image-ok")
    def _ok(self) -> None:
        path_value = self.query_one("#image-path", Input).value
        alt = " ".join(self.query_one("#image-alt", Input).value.split())
        problem = self.query_one("#image-problem", Static)
        if not path_value.strip():
            problem.update("Give the image's file.")
            self.query_one("#image-path", Input).focus()
            return
        path = self._path(path_value)
        found = inspect(ImageRef(str(path)))
        if not found.ok:
            problem.update(found.problem[:1].upper() + found.problem[1:] + ".")
            self.query_one("#image-path", Input).focus()
            return
        if not alt:
            problem.update("Alt text is required: describe what the image shows. It is never sent without.")
            self.query_one("#image-alt", Input).focus()
            return
        self.dismiss(ImageRef(str(path), alt))

    def action_cancel(self) -> None:
        self.dismiss(None)
