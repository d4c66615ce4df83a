"""The whole flow with recognisable secrets, then a search for them everywhere they must not be.

Add a Mastodon and a Bluesky account (a canary token and an app password, through --secret-stdin),
list and verify them, publish a draft, publish another whose answers are lost after the servers
committed the posts, retry it from the outbox (one post each on the servers), let the Bluesky
session rotate, and remove both accounts. Then the token, the app password and every session JWT
the fake server handed out must appear in no file under the config and data folders (every draft
included) and in none of the captured output. Real parts only: the installed `humane` command,
gnome-keyring on a private D-Bus, fake servers on 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest

from composer.accounts import SecretStore
from composer.drafts import DraftStore
from tests.command import humane_command
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.mastodon import FakeMastodon
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)

pytestmark = pytest.mark.keyring


def test_no_secret_leaks_anywhere(keyring_env) -> None:
    canary = f"CANARY-TOKEN-{secrets.token_hex(12)}"
    app_password = "-".join(secrets.token_hex(2) for _ in range(4))  # xxxx-xxxx-xxxx-xxxx
    config_dir = Path(os.environ["HUMANE_CONFIG"]).parent
    data_dir = Path(os.environ["HUMANE_DATA_DIR"])
    transcript: list[str] = []

    def humane(*args: str, input: str = "", expect: int | None = 0) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([humane_command(), *args], input=input, capture_output=True, text=True, timeout=60,
                           env=dict(os.environ))
        transcript.extend([f"$ humane {' '.join(args)} -> {r.returncode}", r.stdout, r.stderr])
        if expect is not None:
            assert r.returncode == expect, "\n".join(transcript[-3:])
        return r

    with FakeMastodon() as mastodon, FakeBluesky() as bluesky:
        mastodon.add_account("alice", token=canary)
        bluesky.add_account("alice.test", app_password=app_password)

        humane("accounts", "add", "masto", "--platform", "mastodon", "--server", mastodon.url, "--secret-stdin",
               input=canary + "\n")
        humane("accounts", "add", "sky", "--platform", "bluesky", "--server", bluesky.url, "--handle", "alice.test",
               "--secret-stdin", input=app_password + "\n")
        store = SecretStore()
        assert store.get("masto").reveal() == canary
        assert app_password in store.get("sky").reveal()  # kept to log in again when the session dies
        humane("accounts", "list")
        humane("accounts", "verify", "masto")
        humane("accounts", "verify", "sky")

        drafts = DraftStore()
        first = drafts.save(drafts.new(body="Reading group: Thursday, 7 pm, at the library.",
                                       purpose="to tell friends when the group meets"))
        bluesky.expire_access()  # the post must refresh the session: the rotated one goes to the keyring
        r = humane("post", str(first), "--to", "masto", "sky")
        assert "masto: http" in r.stdout and "sky: https://bsky.app/" in r.stdout

        # The servers commit the posts, then the connections drop before the answers.
        second = drafts.save(drafts.new(body="Next month we read a new book; suggestions welcome.",
                                        purpose="to ask friends for book suggestions"))
        mastodon.inject("drop-after-commit", path="/api/v1/statuses", method="POST")
        bluesky.inject("drop-after-commit", path="/xrpc/com.atproto.repo.createRecord", method="POST")
        r = humane("post", str(second), "--to", "masto", "sky", expect=1)
        assert r.stdout.count("waits in the outbox") == 2
        assert len(mastodon.posts()) == 2 and len(bluesky.posts()) == 2
        humane("outbox", "list")
        r = humane("outbox", "flush", "--force")
        assert r.stdout.count(": sent") == 2
        assert len(mastodon.posts()) == 2 and len(bluesky.posts()) == 2  # one post per draft, no duplicate
        assert [d.status for d in drafts.load(second).deliveries.values()] == ["sent", "sent"]
        bluesky.expire_access()
        humane("accounts", "verify", "sky")  # a second rotation, saved by `verify`

        # Every session token the server handed out (the rotated ones too) is a secret as well.
        with bluesky.state.lock:
            jwts = set(bluesky.state.access) | set(bluesky.state.refresh) | set(bluesky.state.revoked)
        assert len(jwts) >= 6 and bluesky.calls("com.atproto.server.createSession") == 1

        humane("drafts", "list")
        humane("drafts", "show", first.stem)
        humane("accounts", "remove", "masto")
        humane("accounts", "remove", "sky")
        assert store.get("masto") is None and store.get("sky") is None
        humane("accounts", "list")

    secrets_to_find = {"the Mastodon token": canary, "the app password": app_password}
    secrets_to_find.update({f"session token {i}": jwt for i, jwt in enumerate(sorted(jwts))})
    files = [p for folder in (config_dir, data_dir) for p in folder.rglob("*") if p.is_file()]
    draft_files = [p for p in files if p.suffix == ".md"]
    assert len(draft_files) >= 2 and (config_dir / "config.toml").exists()
    output = "\n".join(transcript)
    assert "Traceback" not in output
    for what, value in secrets_to_find.items():
        for path in files:
            assert value.encode() not in path.read_bytes(), f"{what} found in {path}"
        assert value not in output, f"{what} found in the output"
