"""Images in the composer: F6 attaches a photo (path completion, then alt text), the list under the
editor shows and edits it, a missing alt text blocks publishing, and a publish carries both photos
with their alt text to the fake Mastodon and Bluesky servers."""

from __future__ import annotations

from composer.drafts import DraftStore
from composer.tui.screens.images import AttachImageModal, PathSuggester
from tests.images_helpers import assert_clean, photo
from tests.test_tui_support import build, config, fill, home_and_sky, running, until, wait_analysed

PURPOSE = "To show neighbours the renovated library"
BODY = "The library is open again after the renovation. Come and see the reading room!"
ROOM = "The reading room: oak tables, green lamps, tall windows."
DOOR = "The new red front door with a ramp beside the steps."


async def attach(pilot, app, path: str, alt: str, *, complete: bool = False) -> None:
    app.compose_screen.editor.focus()  # from the text (whose TextArea has an F6 of its own)
    await pilot.pause()
    await pilot.press("f6")
    await until(pilot, lambda: isinstance(app.screen, AttachImageModal), what="the attach dialog")
    modal = app.screen
    field = modal.query_one("#image-path")
    if complete:  # type the start of the name, take the completion with →
        field.value = path
        await until(pilot, lambda: bool(field._suggestion), what="a path suggestion")
        await pilot.press("right")
    else:
        field.value = path
    await pilot.press("enter")  # on to the alt text
    assert modal.query_one("#image-alt").has_focus
    modal.query_one("#image-alt").value = alt
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, AttachImageModal), what="the dialog to close")


async def test_path_suggester_completes_images_first(tmp_path) -> None:
    photo(tmp_path / "room.jpg", (64, 48))
    (tmp_path / "rooms").mkdir()
    (tmp_path / "room-notes.txt").write_text("x")
    suggest = PathSuggester()
    assert await suggest.get_suggestion(f"{tmp_path}/ro") == f"{tmp_path}/room.jpg"
    assert await suggest.get_suggestion(f"{tmp_path}/roomz") is None


async def test_attach_two_photos_and_publish_to_mastodon_and_bluesky(tmp_path) -> None:

    room = photo(tmp_path / "room.jpg", (2000, 1500), orientation=6)
    door = photo(tmp_path / "door.jpg", (900, 1200))
    with home_and_sky(tmp_path) as (app, mastodon, bluesky, _secrets):
        async with running(app, size=(140, 44)) as pilot:
            screen = app.compose_screen
            await fill(pilot, screen, PURPOSE, BODY)
            await pilot.click("#acct-0")
            await pilot.click("#acct-1")
            await attach(pilot, app, str(tmp_path / "roo"), ROOM, complete=True)
            # the second one first without alt text: the dialog will not take it
            await pilot.press("f6")
            await until(pilot, lambda: isinstance(app.screen, AttachImageModal))
            modal = app.screen
            modal.query_one("#image-path").value = str(door)
            await pilot.press("enter", "enter")
            assert isinstance(app.screen, AttachImageModal)
            assert "Alt text is required" in str(modal.query_one("#image-problem").render())
            modal.query_one("#image-alt").value = DOOR
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, AttachImageModal))

            images = screen.query_one("#images")
            assert not images.has_class("-empty")
            lines = [str(w.render()) for w in images.query(".image-line")]
            assert lines[0].startswith("room.jpg · ") and " MB · " in lines[0] and "The reading room" in lines[0]
            assert lines[1].startswith("door.jpg · ")
            assert [i.alt for i in app.draft.images] == [ROOM, DOOR]
            await wait_analysed(pilot, app)
            assert screen.analysis.images == 2
            assert "· 2 images" in str(screen.sidebar.query_one("#figures").render())
            assert not [f for f in screen.analysis.report.findings if f.category == "images"]

            await pilot.press("ctrl+j")
            await until(pilot, lambda: all("published" in screen.panel.status_of(n) for n in ("home", "sky")),
                        timeout=20, what="both posts")
        [status] = mastodon.posts("alice")
        assert [m["description"] for m in status["media_attachments"]] == [ROOM, DOOR]
        for media in mastodon.media.values():
            assert_clean(media["data"])
        [post] = bluesky.posts()
        sent = bluesky.images(post)
        assert [alt for alt, _, _ in sent] == [ROOM, DOOR]
        assert sent[0][2] == {"width": 1500, "height": 2000}  # the sideways photo stands upright
        saved = DraftStore(tmp_path / "data").load(app.draft.path or app.draft.id)
        assert [(i.path, i.alt) for i in saved.images] == [(str(room), ROOM), (str(door), DOOR)]


async def test_an_image_without_alt_text_blocks_publishing_and_can_be_fixed(tmp_path) -> None:
    from tests.test_tui_support import opener

    pic = photo(tmp_path / "hall.jpg", (320, 240))
    calls: list[str] = []
    app = build(tmp_path, config(("home", "mastodon"), undo=0.1), open_client=opener(calls=calls))
    async with running(app, size=(140, 44)) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, BODY)
        await pilot.click("#acct-0")
        from composer.drafts.model import ImageRef

        screen.draft_images.set([ImageRef(str(pic), "")])  # as a hand-written draft file may have it
        await wait_analysed(pilot, app)
        errors = [f for f in screen.analysis.report.errors if f.category == "images"]
        assert [f.rule for f in errors] == ["images.alt-missing"] and "hall.jpg" in errors[0].message
        line = str(screen.query_one("#image-line-0").render())
        assert "no alt text" in line
        await pilot.press("ctrl+j")
        await pilot.pause(0.3)
        assert calls == []  # nothing was opened, nothing sent
        await pilot.click("#image-edit-0")
        await until(pilot, lambda: isinstance(app.screen, AttachImageModal))
        app.screen.query_one("#image-alt").value = "The hall, empty, chairs stacked by the wall."
        app.screen.query_one("#image-ok").press()
        await until(pilot, lambda: not isinstance(app.screen, AttachImageModal))
        assert app.draft.images[0].alt.startswith("The hall")
        await wait_analysed(pilot, app)
        assert not [f for f in screen.analysis.report.errors if f.category == "images"]
        await pilot.click("#image-remove-0")
        await pilot.pause(0.1)
        assert app.draft.images == [] and screen.query_one("#images").has_class("-empty")
