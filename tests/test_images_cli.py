"""Images on the command line: `humane check` reports them, `humane post` refuses an image without
alt text before any request and publishes images with their alt text to both fakes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.images_helpers import assert_clean, photo
from tests.keyring_fixture import FAIL_BACKEND, keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.test_post_cli import deliveries, humane, servers  # noqa: F401 (fixture)

ALT = "Six people around a table in the reading room, each holding the same green book."


def draft(folder: Path, images: str, body: str = "The reading group met on Thursday.\n") -> Path:
    photo(folder / "group.jpg", (900, 600))
    path = folder / "group.md"
    path.write_text(f'+++\npurpose = "to tell friends about the reading group"\n{images}+++\n{body}')
    return path


def test_check_reports_images_without_alt_text(tmp_path) -> None:
    path = draft(tmp_path, '[[images]]\npath = "group.jpg"\n\n[[images]]\npath = "gone.jpg"\nalt = "gone.jpg"\n')
    r = subprocess.run([*humane_cmd(), "check", str(path), "--for", "slack"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert f"{path}:10:1: error images.alt-missing: Image 1 (group.jpg) has no alt text" in out
    assert "error images.file: Image 2 (gone.jpg) cannot be sent" in out and "does not exist" in out
    assert "warning images.alt-file-name" in out
    assert "error images.not-taken: Slack takes no images" in out
    assert "2 images" in out.splitlines()[-1]
    as_json = subprocess.run([*humane_cmd(), "check", str(path), "--format", "json"], capture_output=True, text=True,
                             timeout=60)
    data = json.loads(as_json.stdout)
    assert data["images"][0] == {"path": "group.jpg", "alt": ""}
    assert {f["rule"] for f in data["findings"] if f["category"] == "images"} >= {"images.alt-missing", "images.file"}


def humane_cmd() -> list[str]:
    from tests.command import humane_command

    return [humane_command()]


@pytest.mark.keyring
def test_post_refuses_an_image_without_alt_text_before_any_request(servers, tmp_path) -> None:  # noqa: F811
    mastodon, bluesky = servers
    path = draft(tmp_path, '[[images]]\npath = "group.jpg"\nalt = "  "\n')
    mastodon.log.clear()
    bluesky.log.clear()
    r = humane("post", str(path), "--to", "masto", "sky")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "group.jpg" in r.stderr and "alt text" in r.stderr
    assert mastodon.log == [] and bluesky.log == []


@pytest.mark.keyring
def test_post_sends_the_images_with_their_alt_text(servers, tmp_path) -> None:  # noqa: F811
    mastodon, bluesky = servers
    path = draft(tmp_path, f'[[images]]\npath = "group.jpg"\nalt = "{ALT}"\n')
    r = humane("post", str(path), "--to", "masto", "sky")
    assert r.returncode == 0, r.stdout + r.stderr
    [status] = mastodon.posts()
    assert [m["description"] for m in status["media_attachments"]] == [ALT]
    [post] = bluesky.posts()
    [(alt, data, ratio)] = bluesky.images(post)
    assert alt == ALT and ratio == {"width": 900, "height": 600}
    assert_clean(data)
    assert {d.status for d in deliveries(path).values()} == {"sent"}


def test_drafts_show_lists_the_images_and_their_alt_text(tmp_path) -> None:
    from composer.drafts import DraftStore
    from composer.drafts.model import ImageRef

    store = DraftStore()
    draft = store.new(body="Hello")
    draft.images = [ImageRef("/pics/a.jpg", ALT), ImageRef("b.png", "")]
    store.save(draft)
    r = subprocess.run([*humane_cmd(), "drafts", "show", draft.id], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"image 1:   /pics/a.jpg - alt: {ALT}" in r.stdout
    assert "image 2:   b.png - NO ALT TEXT" in r.stdout
