"""Corrections on LinkedIn (the fake Posts API on 127.0.0.1): an edit keeps the URN and escapes the
text as a new post's is; a delete removes the post, and one already gone counts as deleted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from composer.dialogue.correct import correct, withdraw
from composer.dialogue.replies import RepliesSession
from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, Secret
from composer.platforms.linkedin import LinkedInClient
from composer.publish import publish_draft
from tests.fakes.linkedin import FakeLinkedIn

TOKEN = "li-DIALOGUE-7f3e-never-show-me"
BODY = "Our team is hiring a librarian (part time). Details on the library's site."


@pytest.fixture
def fake():
    with FakeLinkedIn() as server:
        server.add_member("Alice Example", token=TOKEN, sub="aB3xY9q")
        yield server


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


def opener(fake: FakeLinkedIn, http):
    async def open_client(name: str) -> LinkedInClient:
        options = {"person": "urn:li:person:aB3xY9q", "authorized_on": date.today().isoformat()}
        return LinkedInClient(AccountInfo(name, "linkedin", server=fake.url, options=options), Secret(TOKEN), http)

    return open_client


async def publish(store: DraftStore, fake: FakeLinkedIn, http) -> str:
    draft = store.new(body=BODY, purpose="to find a colleague", accounts=["work"])
    store.save(draft)
    out = await publish_draft(store, draft.id, {"work": await opener(fake, http)("work")})
    assert out["work"].status == "sent", out["work"].error
    return draft.id


async def test_edit_keeps_the_urn_and_escapes(fake, store, http) -> None:
    draft_id = await publish(store, fake, http)
    urn = store.load(draft_id).deliveries["work"].parts[0].id
    draft = store.load(draft_id)
    draft.body = BODY.replace("(part time)", "(part time, #libraries)")
    store.save(draft)
    out = await correct(store, store.load(draft_id), ["work"], opener(fake, http))
    assert out[0].ok, out[0].message
    post = fake.posts[urn]
    assert post["text"] == draft.body and post["truncated_at"] is None  # escaped: nothing cut at "("
    assert store.load(draft_id).deliveries["work"].parts[0].id == urn


async def test_delete_and_a_post_already_gone(fake, store, http) -> None:
    draft_id = await publish(store, fake, http)
    urn = store.load(draft_id).deliveries["work"].parts[0].id
    with fake.lock:
        del fake.posts[urn]  # deleted on LinkedIn by hand
    out = await withdraw(store, store.load(draft_id), ["work"], opener(fake, http))
    assert out[0].ok, out[0].message
    assert store.load(draft_id).deliveries["work"].status == "deleted"
    listing = await RepliesSession(store, ["work"], opener(fake, http)).load()
    assert "not available for LinkedIn" in listing.problems["work"]
