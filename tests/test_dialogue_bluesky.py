"""The dialogue against the fake Bluesky PDS and its app view (127.0.0.1): replies through
getPostThread and listNotifications, an answer with the right root and parent, a thread deleted
with deleteRecord, a correction as delete-and-repost, and a PDS without an app view said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.dialogue.correct import correct, withdraw
from composer.dialogue.replies import RepliesSession, new_answer
from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, Secret
from composer.platforms.bluesky import BlueskyClient
from composer.publish import publish_draft
from tests.fakes.bluesky import FakeBluesky

APP_PW = "abcd-efgh-ijkl-mnop"
BODY = "The reading group meets on Thursday at the library, 7 pm. Bring the book if you have it."
HATE = "Go back where you came from, you filthy kike."


@pytest.fixture
def fake():
    with FakeBluesky() as server:
        server.add_account("alice.test", "main", app_password=APP_PW)
        yield server


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


def opener(fake: FakeBluesky, http):
    async def open_client(name: str) -> BlueskyClient:
        return BlueskyClient(AccountInfo(name, "bluesky", server=fake.url, handle="alice.test"), Secret(APP_PW), http)

    return open_client


async def publish(store: DraftStore, fake: FakeBluesky, http, body: str = BODY) -> str:
    draft = store.new(body=body, purpose="to tell friends about the reading group", accounts=["sky"])
    store.save(draft)
    out = await publish_draft(store, draft.id, {"sky": await opener(fake, http)("sky")})
    assert out["sky"].status == "sent", out["sky"].error
    return draft.id


async def test_replies_are_read_folded_and_answered_in_the_right_thread(fake, store, http) -> None:
    draft_id = await publish(store, fake, http)
    mine = store.load(draft_id).deliveries["sky"].parts[0].id
    bob = fake.say("bob.test", "Which book is it this month?", reply_to=mine)
    fake.say("carol.test", HATE, reply_to=mine)
    fake.say("dan.test", "@alice.test are you coming to the fair?")
    nested = fake.say("erin.test", "I'd like to know too", reply_to=bob.uri)
    listing = await RepliesSession(store, ["sky"], opener(fake, http)).load()
    assert listing.problems == {}
    by = {i.reply.author: i for i in listing.items}
    assert set(by) == {"bob.test", "carol.test", "dan.test", "erin.test"}
    assert by["carol.test"].reasons == ("hate",) and "kike" not in by["carol.test"].folded_line()
    assert by["bob.test"].post is not None and by["bob.test"].post.draft_id == draft_id
    assert by["erin.test"].post is not None and by["erin.test"].reply.in_reply_to == bob.uri
    assert by["dan.test"].post is None and by["dan.test"].reply.kind == "mention"
    assert by["bob.test"].reply.url == f"https://bsky.app/profile/bob.test/post/{bob.rkey}"
    # Answer erin, whose reply hangs under bob's: root is the writer's post, parent is erin's.
    answer = new_answer(store, by["erin.test"])
    assert answer.body == "" and answer.reply_to == f"sky:{nested.uri}"  # Bluesky needs no mention
    answer.body = "Middlemarch, chapters 1 to 10."
    store.save(answer)
    out = await publish_draft(store, answer.id, {"sky": await opener(fake, http)("sky")})
    assert out["sky"].status == "sent", out["sky"].error
    sent = fake._by_uri(out["sky"].parts[0].id or "")
    assert sent is not None
    assert sent.value["reply"]["parent"] == {"uri": nested.uri, "cid": nested.cid}
    assert sent.value["reply"]["root"]["uri"] == mine


async def test_deleting_a_thread_removes_every_record(fake, store, http) -> None:
    long = " ".join(["Every part of this thread says something about the reading group."] * 8)
    draft_id = await publish(store, fake, http, long)
    parts = store.load(draft_id).deliveries["sky"].parts
    assert len(parts) > 1 and len(fake.posts()) == len(parts)
    out = await withdraw(store, store.load(draft_id), ["sky"], opener(fake, http))
    assert out[0].ok, out[0].message
    assert fake.posts() == []
    d = store.load(draft_id).deliveries["sky"]
    assert d.status == "deleted" and d.history[-1].ids == [p.id for p in parts]


async def test_a_correction_is_delete_and_repost_only_when_asked(fake, store, http) -> None:
    draft_id = await publish(store, fake, http)
    draft = store.load(draft_id)
    old = draft.deliveries["sky"].parts[0].id
    draft.body = BODY.replace("Thursday", "Friday")
    store.save(draft)
    refused = await correct(store, store.load(draft_id), ["sky"], opener(fake, http))
    assert not refused[0].ok and "Bluesky has no edit" in refused[0].message and "detached" in refused[0].message
    assert [p.uri for p in fake.posts()] == [old]
    done = await correct(store, store.load(draft_id), ["sky"], opener(fake, http), repost=True)
    assert done[0].ok, done[0].message
    assert [p.value["text"] for p in fake.posts()] == [draft.body]
    d = store.load(draft_id).deliveries["sky"]
    assert d.status == "sent" and d.parts[0].id != old and d.history[-1].action == "deleted"


async def test_a_pds_without_an_app_view_says_so(store, http) -> None:
    with FakeBluesky(appview=False) as fake:
        fake.add_account("alice.test", "main", app_password=APP_PW)
        await publish(store, fake, http)
        listing = await RepliesSession(store, ["sky"], opener(fake, http)).load()
    assert listing.items == []
    assert "no app view" in listing.problems["sky"]


async def test_mentions_since_a_time_leave_older_ones_out(fake, store, http) -> None:
    from datetime import UTC, datetime, timedelta

    client = await opener(fake, http)("sky")
    fake.say("dan.test", "@alice.test are you coming to the fair?")
    assert [r.author for r in await client.mentions()] == ["dan.test"]
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert await client.mentions(later) == []
