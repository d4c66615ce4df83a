"""Smoke test of the installed `humane` command in a real terminal (tmux): start it with a temporary
config and data folder, type, hand the text to $VISUAL and back, save, quit; the draft file holds it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.command import humane_command

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (scripts/test installs it)"),
]


class Tmux:
    """One tmux server on a private socket, so the test never touches a user's sessions."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"humane-smoke-{os.getpid()}"
        self.tmp = tmp

    def run(self, *args: str) -> str:
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {r.stderr.strip()}")
        return r.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "smoke")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on the screen; it showed:\n{shown}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "smoke", *(["-l"] if literal else []), *keys)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def test_type_edit_save_quit_in_a_real_terminal(tmp_path):
    data = tmp_path / "data"
    editor = tmp_path / "editor.py"
    editor.write_text(
        textwrap.dedent(
            """
            import sys
            with open(sys.argv[1], "a", encoding="utf-8") as f:
                f.write(" Added in my own editor.")
            """
        ),
        encoding="utf-8",
    )
    env = {
        "HUMANE_CONFIG": str(tmp_path / "no-config.toml"),
        "HUMANE_DATA_DIR": str(data),
        "VISUAL": f"{sys.executable} {editor}",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
    # tmux sizes a detached pane to -x/-y just after starting its command: wait for that, so the
    # app starts at the final size (a resize that lands while Python is still starting is lost).
    command = f"sleep 0.5; env {exports} {_quote(humane_command())}; echo HUMANE-EXITED-$?; sleep 60"
    tmux = Tmux(tmp_path)
    try:
        tmux.run("new-session", "-d", "-s", "smoke", "-x", "110", "-y", "32", command)
        tmux.wait_for("Why am I sharing this?")
        tmux.keys("Hello from a real terminal.", literal=True)
        tmux.wait_for("Hello from a real terminal.")
        tmux.keys("C-g")  # hands the text to $VISUAL, which appends a sentence
        tmux.wait_for("Added in my own editor.")
        tmux.keys("C-s")
        tmux.wait_for("Saved to")
        tmux.keys("C-q")
        shown = tmux.wait_for("HUMANE-EXITED-")
        assert "HUMANE-EXITED-0" in shown, shown
        assert "Traceback" not in shown
    finally:
        tmux.kill()
    drafts = list((data / "drafts").glob("*.md"))
    assert len(drafts) == 1, drafts
    text = drafts[0].read_text("utf-8")
    assert text.rstrip().endswith("Hello from a real terminal. Added in my own editor.")
    assert text.startswith("+++")
    assert list((data / "sessions").glob("*.toml")) == []  # a clean exit leaves nothing to recover


def test_a_purpose_and_a_post_typed_at_start_up_land_where_they_belong(tmp_path):
    """Issue 15: the writer starts typing as soon as the composer shows, the post first, then
    Shift+Tab to the purpose; Tab onto the findings and on typing goes back to the text."""
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text("")
    env = {
        "HUMANE_CONFIG": str(config),
        "HUMANE_DATA_DIR": str(data),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
    command = f"sleep 0.5; env {exports} {_quote(humane_command())}; echo HUMANE-EXITED-$?; sleep 60"
    tmux = Tmux(tmp_path)
    try:
        tmux.run("new-session", "-d", "-s", "smoke", "-x", "80", "-y", "24", command)
        tmux.wait_for("Why am I sharing this?")
        tmux.keys("Street fair on Saturday.", literal=True)
        tmux.keys("BTab")
        tmux.keys("To invite the neighbours", literal=True)
        tmux.keys("Tab", "Tab")  # past the text, onto the findings list
        tmux.keys(" Stalls are free.", literal=True)
        tmux.wait_for("Stalls are free.")
        tmux.keys("C-s")
        tmux.wait_for("Saved to")
        tmux.keys("C-q")
        shown = tmux.wait_for("HUMANE-EXITED-")
        assert "HUMANE-EXITED-0" in shown, shown
    finally:
        tmux.kill()
    drafts = list((data / "drafts").glob("*.md"))
    assert len(drafts) == 1, drafts
    import tomllib

    text = drafts[0].read_text("utf-8")
    meta = tomllib.loads(text.split("+++")[1])
    assert meta["purpose"] == "To invite the neighbours"
    assert text.split("+++", 2)[2].strip() == "Street fair on Saturday. Stalls are free."


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"
