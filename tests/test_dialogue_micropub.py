"""Corrections on a Micropub site (the fake site on 127.0.0.1): an update keeps the address, a delete
removes the post, and a delete whose answer was lost is finished by the retry, though the site
answers that retry 400."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.dialogue.correct import correct, withdraw
from composer.dialogue.replies import RepliesSession
from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, Secret
from composer.platforms.micropub import MicropubClient
from composer.publish import publish_draft
from tests.fakes.micropub import FakeMicropub

BODY = "Notes from the reading group: we start Middlemarch next week."


@pytest.fixture
def site():
    with FakeMicropub() as s:
        s.token = s.add_token(scope="create update delete")  # type: ignore[attr-defined]
        yield s


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


def opener(site: FakeMicropub, http, token: str | None = None):
    async def open_client(name: str) -> MicropubClient:
        return MicropubClient(AccountInfo(name, "micropub", server=site.url), Secret(token or site.token), http)

    return open_client


async def publish(store: DraftStore, site: FakeMicropub, http) -> str:
    draft = store.new(body=BODY, purpose="to share notes with the group", accounts=["blog"])
    store.save(draft)
    out = await publish_draft(store, draft.id, {"blog": await opener(site, http)("blog")})
    assert out["blog"].status == "sent", out["blog"].error
    return draft.id


async def test_update_keeps_the_address(site, store, http) -> None:
    draft_id = await publish(store, site, http)
    url = store.load(draft_id).deliveries["blog"].url
    draft = store.load(draft_id)
    draft.body = BODY.replace("next week", "on Monday")
    store.save(draft)
    out = await correct(store, store.load(draft_id), ["blog"], opener(site, http))
    assert out[0].ok, out[0].message
    assert [e["content"] for e in site.posts()] == [draft.body] and site.posts()[0]["url"] == url
    assert store.load(draft_id).deliveries["blog"].history[-1].action == "edited"


async def test_a_delete_whose_answer_was_lost_is_finished_by_the_retry(site, store, http) -> None:
    draft_id = await publish(store, site, http)
    site.inject("drop-after-commit", path="/micropub", method="POST")
    first = await withdraw(store, store.load(draft_id), ["blog"], opener(site, http))
    assert not first[0].ok and "Nothing was deleted" in first[0].message
    assert site.posts() == []  # it went through; the answer was lost
    assert store.load(draft_id).deliveries["blog"].status == "sent"
    again = await withdraw(store, store.load(draft_id), ["blog"], opener(site, http))
    assert again[0].ok, again[0].message  # the site answers 400; the post's page says 410 Gone
    assert store.load(draft_id).deliveries["blog"].status == "deleted"


async def test_a_400_for_a_post_still_there_is_a_refusal(site, store, http) -> None:
    draft_id = await publish(store, site, http)
    site.inject("status", path="/micropub", method="POST", status=400,
                body={"error": "invalid_request", "error_description": "Deleting is switched off"})
    out = await withdraw(store, store.load(draft_id), ["blog"], opener(site, http))
    assert not out[0].ok and "Deleting is switched off" in out[0].message
    assert len(site.posts()) == 1 and store.load(draft_id).deliveries["blog"].status == "sent"


async def test_a_token_without_the_delete_scope_says_so(site, store, http) -> None:
    draft_id = await publish(store, site, http)
    weak = site.add_token(scope="create")
    out = await withdraw(store, store.load(draft_id), ["blog"], opener(site, http, weak))
    assert not out[0].ok and "delete" in out[0].message and weak not in out[0].message
    assert len(site.posts()) == 1


async def test_replies_are_not_available_for_micropub(site, store, http) -> None:
    await publish(store, site, http)
    listing = await RepliesSession(store, ["blog"], opener(site, http)).load()
    assert listing.items == [] and "not available for Micropub" in listing.problems["blog"]
