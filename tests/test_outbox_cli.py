"""`humane outbox flush` end to end: a real keyring, the real Mastodon client, the fake Mastodon
server on 127.0.0.1 that loses the answer to the first post; the retry posts nothing twice."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from composer.drafts import Delivery, DraftStore
from tests.command import humane
from tests.fakes.mastodon import FakeMastodon
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)

TOKEN = "tok-OUTBOX-FLUSH-9f8e7d6c5b"

pytestmark = pytest.mark.keyring


def test_flush_after_a_lost_answer_posts_exactly_once(keyring_env) -> None:
    with FakeMastodon() as server:
        server.add_account("alice", token=TOKEN)
        r = humane("accounts", "add", "work", "--platform", "mastodon", "--server", server.url,
                   "--secret-stdin", input=TOKEN + "\n")
        assert r.returncode == 0, r.stderr
        store = DraftStore(Path(os.environ["HUMANE_DATA_DIR"]))
        d = store.new(body="Hello from the outbox.", purpose="test the outbox")
        d.accounts = ["work"]
        d.deliveries["work"] = Delivery(account="work", status="queued", attempts=1,
                                        next_try=datetime(2000, 1, 1, tzinfo=UTC),
                                        error="Offline.", error_kind="transient")
        store.save(d)

        server.inject("drop-after-commit", path="/api/v1/statuses", method="POST")
        first = humane("outbox", "flush")
        assert first.returncode == 1, first.stdout + first.stderr
        assert f"{d.id} -> work: still waiting" in first.stdout
        waiting = store.load(d.id).deliveries["work"]
        assert waiting.status == "queued" and waiting.uncertain and len(waiting.parts) == 1
        assert len(server.posts()) == 1  # the post did reach the server

        listed = humane("outbox", "list")
        assert d.id in listed.stdout and "work" in listed.stdout

        second = humane("outbox", "flush", "--force")
        assert second.returncode == 0, second.stdout + second.stderr
        sent = store.load(d.id).deliveries["work"]
        assert sent.status == "sent" and sent.url and sent.url in second.stdout
        assert sent.parts[0].key == waiting.parts[0].key  # the same key, so the server deduplicated
        assert len(server.posts()) == 1
        assert server.posts()[0]["text"] == "Hello from the outbox."

        third = humane("outbox", "flush", "--force")
        assert third.returncode == 0 and "outbox is empty" in third.stdout
        assert len(server.posts()) == 1

        for out in (r, first, listed, second, third):
            assert TOKEN not in out.stdout + out.stderr
        assert TOKEN.encode() not in store.path(d.id).read_bytes()


def test_mark_sent_after_a_needs_check_stops_every_retry() -> None:
    store = DraftStore(Path(os.environ["HUMANE_DATA_DIR"]))
    d = store.new(body="A note for my site.", purpose="test mark-sent")
    d.accounts = ["site"]
    d.deliveries["site"] = Delivery(account="site", status="failed", attempts=1, error_kind="needs-check",
                                    error="Your site may have published this already.")
    store.save(d)

    r = humane("outbox", "mark-sent", d.id, "site", "--url", "https://example.org/notes/1")
    assert r.returncode == 0, r.stderr
    assert "will not be sent again" in r.stdout
    delivery = store.load(d.id).deliveries["site"]
    assert delivery.status == "sent" and delivery.url == "https://example.org/notes/1"
    assert delivery.error is None and delivery.next_try is None

    again = humane("outbox", "mark-sent", d.id, "site")
    assert again.returncode == 2 and "already marked" in again.stderr
    unknown = humane("outbox", "mark-sent", d.id, "nowhere")
    assert unknown.returncode == 2 and "nowhere" in unknown.stderr and "Traceback" not in unknown.stderr
    assert d.id not in humane("outbox", "list", "--all").stdout
