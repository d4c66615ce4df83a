"""`humane post` to a Dev.to account and a Nostr account: the installed command, accounts added
through `humane accounts add` with their secrets in a real Secret Service, the fakes on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from composer.drafts import DraftStore
from tests.command import humane
from tests.fakes.devto import FakeDevto
from tests.fakes.nostr import FakeRelay
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)

KEY = "devKEY-post-cli-4b3a2c1d0e9f"
NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5"  # NIP-19's example key
DRAFT = """+++
purpose = "to tell neighbours that the library lends tools"
title = "The library lends tools"
tags = ["libraries", "community"]
+++
Our town library now lends drills, ladders and a sewing machine. Bring your card and a smile.
#libraries
"""

pytestmark = pytest.mark.keyring


def test_one_draft_to_devto_and_nostr_once(keyring_env, tmp_path):
    with FakeDevto() as dev, FakeRelay() as relay:
        dev.add_user("alice", key=KEY)
        assert humane("accounts", "add", "dev", "--platform", "devto", "--server", dev.url, "--secret-stdin",
                      input=KEY).returncode == 0
        r = humane("accounts", "add", "nostr", "--platform", "nostr", "--server", relay.url, "--secret-stdin",
                   input=NSEC)
        assert r.returncode == 0, r.stderr
        path = DraftStore().drafts_dir / "tools.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DRAFT, encoding="utf-8")
        dev.inject("drop-after-commit", path="/api/articles", method="POST")
        first = humane("post", str(path), "--to", "dev", "nostr")
        assert first.returncode == 1, first.stdout + first.stderr  # Dev.to waits in the outbox
        second = humane("post", str(path), "--to", "dev", "nostr")
        assert second.returncode == 0, second.stdout + second.stderr
        (article,) = dev.posts()
        (note,) = relay.notes()
        assert article["title"] == "The library lends tools" and article["tag_list"] == ["libraries", "community"]
        assert article["published"] is False and note["tags"] == [["t", "libraries"]]
        assert article["url"] in second.stdout and "nostr:note1" in first.stdout + second.stdout
        for text in (first.stdout, first.stderr, second.stdout, second.stderr,
                     Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8"), path.read_text("utf-8")):
            assert KEY not in text and NSEC not in text
