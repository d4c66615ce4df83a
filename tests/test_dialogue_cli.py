"""`humane replies`, `humane delete` and `humane edit`: the installed command against the fake
Mastodon and Bluesky servers on 127.0.0.1, with the accounts' secrets in a real Secret Service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from composer.drafts import DraftStore
from tests.command import humane, mastodon_and_bluesky
from tests.fakes.mastodon import FakeMastodon
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)

TOKEN = "tok-REPLIES-CLI-3c9d0e1f2a"
APP_PASSWORD = "wxyz-abcd-efgh-ijkl"
PURPOSE = "to tell friends about the reading group"
BODY = "The reading group meets on Thursday at the library, 7 pm. Bring the book if you have it."
DOXX = "She lives at 12 Elm Street, Springfield, call her on +1 415 555 2671."

pytestmark = pytest.mark.keyring


@pytest.fixture
def servers(keyring_env):
    with mastodon_and_bluesky(TOKEN, APP_PASSWORD) as servers:
        yield servers


def published(mastodon: FakeMastodon, body: str = BODY, *to: str) -> tuple[Path, str]:
    store = DraftStore()
    draft = store.new(body=body, purpose=PURPOSE)
    path = store.save(draft)
    r = humane("post", str(path), "--to", *(to or ("masto",)))
    assert r.returncode == 0, r.stdout + r.stderr
    return path, store.load(path).deliveries[(to or ("masto",))[0]].parts[0].id or ""


def test_replies_text_folds_and_a_second_listing_shows_nothing_new(servers) -> None:
    mastodon, _ = servers
    _, mine = published(mastodon)
    mastodon.say("bob", "@alice Which book is it this month?", in_reply_to=mine)
    dave = mastodon.say("dave", f"@alice {DOXX}", in_reply_to=mine)
    r = humane("replies", "--account", "masto")
    assert r.returncode == 0, r.stderr
    assert "Which book is it this month?" in r.stdout
    assert "Folded: a reply from dave@127.0.0.1 with someone's personal information." in r.stdout
    assert "Elm Street" not in r.stdout and "555" not in r.stdout
    assert "likes" not in r.stdout.lower() and "followers" not in r.stdout.lower()
    assert r.stdout.index("bob@") < r.stdout.index("dave@")  # oldest first
    again = humane("replies", "--account", "masto")
    assert again.returncode == 0 and "No new replies." in again.stdout and "bob@" not in again.stdout
    # Opened on request only.
    ref = f"masto:{dave['id']}"
    opened = humane("replies", "--account", "masto", "--all", "--open", ref)
    assert "Elm Street" in opened.stdout and opened.stdout.count("Which book") == 1


def test_replies_json(servers) -> None:
    mastodon, _ = servers
    _, mine = published(mastodon)
    bob = mastodon.say("bob", "@alice Which book is it this month?", in_reply_to=mine)
    mastodon.say("carol", "@alice you shithead", in_reply_to=mine)
    r = humane("replies", "--format", "json")
    assert r.returncode == 0, r.stderr  # both accounts read (the Bluesky one has no replies)
    data = json.loads(r.stdout)
    assert [d["author"].split("@")[0] for d in data] == ["bob", "carol"]
    first = data[0]
    for key in ("url", "author", "text", "created_at", "folded", "reasons", "ref", "in_reply_to"):
        assert key in first
    assert first["ref"] == f"masto:{bob['id']}" and first["folded"] is False and first["reasons"] == []
    assert first["in_reply_to"]["id"] == mine
    assert data[1]["folded"] is True and data[1]["reasons"] == ["obscenity"]


def test_answer_with_reply_to_is_published_as_a_reply(servers) -> None:
    mastodon, _ = servers
    _, mine = published(mastodon)
    bob = mastodon.say("bob", "@alice Which book is it this month?", in_reply_to=mine)
    started = humane("replies", "--answer", f"masto:{bob['id']}")
    assert started.returncode == 0, started.stderr
    path = Path(started.stdout.strip())
    store = DraftStore()
    answer = store.load(path)
    assert answer.reply_to == f"masto:{bob['id']}" and answer.body == "@bob@127.0.0.1 "
    assert answer.purpose == "to answer a reader's question"
    answer.body += "Middlemarch, chapters 1 to 10."
    store.save(answer)
    r = humane("post", str(path), "--to", "masto")
    assert r.returncode == 0, r.stdout + r.stderr
    sent = mastodon.posts("alice")[-1]
    assert sent["in_reply_to_id"] == bob["id"]
    # Not to another account: an answer belongs where the reply is.
    other = humane("post", str(path), "--to", "sky")
    assert other.returncode == 2 and "answers a reply on masto" in other.stderr


def test_delete_asks_then_withdraws_the_thread_and_records_it(servers) -> None:
    mastodon, _ = servers
    long = " ".join(["Every part of this thread says something about the reading group."] * 20)
    path, _ = published(mastodon, long)
    n = len(mastodon.posts("alice"))
    assert n > 1
    no = humane("delete", str(path), input="n\n")
    assert no.returncode == 1 and "This deletes:" in no.stdout and f"a thread of {n} parts" in no.stdout
    assert "Nothing was deleted." in no.stdout and len(mastodon.posts("alice")) == n
    yes = humane("delete", str(path), input="yes\n")
    assert yes.returncode == 0, yes.stdout + yes.stderr
    assert mastodon.posts("alice") == []
    d = DraftStore().load(path).deliveries["masto"]
    assert d.status == "deleted" and d.history[-1].action == "deleted" and len(d.history[-1].ids) == n
    assert "[[deliveries.masto.history]]" in path.read_text()
    again = humane("delete", str(path), "--yes")
    assert again.returncode == 2 and "nothing is published" in again.stderr


def test_edit_keeps_the_mastodon_id_and_refuses_bluesky_without_repost(servers) -> None:
    mastodon, bluesky = servers
    path, mine = published(mastodon, BODY, "masto", "sky")
    store = DraftStore()
    draft = store.load(path)
    old_sky = draft.deliveries["sky"].parts[0]
    draft.body = BODY.replace("Thursday", "Friday")
    store.save(draft)
    r = humane("edit", str(path))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "masto: edited in place" in r.stdout
    assert "sky: not corrected: Bluesky has no edit" in r.stdout and "--repost" in r.stdout
    assert mastodon.statuses[mine]["text"] == draft.body and len(mastodon.posts("alice")) == 1
    assert [p.value["text"] for p in bluesky.posts()] == [BODY]
    # --repost: deleted and published anew, after a warning about the replies.
    r = humane("edit", str(path), "--account", "sky", "--repost", input="y\n")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Their replies will be detached" in r.stdout
    assert [p.value["text"] for p in bluesky.posts()] == [draft.body]
    d = store.load(path).deliveries["sky"]
    assert d.status == "sent" and d.parts[0].id != old_sky.id
    assert [c.action for c in d.history] == ["deleted"] and "detached" in d.history[0].note


def test_drafts_show_says_what_was_deleted_and_what_a_draft_answers(servers) -> None:
    mastodon, _ = servers
    path, mine = published(mastodon)
    assert humane("delete", str(path), "--yes").returncode == 0
    shown = humane("drafts", "show", str(path))
    assert "masto: deleted" in shown.stdout and "    deleted " in shown.stdout and "withdrawn by the writer" in shown.stdout
    store = DraftStore()
    answer = store.new(body="@bob thanks", purpose="to answer a reader's question")
    answer.reply_to = f"masto:{mine}"
    store.save(answer)
    assert f"answers:   masto:{mine}" in humane("drafts", "show", answer.id).stdout


def test_bad_usage_is_one_line(servers) -> None:
    r = humane("replies", "--since", "last tuesday")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "2026-12-01" in r.stderr
    r = humane("replies", "--account", "nobody")
    assert r.returncode == 2 and "no account named 'nobody'" in r.stderr and "Traceback" not in r.stderr
    r = humane("delete", "no-such-draft", "--yes")
    assert r.returncode == 2 and "Traceback" not in r.stderr
