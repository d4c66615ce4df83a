"""Smoke tests of the installed `humane` command in a real terminal (tmux): start it with a temporary
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
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)

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


@pytest.mark.keyring
def test_replies_read_opened_and_answered_in_a_real_terminal(tmp_path, keyring_env):
    """F5 in a real terminal, against the fake Mastodon with the token in a real Secret Service: the
    folded reply stays folded until opened, R answers, Ctrl+J publishes the answer as a reply."""
    from composer.drafts import DraftStore
    from tests.fakes.mastodon import FakeMastodon

    token = "tok-SMOKE-REPLIES-77c1d2e3"
    env = dict(os.environ)

    def humane(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([humane_command(), *args], input=input, capture_output=True, text=True, timeout=60, env=env)

    with FakeMastodon() as mastodon:
        mastodon.add_account("alice", token=token)
        r = humane("accounts", "add", "home", "--platform", "mastodon", "--server", mastodon.url, "--secret-stdin",
                   input=token)
        assert r.returncode == 0, r.stderr
        store = DraftStore()
        draft = store.new(body="The street fair is on Saturday from noon, with stalls and music.",
                          purpose="To tell my neighbours about the street fair")
        path = store.save(draft)
        r = humane("post", str(path), "--to", "home")
        assert r.returncode == 0, r.stdout + r.stderr
        mine = store.load(path).deliveries["home"].parts[0].id
        bob = mastodon.say("bob", "@alice Is there parking nearby?", in_reply_to=mine)
        mastodon.say("dave", "@alice Her home is 12 Elm Street, Springfield; call her on +1 415 555 2671.",
                     in_reply_to=mine)
        keep = ("HUMANE_CONFIG", "HUMANE_DATA_DIR", "PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS",
                "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME")
        exports = " ".join(f"{k}={_quote(env[k])}" for k in keep if k in env)
        command = f"sleep 0.5; env {exports} {_quote(humane_command())}; echo HUMANE-EXITED-$?; sleep 60"
        tmux = Tmux(tmp_path)
        try:
            tmux.run("new-session", "-d", "-s", "smoke", "-x", "120", "-y", "36", command)
            tmux.wait_for("Why am I sharing this?")
            tmux.keys("F5")
            shown = tmux.wait_for("Is there parking nearby?")
            shown = tmux.wait_for("Folded: a reply from dave")
            assert "Springfield" not in shown and "555" not in shown
            tmux.keys("Down")
            tmux.keys("Enter")
            tmux.wait_for("Springfield")
            tmux.keys("Up")
            tmux.keys("r")
            tmux.wait_for("Answering @bob")
            tmux.keys("Yes, behind the library.", literal=True)
            tmux.wait_for("behind the library")
            tmux.keys("C-j")
            tmux.wait_for("published", timeout=40)
            tmux.keys("C-q")
            shown = tmux.wait_for("HUMANE-EXITED-")
            assert "HUMANE-EXITED-0" in shown, shown
            assert "Traceback" not in shown and token not in shown
        finally:
            tmux.kill()
        answer = mastodon.posts("alice")[-1]
        assert answer["in_reply_to_id"] == bob["id"] and "behind the library" in answer["text"]
