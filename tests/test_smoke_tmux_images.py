"""Smoke test in a real terminal (tmux): the installed `humane` opens a draft, F6 attaches two photos
with their alt text (typed as a writer types them), Ctrl+J publishes to the fake Mastodon and
Bluesky servers, and both posts carry both photos with their alt text."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from tests.command import humane_command
from tests.images_helpers import assert_clean, photo
from tests.keyring_fixture import FAIL_BACKEND, keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.test_post_cli import servers  # noqa: F401 (fixture)
from tests.test_smoke_tmux import Tmux, _quote

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.keyring,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (scripts/test installs it)"),
]

ROOM = "The reading room: oak tables, green lamps, tall windows."
DOOR = "The new red front door with a ramp beside the steps."


def test_attach_two_photos_and_publish_in_a_real_terminal(servers, tmp_path):  # noqa: F811
    mastodon, bluesky = servers
    photo(tmp_path / "room.jpg", (1600, 1200), orientation=6)
    photo(tmp_path / "door.jpg", (600, 800))
    from composer.drafts import DraftStore

    store = DraftStore()  # in the data folder (a file elsewhere publishes too: checked by hand on main)
    draft = store.save(store.new(body="The library is open again. Come and see!\n", accounts=["masto", "sky"],
                                 purpose="to show neighbours the renovated library"))
    config = os.environ["HUMANE_CONFIG"]
    with open(config, "a", encoding="utf-8") as f:
        f.write("\n[editor]\nundo_seconds = 1\n")
    names = [k for k in os.environ if k.startswith(("HUMANE_", "XDG_", "DBUS_", "PYTHON_KEYRING"))]
    exports = " ".join(f"{k}={_quote(os.environ[k])}" for k in names)
    command = f"sleep 0.5; cd {_quote(str(tmp_path))}; env {exports} {_quote(humane_command())} {_quote(str(draft))}; " \
              "echo HUMANE-EXITED-$?; sleep 60"
    tmux = Tmux(tmp_path)
    try:
        tmux.run("new-session", "-d", "-s", "smoke", "-x", "130", "-y", "40", command)
        tmux.wait_for("The library is open again")
        for name, alt in (("room", ROOM), ("door", DOOR)):
            tmux.keys("F6")
            tmux.wait_for("Attach an image")
            tmux.keys(name[:2], literal=True)  # "ro" / "do": → takes the completion
            tmux.wait_for(f"{name}.jpg")
            tmux.keys("Right")
            tmux.wait_for("JPEG image")
            tmux.keys("Enter")
            time.sleep(0.3)  # a writer's pace: the focus moves to the alt text first
            tmux.keys(alt, literal=True)
            tmux.keys("Enter")
            tmux.wait_for(f"{name}.jpg · ")
        shown = tmux.wait_for("Images (2)")
        assert "The reading room" in shown and "The new red front" in shown
        time.sleep(0.5)  # the checks run after a pause in typing
        tmux.keys("C-j")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (mastodon.posts() and bluesky.posts()):
            time.sleep(0.2)
        published = tmux.screen()
        tmux.keys("C-q")
        shown = tmux.wait_for("HUMANE-EXITED-")
        assert "HUMANE-EXITED-0" in shown and "Traceback" not in shown, shown
    finally:
        tmux.kill()
    assert mastodon.posts() and bluesky.posts(), published
    [status] = mastodon.posts()
    assert [m["description"] for m in status["media_attachments"]] == [ROOM, DOOR]
    [post] = bluesky.posts()
    sent = bluesky.images(post)
    assert [alt for alt, _, _ in sent] == [ROOM, DOOR]
    assert sent[0][2] == {"width": 1200, "height": 1600}
    for _, data, _ in sent:
        assert_clean(data)
    text = draft.read_text("utf-8")
    assert f'alt = "{ROOM}"' in text and "room.jpg" in text
