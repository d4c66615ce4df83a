"""What the dialogue adds to drafts and the publish gate: `reply_to` in the front matter, the
`deleted` delivery and its history, the reply ref, and the gate for answers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from composer import registry
from composer.drafts import Delivery, DraftStore
from composer.drafts.model import Correction, make_ref, split_ref
from composer.platforms.base import NotAvailable, PartRecord, PlatformClient, Reply


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


def test_reply_to_and_history_round_trip(store: DraftStore) -> None:
    draft = store.new(body="@bob thanks, fixed.", purpose="to answer a reader's question")
    draft.reply_to = make_ref("social", "10987")
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    d = Delivery(account="social", status="sent", parts=[PartRecord("k", "d", id="1", url="https://s/1")])
    d.edited([PartRecord("k", "d2", id="1", url="https://s/1")], before="old text", at=when)
    d.deleted(at=when, note="withdrawn by the writer")
    draft.deliveries["social"] = d
    path = store.save(draft)
    text = path.read_text()
    assert 'reply_to = "social:10987"' in text
    assert "[[deliveries.social.history]]" in text
    back = store.load(draft.id)
    assert back == draft
    assert back.reply_to == "social:10987"
    assert [c.action for c in back.deliveries["social"].history] == ["edited", "deleted"]
    assert back.deliveries["social"].history[0].text == "old text"
    assert back.status == "withdrawn"


def test_reset_keeps_the_history() -> None:
    d = Delivery(account="a", status="deleted", history=[Correction("deleted", datetime(2030, 1, 1, tzinfo=UTC))])
    d.reset()
    assert d.status == "pending" and len(d.history) == 1


@pytest.mark.parametrize(("ref", "want"), [
    ("social:10987", ("social", "10987")),
    ("sky:at://did:plc:abc/app.bsky.feed.post/3k", ("sky", "at://did:plc:abc/app.bsky.feed.post/3k")),
    ("nocolon", None),
    (":1", None),
    ("a:", None),
])
def test_split_ref(ref: str, want: tuple[str, str] | None) -> None:
    assert split_ref(ref) == want


def test_reply_cleaned_strips_escapes() -> None:
    r = Reply(id="1", author="bob\x1b[31m", text="hi\x1b]0;title\x07 there\nline", created_at="2030")
    c = r.cleaned()
    assert c.author == "bob" and c.text == "hi there\nline"


def test_capabilities_have_defaults_of_no() -> None:
    caps = registry.Capabilities(threads=False)
    assert (caps.replies, caps.reply_mention, caps.delete, caps.edit) == (False, False, False, False)


def test_a_client_without_the_hooks_says_not_available() -> None:
    import asyncio

    class Plain(PlatformClient):
        platform = "x"

    from composer.platforms.base import AccountInfo, Secret

    client = Plain(AccountInfo("a", "x"), Secret("s"), None)  # type: ignore[arg-type]
    for call in (client.replies(PartRecord("k", "d", id="1")), client.mentions(),
                 client.delete_post(PartRecord("k", "d", id="1"))):
        with pytest.raises(NotAvailable):
            asyncio.run(call)


def test_every_capability_has_its_hook() -> None:
    """A platform that says it can read replies, delete or edit has a client that does it."""
    from composer.platforms import client_class

    for entry in registry.publishable():
        cls = client_class(entry.name)
        caps = entry.capabilities
        assert (cls.replies is not PlatformClient.replies) == caps.replies, entry.name
        assert (cls.delete_post is not PlatformClient.delete_post) == caps.delete, entry.name
        assert (cls.edit_post is not PlatformClient.edit_post) == caps.edit, entry.name
        if caps.reply_mention:
            assert caps.replies, entry.name


def test_mentions_of_two_accounts_are_two_groups() -> None:
    from composer.dialogue.replies import Item, Listing

    items = [Item("a", "mastodon", Reply(id="1", author="x", text="hi", created_at="2030"), None),
             Item("b", "mastodon", Reply(id="2", author="y", text="hi", created_at="2030"), None)]
    groups = Listing(items=items).groups()
    assert [[i.account for i in members] for _, members in groups] == [["a"], ["b"]]
