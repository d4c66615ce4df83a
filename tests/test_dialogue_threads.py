"""The dialogue on Threads (the fake Graph API on 127.0.0.1): a post's conversation read and folded,
an answer published with reply_to_id, a thread of parts deleted, and the scopes said plainly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from composer.dialogue.correct import correct, withdraw
from composer.dialogue.replies import RepliesSession, new_answer
from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, Secret
from composer.platforms.threads import ThreadsClient
from composer.publish import publish_draft
from tests.fakes.threads import FakeThreads

TOKEN = "THAAdialogue0123456789abcdef"
SCOPES = "threads_basic threads_content_publish threads_manage_replies threads_read_replies threads_delete"
BODY = "Why our town library matters: it lends tools, seeds and time. Come by on Saturday."


@pytest.fixture
def fake():
    with FakeThreads() as server:
        server.add_user("alice", token=TOKEN, scopes=SCOPES)
        yield server


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


def opener(fake: FakeThreads, http, token: str = TOKEN):
    async def open_client(name: str) -> ThreadsClient:
        issued = datetime.now(UTC) - timedelta(hours=1)
        secret = Secret(json.dumps({"access_token": token, "issued_at": issued.isoformat(timespec="seconds"),
                                    "expires_at": (issued + timedelta(days=60)).isoformat(timespec="seconds")}))
        client = ThreadsClient(AccountInfo(name, "threads", server=fake.url, options={"user_id": fake.user("alice").id}),
                               secret, http)
        client.poll_delays = (0.01, 0.02)
        return client

    return open_client


async def publish(store: DraftStore, fake: FakeThreads, http, body: str = BODY) -> str:
    draft = store.new(body=body, purpose="to invite neighbours to the library", accounts=["th"])
    store.save(draft)
    out = await publish_draft(store, draft.id, {"th": await opener(fake, http)("th")})
    assert out["th"].status == "sent", out["th"].error
    return draft.id


async def test_replies_are_read_and_answered(fake, store, http) -> None:
    draft_id = await publish(store, fake, http)
    mine = store.load(draft_id).deliveries["th"].parts[0].id or ""
    bob = fake.say("bob", "Do you lend ladders too?", reply_to=mine)
    fake.say("carol", "what a load of shit", reply_to=bob["id"])
    listing = await RepliesSession(store, ["th"], opener(fake, http)).load()
    assert listing.problems == {}
    by = {i.reply.author: i for i in listing.items}
    assert set(by) == {"bob", "carol"}
    assert by["bob"].reasons == () and by["carol"].reasons == ("obscenity",)
    assert by["carol"].reply.in_reply_to == bob["id"] and by["carol"].post is not None
    answer = new_answer(store, by["bob"])
    answer.body = "Yes, two of them. Ask at the desk."
    store.save(answer)
    out = await publish_draft(store, answer.id, {"th": await opener(fake, http)("th")})
    assert out["th"].status == "sent", out["th"].error
    assert fake.media[out["th"].parts[0].id or ""]["reply_to"] == bob["id"]


async def test_deleting_a_thread_and_no_edit(fake, store, http) -> None:
    long = " ".join(["Every part of this thread says something about the town library and its tools."] * 10)
    draft_id = await publish(store, fake, http, long)
    parts = store.load(draft_id).deliveries["th"].parts
    assert len(parts) > 1
    draft = store.load(draft_id)
    draft.body = long.replace("town", "village")
    store.save(draft)
    refused = await correct(store, store.load(draft_id), ["th"], opener(fake, http))
    assert not refused[0].ok and "Threads has no edit" in refused[0].message
    out = await withdraw(store, store.load(draft_id), ["th"], opener(fake, http))
    assert out[0].ok, out[0].message
    assert fake.posts() == []
    assert store.load(draft_id).deliveries["th"].status == "deleted"


async def test_missing_scopes_are_said(fake, store, http) -> None:
    draft_id = await publish(store, fake, http)
    weak = fake.add_user("alice", token="THAAweak0123456789", scopes="threads_basic threads_content_publish")
    listing = await RepliesSession(store, ["th"], opener(fake, http, weak)).load()
    assert "threads_read_replies" in listing.problems["th"]
    out = await withdraw(store, store.load(draft_id), ["th"], opener(fake, http, weak))
    assert not out[0].ok and "threads_delete" in out[0].message and len(fake.posts()) == 1
