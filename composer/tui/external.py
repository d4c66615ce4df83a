"""Handing the draft to the writer's own editor ($VISUAL, else $EDITOR) and reading it back:
`hand_over` does it for the compose screen (Ctrl+G / F4)."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from composer.tui.screens.compose import ComposeScreen


class ExternalEditorError(Exception):
    """The editor could not be run, or its file could not be read back: `str()` says what to do."""


def editor_command(environ: dict[str, str] | None = None) -> list[str] | None:
    """The writer's editor as an argv list, or None when neither $VISUAL nor $EDITOR is set."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = (env.get(name) or "").strip()
        if value:
            try:
                argv = shlex.split(value)
            except ValueError:
                raise ExternalEditorError(f"${name} ({value!r}) is not a command line; quote it as in a shell") from None
            if argv:
                return argv
    return None


def edit_externally(text: str, argv: list[str], suspend: AbstractContextManager[object] | None = None, *, suffix: str = ".md") -> str:
    """Write `text` to a private temporary file, run `argv + [file]` (inside `suspend`, which hands
    the terminal over), and return the file's text afterwards. A final newline the editor added is
    dropped when `text` had none, so a round trip without edits changes nothing."""
    folder = tempfile.mkdtemp(prefix="humane-")
    path = Path(folder) / f"draft{suffix}"
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(path, 0o600)
        try:
            with suspend if suspend is not None else contextlib.nullcontext():
                result = subprocess.run([*argv, str(path)], check=False)
        except FileNotFoundError:
            raise ExternalEditorError(
                f"could not start {argv[0]!r}: no such program. Set $VISUAL or $EDITOR to an editor you have"
            ) from None
        except OSError as err:
            raise ExternalEditorError(f"could not start {argv[0]!r}: {err.strerror or err}") from None
        if result.returncode != 0:
            raise ExternalEditorError(
                f"{argv[0]} ended with status {result.returncode}; your text was left as it was"
            )
        try:
            with open(path, encoding="utf-8", newline="") as f:
                new = f.read()
        except UnicodeDecodeError:
            raise ExternalEditorError("the editor saved the file in an encoding other than UTF-8; your text was left as it was") from None
        except OSError as err:
            raise ExternalEditorError(f"could not read the edited file back: {err.strerror or err}") from None
        if not text.endswith(("\n", "\r")):
            for nl in ("\r\n", "\n", "\r"):
                if new.endswith(nl):
                    new = new[: -len(nl)]
                    break
        return new
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def hand_over(screen: ComposeScreen) -> None:
    """Ctrl+G / F4: save the draft, hand its text and the terminal to the writer's editor, and take
    the text back as one edit (Ctrl+Z brings back what was there before)."""
    if screen.publisher.wait_if_busy("Your editor"):
        return
    try:
        argv = editor_command()
    except ExternalEditorError as err:
        screen.notify(str(err), title="Your editor", severity="warning")
        return
    if argv is None:
        screen.notify(
            "Set $VISUAL or $EDITOR to the editor you like (for example `export EDITOR=nvim`), then "
            "restart the composer.",
            title="No editor set",
            severity="warning",
        )
        return
    screen.composer.save_now(quiet=True)
    editor = screen.editor
    text = editor.text
    app = screen.app
    suspend: Any = contextlib.nullcontext() if app.is_headless else app.suspend()  # headless: tests
    try:
        new = edit_externally(text, argv, suspend)
    except ExternalEditorError as err:
        screen.notify(str(err), title="Your editor", severity="error")
        return
    except Exception as err:  # SuspendNotSupported and friends
        screen.notify(f"Could not hand the terminal to your editor here ({type(err).__name__}).", severity="error")
        return
    if new != text:
        editor.replace(new, (0, 0), editor.document.end)
        screen.notify("Text taken back from your editor.", title="Your editor")
    editor.focus()
