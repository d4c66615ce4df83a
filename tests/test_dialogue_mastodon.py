"""The dialogue against the fake Mastodon (a real HTTP server on 127.0.0.1): replies read and folded,
an answer published as a reply, a second listing without duplicates, a thread deleted and recorded,
an edit that keeps the post's id."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.dialogue.correct import correct, withdraw, withdrawal_plan
from composer.dialogue.replies import RepliesSession, new_answer
from composer.dialogue.seen import SeenStore
from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, AuthError, Secret
from composer.platforms.mastodon import MastodonClient
from composer.publish import check_publish, publish_draft
from tests.fakes.mastodon import FakeMastodon

TOKEN = "tok-DIALOGUE-5f1e2d3c4b"
BODY = "The reading group meets on Thursday at the library, 7 pm. Bring the book if you have it."
OBSCENE = "This is fucking useless, you absolute shit."
DOXX = "She lives at 12 Elm Street, Springfield, call her on +1 415 555 2671."


@pytest.fixture
def server():
    with FakeMastodon() as m:
        m.add_account("alice", token=TOKEN)
        yield m


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


def opener(server: FakeMastodon, http, token: str = TOKEN):
    async def open_client(name: str) -> MastodonClient:
        return MastodonClient(AccountInfo(name, "mastodon", server=server.url), Secret(token), http)

    return open_client


async def publish(store: DraftStore, server: FakeMastodon, http, body: str = BODY, **fields) -> str:
    draft = store.new(body=body, purpose="to tell friends about the reading group", accounts=["social"])
    for k, v in fields.items():
        setattr(draft, k, v)
    store.save(draft)
    out = await publish_draft(store, draft.id, {"social": await opener(server, http)("social")})
    assert out["social"].status == "sent", out["social"].error
    return draft.id


async def test_replies_are_listed_folded_and_not_repeated(server, store, http, tmp_path) -> None:
    draft_id = await publish(store, server, http)
    mine = store.load(draft_id).deliveries["social"].parts[0].id
    server.say("bob", "@alice Which book is it this month?", in_reply_to=mine)
    server.say("carol", f"@alice {OBSCENE}", in_reply_to=mine)
    server.say("dave", f"@alice {DOXX}", in_reply_to=mine)
    server.say("erin", "@alice are you coming to the fair?")  # a mention, not a reply
    session = RepliesSession(store, ["social"], opener(server, http), seen=SeenStore(tmp_path / "data"))
    listing = await session.load()
    assert listing.problems == {}
    by_author = {i.reply.author.split("@")[0]: i for i in listing.items}
    assert set(by_author) == {"bob", "carol", "dave", "erin"}  # each once, though met twice
    assert by_author["bob"].reasons == () and by_author["bob"].post is not None
    assert by_author["bob"].post.draft_id == draft_id
    assert by_author["carol"].reasons == ("obscenity",)
    assert by_author["dave"].reasons == ("personal-info",)
    assert "Elm" not in by_author["dave"].folded_line() and "fucking" not in by_author["carol"].folded_line()
    assert by_author["erin"].post is None and by_author["erin"].reply.kind == "mention"
    # Grouped by post: the three replies to the post together, oldest first.
    authors = [i.reply.author.split("@")[0] for i in listing.items]
    assert authors.index("bob") < authors.index("carol") < authors.index("dave")
    assert by_author["bob"].to_json()["ref"] == f"social:{by_author['bob'].reply.id}"
    # Cached for the session: a second look asks nothing.
    asked = len(server.requests())
    await session.load()
    assert len(server.requests()) == asked
    # Seen: the next listing (a new session) shows them as seen, and only new ones as unread.
    session.mark_seen(listing.items)
    server.say("frank", "@alice See you there!", in_reply_to=mine)
    again = await RepliesSession(store, ["social"], opener(server, http), seen=SeenStore(tmp_path / "data")).load()
    assert [i.reply.author.split("@")[0] for i in again.unread] == ["frank"]
    assert len(again.items) == len({i.key for i in again.items}) == 5


async def test_an_answer_goes_out_as_a_reply_with_the_mention(server, store, http, tmp_path) -> None:
    draft_id = await publish(store, server, http)
    mine = store.load(draft_id).deliveries["social"].parts[0].id
    bobs = server.say("bob", "@alice Which book is it this month?", in_reply_to=mine)
    listing = await RepliesSession(store, ["social"], opener(server, http)).load()
    item = next(i for i in listing.items if i.reply.author.startswith("bob"))
    answer = new_answer(store, item)
    back = store.load(answer.id)
    assert back.reply_to == f"social:{bobs['id']}"
    assert back.accounts == ["social"]
    assert back.body.startswith("@bob@127.0.0.1 ")
    back.body += "Middlemarch, chapters 1 to 10."
    store.save(back)
    out = await publish_draft(store, answer.id, {"social": await opener(server, http)("social")})
    assert out["social"].status == "sent"
    sent = server.statuses[out["social"].parts[0].id]
    assert sent["in_reply_to_id"] == bobs["id"]
    assert any(n["account_id"] == server.account("bob").id for n in server.notifications)


def test_the_gate_keeps_an_answer_to_its_account(store) -> None:
    from composer.config.model import AccountConfig, Config

    config = Config(accounts={n: AccountConfig(name=n, platform="mastodon", server="https://a.example")
                              for n in ("social", "other")})
    draft = store.new(body="@bob thanks!", purpose="to answer a reader's question")
    draft.reply_to = "social:123"
    check = check_publish(draft, ["social", "other"], config)
    assert check.blocker == "reply-elsewhere" and "other" in check.message
    assert check_publish(draft, ["social"], config).blocker is None


async def test_deleting_a_thread_removes_every_part_and_records_it(server, store, http) -> None:
    long = " ".join(["Every part of this thread says something about the reading group."] * 20)
    draft_id = await publish(store, server, http, body=long)
    draft = store.load(draft_id)
    parts = draft.deliveries["social"].parts
    assert len(parts) > 1 and all(p.id in server.statuses for p in parts)
    plan = withdrawal_plan(draft, ["social"])
    assert plan == [f"social: a thread of {len(parts)} parts, {draft.deliveries['social'].url}"]
    out = await withdraw(store, draft, ["social"], opener(server, http))
    assert out[0].ok, out[0].message
    assert not any(p.id in server.statuses for p in parts)
    after = store.load(draft_id).deliveries["social"]
    assert after.status == "deleted"
    assert after.history[-1].action == "deleted" and after.history[-1].ids == [p.id for p in parts]
    deleted = [r.path.rsplit("/", 1)[1] for r in server.requests("DELETE")]
    assert deleted == [p.id for p in reversed(parts)]  # the last part first
    assert store.load(draft_id).status == "withdrawn"
    # Deleting again finds nothing published; publishing again makes a new post with new keys.
    again = await publish_draft(store, draft_id, {"social": await opener(server, http)("social")})
    assert again["social"].status == "sent" and again["social"].parts[0].id not in {p.id for p in parts}
    assert store.load(draft_id).deliveries["social"].history[-1].action == "deleted"


async def test_editing_keeps_the_id(server, store, http) -> None:
    draft_id = await publish(store, server, http)
    draft = store.load(draft_id)
    before = draft.deliveries["social"].parts[0]
    draft.body = BODY.replace("Thursday", "Friday")
    store.save(draft)
    out = await correct(store, store.load(draft_id), ["social"], opener(server, http))
    assert out[0].ok, out[0].message
    status = server.statuses[before.id]
    assert status["text"] == draft.body and status["edited_at"]
    after = store.load(draft_id).deliveries["social"]
    assert after.parts[0].id == before.id and after.parts[0].digest != before.digest
    assert after.history[-1].action == "edited"
    assert len(server.posts()) == 1
    # Unchanged text: nothing is sent.
    n = len(server.requests("PUT"))
    again = await correct(store, store.load(draft_id), ["social"], opener(server, http))
    assert again[0].ok and "unchanged" in again[0].message and len(server.requests("PUT")) == n


async def test_a_token_without_the_read_scopes_is_told_to_renew(server, store, http) -> None:
    await publish(store, server, http)
    weak = server.add_account("alice", token="tok-ONLY-WRITE-77aa11", scopes="read:accounts write:statuses")
    listing = await RepliesSession(store, ["social"], opener(server, http, weak)).load()
    assert "read:statuses" in listing.problems["social"] or "read:notifications" in listing.problems["social"]
    assert "humane accounts add social" in listing.problems["social"]
    assert "tok-ONLY-WRITE" not in listing.problems["social"]
    assert AuthError.kind == "auth"


async def test_an_answer_to_a_reply_that_is_gone_says_so(server, store, http) -> None:
    draft_id = await publish(store, server, http)
    mine = store.load(draft_id).deliveries["social"].parts[0].id
    bob = server.say("bob", "@alice Which book?", in_reply_to=mine)
    answer = store.new(body="@bob@127.0.0.1 Middlemarch.", purpose="to answer a reader's question", accounts=["social"])
    answer.reply_to = f"social:{bob['id']}"
    store.save(answer)
    server.delete(bob["id"])
    out = await publish_draft(store, answer.id, {"social": await opener(server, http)("social")})
    assert out["social"].status == "failed" and "The post this draft answers is gone" in (out["social"].error or "")
    assert len(server.posts("alice")) == 1


async def test_editing_a_thread_that_grows_or_shrinks_keeps_what_it_can(server, store, http) -> None:
    sentence = "Every part of this thread says something about the reading group and its books."
    draft_id = await publish(store, server, http, body=" ".join([sentence] * 8))
    before = store.load(draft_id).deliveries["social"].parts
    assert len(before) == 2
    # Longer: the two parts keep their ids, the new ones answer the last.
    draft = store.load(draft_id)
    draft.body = " ".join([sentence] * 16)
    store.save(draft)
    out = await correct(store, store.load(draft_id), ["social"], opener(server, http))
    assert out[0].ok, out[0].message
    grown = store.load(draft_id).deliveries["social"].parts
    assert len(grown) > 2 and [p.id for p in grown[:2]] == [p.id for p in before]
    for previous, part in zip(grown, grown[1:]):
        assert server.statuses[part.id]["in_reply_to_id"] == previous.id
    assert "new part(s) added" in out[0].message
    # Shorter: the parts it no longer has are deleted; the first keeps its id.
    draft = store.load(draft_id)
    draft.body = sentence
    store.save(draft)
    out = await correct(store, store.load(draft_id), ["social"], opener(server, http))
    assert out[0].ok, out[0].message
    shrunk = store.load(draft_id).deliveries["social"].parts
    assert [p.id for p in shrunk] == [before[0].id]
    assert [s["id"] for s in server.posts("alice")] == [before[0].id]
    assert server.statuses[before[0].id]["text"] == sentence
    assert [c.action for c in store.load(draft_id).deliveries["social"].history] == ["edited", "edited"]


async def test_a_post_with_images_is_corrected_without_its_images_line(server, store, http, tmp_path) -> None:
    # dialogue x images: a correction splits like publishing (the `[images]` line is never sent), and a
    # post whose text and images are as published is "unchanged" (its records' digests hold the images).
    from PIL import Image as PILImage

    from composer.drafts.model import ImageRef

    photo = tmp_path / "room.png"
    PILImage.new("RGB", (64, 48), (30, 90, 60)).save(photo)
    body = "The reading room is open again.\n[images]\nCome and see it on Thursday."
    draft_id = await publish(store, server, http, body=body,
                             images=[ImageRef(str(photo), "The reading room: oak tables, green lamps.")])
    before = store.load(draft_id).deliveries["social"].parts[0]
    assert "[images]" not in server.statuses[before.id]["text"] and server.statuses[before.id]["media_attachments"]
    n = len(server.requests("PUT"))
    same = await correct(store, store.load(draft_id), ["social"], opener(server, http))
    assert same[0].ok and "unchanged" in same[0].message and len(server.requests("PUT")) == n
    draft = store.load(draft_id)
    draft.body = body.replace("Thursday", "Friday")
    store.save(draft)
    out = await correct(store, store.load(draft_id), ["social"], opener(server, http))
    assert out[0].ok, out[0].message
    status = server.statuses[before.id]
    assert "Friday" in status["text"] and "[images]" not in status["text"]
