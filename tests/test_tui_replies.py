"""The replies screen (F5) and the composer's delete and correct actions, with Pilot, keyboard only,
against the fake Mastodon server (the real client over HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, Secret
from composer.platforms.http import new_http_client
from composer.platforms.mastodon import MastodonClient
from composer.publish import publish_draft
from composer.tui.screens.dialogs import ConfirmModal
from composer.tui.screens.replies import RepliesScreen
from tests.fakes.mastodon import FakeMastodon
from tests.test_tui_support import build, config, running, until

BODY = "The street fair is on Saturday from noon on Elm Street, with stalls and music."
PURPOSE = "To tell my neighbours about the street fair"
DOXX = "Her home is 12 Elm Street, Springfield; call her on +1 415 555 2671."


@pytest.fixture
def mastodon():
    with FakeMastodon() as server:
        server.token = server.add_account("alice")  # type: ignore[attr-defined]
        yield server


def opener(server: FakeMastodon):
    async def open_client(name, *, config=None):
        return MastodonClient(AccountInfo(name, "mastodon", server=server.url), Secret(server.token), new_http_client())

    return open_client


async def published(tmp_path: Path, server: FakeMastodon) -> tuple[str, str]:
    store = DraftStore(tmp_path / "data")
    draft = store.new(body=BODY, purpose=PURPOSE, accounts=["home"])
    store.save(draft)
    async with new_http_client() as http:
        client = MastodonClient(AccountInfo("home", "mastodon", server=server.url), Secret(server.token), http)
        out = await publish_draft(store, draft.id, {"home": client})
    return draft.id, out["home"].parts[0].id or ""


def shown(screen: RepliesScreen) -> str:
    options = screen.query_one("#replies-list")
    return "\n".join(str(o.prompt) for o in options.options)


async def test_replies_screen_move_open_folded_and_answer(tmp_path, mastodon) -> None:
    _, mine = await published(tmp_path, mastodon)
    bob = mastodon.say("bob", "@alice Is there parking nearby?", in_reply_to=mine)
    mastodon.say("dave", f"@alice {DOXX}", in_reply_to=mine)
    app = build(tmp_path, config(("home", "mastodon"), undo=0.1), open_client=opener(mastodon))
    async with running(app) as pilot:
        await pilot.press("f5")
        screen = await until(pilot, lambda: isinstance(app.screen, RepliesScreen) and app.screen, what="the screen")
        await until(pilot, lambda: screen.listing is not None, what="the replies", timeout=10)
        text = shown(screen)
        assert "Is there parking nearby?" in text and "On “The street fair" in text
        assert "Folded: a reply from dave@127.0.0.1 with someone's personal information." in text
        assert "Elm Street, Springfield" not in text and "555" not in text
        assert "2 new" in str(screen.query_one("#replies-status").render())
        # Down to dave's folded reply; Enter opens it; Enter again folds it back.
        assert screen.current() is not None and screen.current().reply.author.startswith("bob")
        await pilot.press("down")
        assert screen.current().reply.author.startswith("dave")
        await pilot.press("enter")
        assert "Springfield" in shown(screen)
        await pilot.press("enter")
        assert "Springfield" not in shown(screen)
        # Up to bob's, R answers it: a new draft with reply_to, the mention, and the notice.
        await pilot.press("up", "r")
        await until(pilot, lambda: app.screen is app.compose_screen and app.draft.reply_to, what="the answer")
        assert app.draft.reply_to == f"home:{bob['id']}"
        assert app.compose_screen.editor.text == "@bob@127.0.0.1 "
        assert "Answering @bob@127.0.0.1 on home" in app.compose_screen.panel.notice
        app.compose_screen.editor.insert("Yes, behind the library.")
        await pilot.pause()
        await pilot.press("ctrl+j")
        await until(pilot, lambda: "published" in app.compose_screen.panel.status_of("home"), timeout=10,
                    what="the answer published")
        sent = mastodon.posts("alice")[-1]
        assert sent["in_reply_to_id"] == bob["id"] and "behind the library" in sent["text"]
        # The servers were asked once for this session; F5 on the screen asks again.
        asked = len(mastodon.requests("GET", r"/api/v1/notifications"))
        await pilot.press("f5")
        screen = await until(pilot, lambda: isinstance(app.screen, RepliesScreen) and app.screen, what="the screen")
        await until(pilot, lambda: screen.listing is not None, what="the replies")
        assert len(mastodon.requests("GET", r"/api/v1/notifications")) == asked
        assert "Nothing new" in str(screen.query_one("#replies-status").render())
        await pilot.press("f5")
        await until(pilot, lambda: len(mastodon.requests("GET", r"/api/v1/notifications")) == asked + 1,
                    what="asking again")


async def test_delete_from_the_composer_asks_then_withdraws(tmp_path, mastodon) -> None:
    draft_id, mine = await published(tmp_path, mastodon)
    app = build(tmp_path, config(("home", "mastodon")), open_client=opener(mastodon))
    async with running(app) as pilot:
        app.open_draft(app.store.load(draft_id))
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        await commands["Delete the published post"].callback()
        modal = await until(pilot, lambda: isinstance(app.screen, ConfirmModal) and app.screen, what="the question")
        await until(pilot, lambda: modal.query("#confirm-text"), what="the question's text")
        assert "This deletes:" in str(modal.query_one("#confirm-text").render())
        await pilot.press("n")  # no: nothing happens
        assert mine in mastodon.statuses
        await commands["Delete the published post"].callback()
        modal = await until(pilot, lambda: isinstance(app.screen, ConfirmModal) and app.screen, what="the question")
        await until(pilot, lambda: modal.query("#confirm-text"), what="the question's text")
        await pilot.press("y")
        await until(pilot, lambda: mine not in mastodon.statuses, what="the deletion", timeout=10)
        await until(pilot, lambda: "withdrawn" in app.compose_screen.panel.status_of("home"), what="the panel")
        assert app.store.load(draft_id).deliveries["home"].status == "deleted"


async def test_correct_from_the_composer_edits_in_place(tmp_path, mastodon) -> None:
    draft_id, mine = await published(tmp_path, mastodon)
    app = build(tmp_path, config(("home", "mastodon")), open_client=opener(mastodon))
    async with running(app) as pilot:
        app.open_draft(app.store.load(draft_id))
        await pilot.pause()
        screen = app.compose_screen
        screen.editor.load_text(BODY.replace("Saturday", "Sunday"))
        app.draft_changed(body=screen.editor.text)
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        await commands["Publish the correction"].callback()
        await until(pilot, lambda: "Sunday" in mastodon.statuses[mine]["text"], what="the edit", timeout=10)
        assert len(mastodon.posts("alice")) == 1
        d = app.store.load(draft_id).deliveries["home"]
        await until(pilot, lambda: app.store.load(draft_id).deliveries["home"].history, what="the record")
        d = app.store.load(draft_id).deliveries["home"]
        assert d.parts[0].id == mine and d.history[-1].action == "edited"
