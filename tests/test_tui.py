"""The composer's main flows, driven through the real Textual app with Pilot."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tomli_w

from composer.analysis import LONG_DRAFT_CHARS
from composer.drafts import DraftStore
from composer.platforms.base import Rejected, TransientError
from composer.tui.screens.compose import ANALYSIS_DELAY
from composer.tui.spans import LineIndex
from tests.command import humane_command
from tests.test_tui_support import (
    SIZE,
    InProcessClient,
    build,
    categories,
    config,
    fill,
    home_and_sky,
    opener,
    running,
    type_text,
    until,
    wait_analysed,
)

BAIT = "You won't believe what happened next"
PURPOSE = "To tell my neighbours about the street fair"


async def test_typing_shows_findings_in_sidebar_and_text(tmp_path):
    app = build(tmp_path)
    async with running(app) as pilot:
        await type_text(pilot, BAIT + " CALL NOW!!!")
        screen = app.compose_screen
        # The checks wait for a pause in typing: nothing is shown for this text yet.
        assert screen.analysis is None or screen.analysis.text != screen.editor.text
        await wait_analysed(pilot, app)
        assert {"clickbait", "shouting", "purpose"} <= categories(app)
        kinds = {m.kind for m in screen.editor.marks}
        assert "clickbait" in kinds and "shouting" in kinds
        assert "purpose" not in kinds  # whole-post findings are not painted over the text
        listed = [str(o.prompt) for o in screen.sidebar.query_one("#findings").options]
        assert any(p.startswith("Clickbait") for p in listed)
        # The flagged words are styled in the rendered line.
        line = screen.editor.get_line(0)
        clickbait = next(m for m in screen.editor.marks if m.kind == "clickbait")
        assert any(span.start <= clickbait.start < span.end for span in line.spans)


async def test_choosing_a_finding_selects_its_span(tmp_path):
    app = build(tmp_path)
    async with running(app) as pilot:
        await type_text(pilot, "Hello.\nThen " + BAIT.lower() + ".")
        await wait_analysed(pilot, app)
        screen = app.compose_screen
        finding = next(f for f in screen.analysis.report.findings if f.category == "clickbait")
        findings_list = screen.sidebar.query_one("#findings")
        findings_list.focus()
        await pilot.pause()
        index = next(i for i, o in enumerate(findings_list.options) if o.id and screen.sidebar.findings[int(o.id[1:])] is finding)
        findings_list.highlighted = index
        await pilot.pause()
        explained = str(screen.sidebar.query_one("#at-cursor").render())
        assert "(selected)" in explained and finding.message[:30] in explained  # the list explains itself
        await pilot.press("enter")
        text = screen.editor.text
        where = LineIndex(text)
        assert screen.editor.selection.start == where.location(finding.start)
        assert screen.editor.selection.end == where.location(finding.end)
        assert screen.editor.has_focus
        assert screen.editor.selected_text == text[finding.start : finding.end]
        # The sidebar explains the finding under the cursor.
        at_cursor = screen.sidebar.query_one("#at-cursor")
        assert not at_cursor.has_class("hidden")
        assert "Clickbait" in str(at_cursor.render())


async def test_f8_walks_through_findings(tmp_path):
    app = build(tmp_path)
    async with running(app) as pilot:
        await type_text(pilot, "THIS IS HUGE. " + BAIT)
        await wait_analysed(pilot, app)
        screen = app.compose_screen
        screen.editor.move_cursor((0, 0))
        await pilot.press("f8")
        first = screen.editor.selected_text
        await pilot.press("f8")
        second = screen.editor.selected_text
        assert first and second and first != second


async def test_marks_follow_the_text_while_typing_before_them(tmp_path):
    app = build(tmp_path)
    async with running(app) as pilot:
        await type_text(pilot, "ok. " + BAIT)
        await wait_analysed(pilot, app)
        screen = app.compose_screen
        mark = next(m for m in screen.editor.marks if m.kind == "clickbait")
        flagged = screen.editor.text[mark.start : mark.end]
        screen.editor.move_cursor((0, 0))
        await type_text(pilot, "So ")
        moved = next(m for m in screen.editor.marks if m.kind == "clickbait")
        assert screen.editor.text[moved.start : moved.end] == flagged


async def test_missing_purpose_blocks_publish(tmp_path):
    calls: list[str] = []
    app = build(tmp_path, config(("home", "mastodon"), undo=30), open_client=opener(calls=calls))
    async with running(app) as pilot:
        screen = app.compose_screen
        screen.editor.insert("The street fair is on Saturday from noon on Elm Street.")
        assert screen.panel.checked == ["home"]  # the only account is ticked for a new draft
        await pilot.press("ctrl+j")
        await pilot.pause()
        notice = screen.panel.notice
        assert "Not published" in notice and "Purpose" in notice
        assert not screen.counting_down and not screen.publishing
        await pilot.pause(0.5)
        assert calls == [] and InProcessClient.sent == []
        # Stating a purpose unblocks it.
        screen.purpose.focus()
        screen.purpose.insert_text_at_cursor(PURPOSE)
        await wait_analysed(pilot, app)
        assert "Not published" not in screen.panel.notice
        await pilot.press("ctrl+j")
        assert screen.counting_down
        await pilot.press("escape")


async def test_publish_shows_each_accounts_result(tmp_path):
    # an undo window long enough to be seen on a loaded machine (0.3 s could pass before the first check)
    cfg = config(("home", "mastodon"), ("work", "mastodon"), ("sky", "bluesky"), undo=1.5)
    rejected = Rejected("The server refused the post: it is too long.", hint="Shorten it to 500 characters.")
    app = build(tmp_path, cfg, open_client=opener({"work": rejected}))
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, "The street fair is on Saturday from noon on Elm Street. Bring a chair.")
        for aid in ("#acct-0", "#acct-1", "#acct-2"):
            await pilot.click(aid)
        assert screen.panel.checked == ["home", "work", "sky"]
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.counting_down
        bar = str(screen.query_one("#undo-bar").render())
        assert "Publishing to" in bar and "Esc cancels" in bar
        assert screen.editor.read_only  # the text cannot change under a pending publish
        await until(pilot, lambda: not screen.counting_down and not screen.publishing, what="publishing to finish")
        status = {n: screen.panel.status_of(n) for n in ("home", "work", "sky")}
        assert "https://fake.example/@home/1" in status["home"]
        assert "https://fake.example/@sky/1" in status["sky"]
        assert "not published" in status["work"] and "Shorten it to 500 characters" in status["work"]
        assert sorted(a for a, _ in InProcessClient.sent) == ["home", "sky"]
        draft = DraftStore(tmp_path / "data").load(app.draft.id)
        assert draft.deliveries["home"].status == "sent"
        assert draft.deliveries["work"].status == "failed"
        assert not screen.editor.read_only


async def test_escape_cancels_during_the_undo_window(tmp_path):
    app = build(tmp_path, config(("home", "mastodon"), undo=5.0), open_client=opener())
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, "It is on Saturday. " + BAIT)
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.counting_down
        bar = str(screen.query_one("#undo-bar").render())
        assert "still open" in bar  # the undo window lists the open warnings
        await pilot.press("escape")
        assert not screen.counting_down
        assert "cancelled" in screen.panel.notice
        await pilot.pause(0.3)
        assert InProcessClient.sent == []
        assert not screen.editor.read_only


async def test_offline_send_waits_in_the_outbox(tmp_path):
    offline = TransientError("Could not reach the server (no network).", hint="It will be retried.")
    app = build(tmp_path, config(("home", "mastodon"), undo=0.1), open_client=opener({"home": offline}))
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, "The fair is on Saturday.")
        await pilot.press("ctrl+j")
        await until(pilot, lambda: "outbox" in screen.panel.status_of("home"), what="the outbox message")
        assert "Could not reach the server" in screen.panel.status_of("home")
        await until(pilot, lambda: not screen.publishing)
        draft = DraftStore(tmp_path / "data").load(app.draft.id)
        assert draft.deliveries["home"].status == "queued"
        from composer.drafts import outbox

        assert [item.account for item in outbox.pending(DraftStore(tmp_path / "data"))] == ["home"]


async def test_publish_to_real_fake_servers(tmp_path):
    """The real Mastodon and Bluesky clients over HTTP against the fake servers: a post and a thread."""

    with home_and_sky(tmp_path) as (app, mastodon, bluesky, (token, app_password)):
        body = " ".join(["The street fair is on Saturday from noon on Elm Street, with stalls and music."] * 5)
        async with running(app) as pilot:
            screen = app.compose_screen
            await fill(pilot, screen, PURPOSE, body)
            await pilot.click("#acct-0")
            await pilot.click("#acct-1")
            await wait_analysed(pilot, app)
            sky = next(b for b in screen.analysis.budgets if b.account == "sky")
            assert sky.parts >= 2  # over Bluesky's 300: a thread, and the meter says how many parts
            await pilot.press("ctrl+j")
            await until(
                pilot,
                lambda: all("published" in screen.panel.status_of(n) for n in ("home", "sky")),
                timeout=15,
                what="both URLs",
            )
            posts = mastodon.posts("alice")
            assert len(posts) == 1 and posts[0]["url"] in screen.panel.status_of("home")
            assert len(bluesky.posts()) == sky.parts
            assert "https://" in screen.panel.status_of("sky")
            for shown in (screen.panel.status_of("home"), screen.panel.status_of("sky")):
                assert token not in shown and app_password not in shown


async def test_no_accounts_says_how_to_add_one(tmp_path):
    app = build(tmp_path, config())
    async with running(app) as pilot:
        screen = app.compose_screen
        assert "humane accounts add" in str(screen.query_one("#no-accounts").render())
        await fill(pilot, screen, PURPOSE, "Hello neighbours.")
        await pilot.press("ctrl+j")
        assert "humane accounts add" in screen.panel.notice
        assert not screen.counting_down


async def test_config_error_is_shown_and_the_app_runs(tmp_path, monkeypatch):
    bad = tmp_path / "config.toml"
    bad.write_text('[accounts.home]\nplatform = "myspace"\n', encoding="utf-8")
    monkeypatch.setenv("HUMANE_CONFIG", str(bad))
    from composer.tui.app import make_app

    app = make_app(data_dir=tmp_path / "data", warm_up=False, cursor_blink=False, recover=False)
    assert app.config_error and "config.toml" in app.config_error and "myspace" in app.config_error
    notes = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with running(app) as pilot:
        await type_text(pilot, "Drafting still works.")
        await wait_analysed(pilot, app)
        assert "config.toml" in app.compose_screen.panel.notice
        assert app.config_error in notes  # shown plainly as a toast too


async def test_autosave_writes_the_file_and_says_saved(tmp_path):
    app = build(tmp_path, config(autosave=1.0))
    async with running(app) as pilot:
        await type_text(pilot, "Words that must never be lost.")
        path = app.draft.path
        await until(pilot, lambda: path.exists() and "must never be lost" in path.read_text("utf-8"), what="autosave")
        bar = app.compose_screen.top_bar
        await until(pilot, lambda: bar.saved == "saved" and "saved" in str(bar.render()), what="the saved indicator")
        # Typing again clears it until the next save.
        await pilot.press("space")
        assert bar.saved == "" and "saved" not in str(bar.render())
        await type_text(pilot, "More.")
        await pilot.press("ctrl+s")
        assert path.read_text("utf-8").rstrip().endswith("More.")
    assert DraftStore(tmp_path / "data").load(app.draft.id).body == "Words that must never be lost. More."


async def test_quit_saves_and_ends_the_session(tmp_path):
    app = build(tmp_path, config(autosave=30))
    async with running(app) as pilot:
        await type_text(pilot, "Saved on the way out.")
        draft_id = app.draft.id
        await pilot.press("ctrl+q")
    store = DraftStore(tmp_path / "data")
    assert store.load(draft_id).body == "Saved on the way out."
    assert list((tmp_path / "data" / "sessions").glob("*.toml")) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


async def test_crashed_draft_is_offered_back(tmp_path):
    store = DraftStore(tmp_path / "data")
    lost = store.new(body="Half a thought, typed before the crash.", purpose="To remember it")
    store.save(lost)
    sessions = tmp_path / "data" / "sessions"
    sessions.mkdir(parents=True)
    pid = _dead_pid()
    (sessions / f"{pid}.toml").write_text(tomli_w.dumps({"draft": lost.id, "pid": pid}), encoding="utf-8")
    app = build(tmp_path, recover=True)
    async with running(app) as pilot:
        from composer.tui.screens.dialogs import RecoverModal

        await until(pilot, lambda: isinstance(app.screen, RecoverModal) and app.screen.query("#recover-open"), what="the recovery dialog")
        assert "Half a thought" in str(app.screen.query_one("#recover-preview").render())
        await pilot.press("enter")
        screen = app.compose_screen
        await until(pilot, lambda: screen.editor.text == lost.body, what="the recovered text")
        assert screen.purpose.value == "To remember it"
        assert app.draft.id == lost.id


async def test_recovery_can_be_declined(tmp_path):
    store = DraftStore(tmp_path / "data")
    lost = store.new(body="Not now, thanks.")
    store.save(lost)
    sessions = tmp_path / "data" / "sessions"
    sessions.mkdir(parents=True)
    pid = _dead_pid()
    (sessions / f"{pid}.toml").write_text(tomli_w.dumps({"draft": lost.id, "pid": pid}), encoding="utf-8")
    app = build(tmp_path, recover=True)
    async with running(app) as pilot:
        from composer.tui.screens.dialogs import RecoverModal

        await until(pilot, lambda: isinstance(app.screen, RecoverModal) and app.screen.query("#recover-open"))
        await pilot.press("escape")
        assert app.compose_screen.editor.text == ""
        assert app.draft.id != lost.id
    assert store.load(lost.id).body == "Not now, thanks."


async def test_external_editor_round_trip(tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            path = sys.argv[1]
            text = open(path, encoding="utf-8").read()
            open(path, "w", encoding="utf-8").write(text.replace("draft", "finished post") + "\\n")
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    app = build(tmp_path)
    async with running(app) as pilot:
        await type_text(pilot, "A draft")
        await pilot.press("ctrl+g")
        screen = app.compose_screen
        assert screen.editor.text == "A finished post"  # the editor's added final newline is dropped
        await pilot.press("ctrl+z")
        assert screen.editor.text == "A draft"  # one undo step brings the old text back


async def test_external_editor_unset_says_how(tmp_path):
    app = build(tmp_path)
    notes = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with running(app) as pilot:
        await pilot.press("ctrl+g")
        assert any("$VISUAL or $EDITOR" in n for n in notes)


async def test_drafts_screen_opens_and_deletes_with_undo(tmp_path):
    store = DraftStore(tmp_path / "data")
    older = store.new(body="An older draft about the fair")
    store.save(older)
    app = build(tmp_path)
    async with running(app) as pilot:
        await pilot.press("ctrl+o")
        from composer.tui.screens.drafts import DraftsScreen

        assert isinstance(app.screen, DraftsScreen)
        table = app.screen.query_one("#drafts-table")
        assert table.row_count == 1
        await pilot.press("d")
        assert not store.path(older.id).exists()
        await pilot.press("u")
        assert store.path(older.id).exists()
        await pilot.press("enter")
        await until(pilot, lambda: app.compose_screen.editor.text == older.body, what="the draft to open")
        assert app.draft.id == older.id
        assert app.screen is app.compose_screen


async def test_accounts_screen_verifies_in_a_worker(tmp_path):
    from composer.platforms.base import AuthError

    bad = AuthError("The server did not accept the login.", hint="Log in again with `humane accounts add work`.")
    app = build(tmp_path, config(("home", "mastodon"), ("work", "mastodon")), open_client=opener({"work": bad}))
    async with running(app) as pilot:
        await pilot.press("f3")
        table = app.screen.query_one("#accounts-table")
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert rows["home"] == "✓ @home@fake.example"
        assert rows["work"].startswith("✖ The server") and rows["work"].endswith("…")  # cut to the column…
        assert "humane accounts add work" in app.screen.status_of("work")  # …and whole below the table
        assert "s3cret" not in " ".join(rows.values()) + app.screen.status_of("work")


async def test_help_screen_explains_each_guideline(tmp_path):
    app = build(tmp_path)
    async with running(app) as pilot:
        await pilot.press("f1")
        from composer.tui.screens.help import HELP, HelpScreen

        assert isinstance(app.screen, HelpScreen)
        for word in ("Purpose", "Clickbait", "Personal information", "Obscenity and hate", "Shouting", "Length", "readability"):
            assert word in HELP
        await pilot.press("escape")
        assert app.screen is app.compose_screen


async def test_palette_lists_every_action_and_runs_them(tmp_path):
    app = build(tmp_path)
    async with running(app) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in ("Publish", "Save", "Edit in your editor", "Next finding", "New draft", "Drafts", "Accounts", "Help", "Light or dark", "Quit"):
            assert title in commands
        await pilot.press("f1")  # a command chosen over another screen acts on the composer
        await commands["Publish"].callback()
        await pilot.pause()
        assert app.screen is app.compose_screen
        assert "humane accounts add" in app.compose_screen.panel.notice
        commands["Light or dark"].callback()
        assert app.theme == "textual-light"


async def test_light_theme_from_config(tmp_path):
    app = build(tmp_path, config(theme="textual-light"))
    async with running(app):
        assert app.theme == "textual-light"


async def test_long_draft_is_checked_in_a_thread_and_typing_never_waits(tmp_path):
    body = ("The street fair needs volunteers for the morning shift. " * 120).strip()
    assert len(body) > LONG_DRAFT_CHARS
    store = DraftStore(tmp_path / "data")
    draft = store.new(body=body, purpose=PURPOSE)
    store.save(draft)
    app = build(tmp_path, config(("sky", "bluesky")), path=str(store.path(draft.id)))
    async with running(app) as pilot:
        screen = app.compose_screen
        await wait_analysed(pilot, app)
        await pilot.click("#acct-0")
        await wait_analysed(pilot, app)
        budget = next(b for b in screen.analysis.budgets if b.account == "sky")
        assert budget.count > 300 and budget.parts > 1
        assert "length" in categories(app)
        assert screen.last_thread and screen.last_thread != "MainThread"
        # The long draft's kept state is out of the collector's full passes (issue 17: p95).
        assert screen._frozen_checks is screen._checks is not None
        # Type quickly: every keystroke lands; only the last revision is painted.
        screen.editor.focus()
        await type_text(pilot, " Thanks!")
        await wait_analysed(pilot, app)
        assert screen.editor.text.endswith("Thanks!")
        await until(pilot, lambda: screen.timings and screen.timings[-1][0] == screen.revision, what="the paint")
        painted = [rev for rev, _, _ in screen.timings]
        assert len(painted) == len(set(painted))


async def test_open_path_that_does_not_exist_creates_it_on_first_save(tmp_path):
    target = tmp_path / "notes" / "post.md"
    target.parent.mkdir()
    app = build(tmp_path, path=str(target))
    async with running(app) as pilot:
        await type_text(pilot, "Written to my own file.")
        await pilot.press("ctrl+s")
    assert target.read_text("utf-8").endswith("Written to my own file.")


def _humane_in_a_pty(*args: str) -> tuple[int, str]:
    """Run the installed `humane` with a terminal on stdin/stdout; return (status, stderr)."""
    import pty

    main, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [humane_command(), *args], stdin=secondary, stdout=secondary, stderr=subprocess.PIPE, text=True, timeout=60
        )
    finally:
        os.close(main)
        os.close(secondary)
    return proc.returncode, proc.stderr


@pytest.mark.parametrize("kind", ["broken", "folder", "missing-folder"])
def test_bad_draft_path_is_one_clear_line(tmp_path, kind):
    if kind == "broken":
        target = tmp_path / "broken.md"
        target.write_text("+++\npurpose = \n+++\nbody\n", encoding="utf-8")
    elif kind == "folder":
        target = tmp_path
    else:
        target = tmp_path / "nowhere" / "post.md"
    status, err = _humane_in_a_pty(str(target))
    assert status == 2
    err = err.strip()
    assert err.startswith("humane: ") and str(target) in err and "\n" not in err
    assert "Traceback" not in err


def test_without_a_terminal_the_composer_says_so(capsys):
    from composer.tui.app import run

    assert run(None) == 2  # pytest's stdin/stdout are not a terminal
    err = capsys.readouterr().err.strip()
    assert "needs a terminal" in err and "\n" not in err


def test_analysis_delay_is_short():
    assert 0.1 <= ANALYSIS_DELAY <= 0.5
    assert os.environ.get("HUMANE_DATA_DIR")  # the conftest isolates every test
    assert Path(os.environ["HUMANE_DATA_DIR"]).name == "data"


async def test_every_platform_is_offered_where_accounts_are_explained(tmp_path):
    from composer.tui.screens.accounts import HOW_TO_ADD
    from composer.tui.screens.help import HELP
    from composer.tui.widgets.publish import NO_ACCOUNTS_HELP

    assert "F3, then n" in NO_ACCOUNTS_HELP  # the form offers every platform (test_tui_accounts.py)
    for text in (HOW_TO_ADD, HELP):
        for platform in ("mastodon", "bluesky", "linkedin", "threads", "micropub"):
            assert f"humane accounts add NAME --platform {platform}" in text, (platform, text[:60])
    app = build(tmp_path, config())
    async with running(app) as pilot:
        await pilot.press("f3")
        shown = str(app.screen.query_one("#accounts-help").render())
        assert "--platform threads" in shown and "--platform micropub" in shown


def _needs_check() -> NeedsCheck:  # noqa: F821 (imported below: platforms stay off the import path)
    from composer.platforms.base import NeedsCheck

    return NeedsCheck("The site did not answer after the post was sent; it may be there.", hint="Look at your site.")


@pytest.mark.parametrize("choice", ["mark-sent", "resend"])
async def test_needs_check_offers_resend_or_mark_as_sent(tmp_path, choice):
    errors = {"blog": _needs_check()}
    app = build(tmp_path, config(("blog", "micropub"), undo=0.1), open_client=opener(errors))
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, "The street fair is on Saturday.")
        await pilot.press("ctrl+j")
        await until(pilot, lambda: not screen.counting_down and not screen.publishing, what="the first try")
        await until(pilot, lambda: screen.panel.actions_of("blog"), what="the actions")
        assert screen.panel.actions_of("blog") == ["resend", "mark-sent"]
        assert "not confirmed" in screen.panel.status_of("blog")
        assert "Mark as sent" in screen.panel.status_of("blog")
        assert InProcessClient.sent == []
        store = DraftStore(tmp_path / "data")
        assert store.load(app.draft.id).deliveries["blog"].error_kind == "needs-check"
        errors.clear()  # the site answers again
        await pilot.click(f"#acct-0-{choice}")
        if choice == "mark-sent":
            await until(pilot, lambda: "published" in screen.panel.status_of("blog"), what="marked as sent")
            assert InProcessClient.sent == []  # nothing sent a second time
        else:
            await until(pilot, lambda: "https://fake.example/@blog/1" in screen.panel.status_of("blog"), what="the resend")
            assert [a for a, _ in InProcessClient.sent] == ["blog"]
        assert screen.panel.actions_of("blog") == []
        assert store.load(app.draft.id).deliveries["blog"].status == "sent"


async def test_edited_delivery_explains_itself_and_offers_reset(tmp_path):
    from composer.drafts import Delivery

    store = DraftStore(tmp_path / "data")
    draft = store.new(body="A new text for the fair.", purpose=PURPOSE, accounts=["home"])
    draft.deliveries["home"] = Delivery(
        account="home",
        status="failed",
        error="The text changed after 1 of 2 parts went out to home. Not sent again.",
        error_kind="edited",
    )
    store.save(draft)
    app = build(tmp_path, config(("home", "mastodon"), undo=0.1), open_client=opener(), path=str(store.path(draft.id)))
    async with running(app) as pilot:
        screen = app.compose_screen
        await until(pilot, lambda: screen.panel.actions_of("home"), what="the reset action")
        assert screen.panel.actions_of("home") == ["reset"]
        status = screen.panel.status_of("home")
        assert "held back" in status and "changed after 1 of 2 parts" in status and "Reset" in status
        await pilot.click("#acct-0-reset")
        await until(pilot, lambda: store.load(draft.id).deliveries["home"].status == "pending", what="the reset")
        # the file is written first, then the panel shows it (a busy machine may paint a frame later)
        await until(pilot, lambda: "held back" not in screen.panel.status_of("home"), what="the panel after the reset")
        assert "Ctrl+J" in screen.panel.status_of("home") and screen.panel.actions_of("home") == []
        assert InProcessClient.sent == []  # a reset alone sends nothing
        await pilot.press("ctrl+j")
        await until(pilot, lambda: "published" in screen.panel.status_of("home"), what="the new post")
        assert InProcessClient.sent == [("home", ["A new text for the fair."])]


async def test_every_client_http_is_closed(tmp_path):
    """Clients the writer's opener made are closed after use; the app's shared httpx client (used
    with composer.accounts.open_client) stays open while the app runs and is closed when it ends."""
    opened: list[InProcessClient] = []
    inner = opener()

    async def open_client(name, *, config=None):
        client = await inner(name, config=config)
        opened.append(client)
        return client

    app = build(tmp_path, config(("home", "mastodon"), undo=0.1), open_client=open_client)
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, "The fair is on Saturday.")
        await pilot.press("ctrl+j")
        await until(pilot, lambda: "published" in screen.panel.status_of("home"), what="the post")
        await until(pilot, lambda: not screen.publishing)
        await pilot.press("f3", "a")
        await app.workers.wait_for_complete()
        assert len(opened) == 2 and all(c.http.closed for c in opened)  # publish, then verify
        shared = app.shared_http()
        assert app.shared_http() is shared
        borrowed = InProcessClient("home")
        borrowed.http = shared
        await app.release_client(borrowed)
        assert not shared.is_closed  # a shared client is not closed by one user
    assert shared.is_closed


async def test_keys_typed_before_the_first_draft_arrives_are_kept(tmp_path):
    """The first frame shows the editor ready to type; the first draft is opened just after it.
    Keys that land in between belong to that draft (they were wiped once the first frame got faster)."""
    from composer.tui.app import ComposerApp

    app = build(tmp_path, config(autosave=30))
    app._begin = lambda: None  # hold the draft back, as a slow start would
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.draft is None
        await type_text(pilot, "Typed at once.")
        assert app.compose_screen.editor.text == "Typed at once."
        ComposerApp._begin(app)
        await until(pilot, lambda: app.compose_screen.side_ready, what="the sidebar")
        assert app.compose_screen.editor.text == "Typed at once."
        assert app.draft is not None and app.draft.body == "Typed at once."
        assert app.compose_screen.top_bar.title == "Typed at once."
        await pilot.press("ctrl+s")
        assert app.draft.path is not None and "Typed at once." in app.draft.path.read_text("utf-8")


async def test_a_draft_opened_from_its_own_file_is_published_into_that_file(tmp_path):
    """`humane note.md`: the publish state goes into note.md, wherever it lives, and an already
    published draft says so instead of counting down again."""
    note = tmp_path / "notes" / "note.md"
    note.parent.mkdir()
    note.write_text(f'+++\npurpose = "{PURPOSE}"\naccounts = ["home"]\n+++\nThe fair is on Saturday.\n', "utf-8")
    app = build(tmp_path, config(("home", "mastodon"), undo=0.1), open_client=opener(), path=note)
    async with running(app) as pilot:
        screen = app.compose_screen
        assert app.draft.path == note and screen.panel.checked == ["home"]
        await pilot.press("ctrl+j")
        await until(pilot, lambda: "published" in screen.panel.status_of("home"), what="the post")
        await until(pilot, lambda: not screen.publishing)
        assert 'status = "sent"' in note.read_text("utf-8")
        assert InProcessClient.sent == [("home", ["The fair is on Saturday."])]  # not the file's final newline
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert not screen.counting_down and "Already published to home" in screen.panel.notice
        assert len(InProcessClient.sent) == 1


LAZY_CHECKS = '''
import asyncio, sys, threading
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.test_tui_support import build, running, type_text, until, analysed

HEAVY = ("composer.guidelines.clickbait", "composer.guidelines.personal_info", "composer.guidelines.language",
         "composer.guidelines.shouting", "composer.guidelines.length", "regex")

async def main():
    app = build(Path({tmp!r}), warm_up={warm!r})
    async with running(app) as pilot:
        await pilot.pause(0.8)
        screen = app.compose_screen
        print("idle", [m for m in HEAVY if m in sys.modules], screen.analysis is not None)
        await type_text(pilot, "You won't believe this")
        await until(pilot, analysed(app), what="the first analysis")
        print("typed", [m for m in HEAVY[:4] if m not in sys.modules], screen.last_thread not in ("", threading.main_thread().name),
              [f.category for f in screen.analysis.report.findings])

asyncio.run(main())
'''


@pytest.mark.parametrize("warm_up", [True, False])
def test_a_new_draft_loads_no_checks_until_the_writer_types(tmp_path, warm_up):
    """Memory (issue 17): an empty new draft is analysed without loading the checks and their data;
    the first keys load them (the warm-up thread), and with nothing loaded yet the first analysis
    runs in a thread, never cold on the event loop."""
    code = LAZY_CHECKS.format(root=str(Path(__file__).resolve().parent.parent), tmp=str(tmp_path), warm=warm_up)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in r.stdout.strip().splitlines())
    assert lines["idle"] == "[] True"
    loaded_all = "[] True" if not warm_up else "[] "  # warmed up: the analysis may run inline by then
    assert lines["typed"].startswith(loaded_all), lines["typed"]
    assert "clickbait" in lines["typed"]


async def test_the_sidebar_lists_a_bounded_number_of_findings_per_category(tmp_path):
    """A long draft with thousands of findings (issue 17): each category lists its first
    LISTED_PER_CATEGORY with a line saying how many more, the titles count them all, and an edit
    that changes none of what is listed rebuilds nothing."""
    from composer.guidelines.model import Finding, Report
    from composer.tui.widgets.sidebar import LISTED_PER_CATEGORY, FindingList

    def many(text: str, purpose: str | None = None, **_: object) -> Report:
        found = [Finding("shouting.caps", "shouting", "warning", i * 4, i * 4 + 3, "Capitals.")
                 for i in range(len(text) // 4)]
        return Report(findings=found, words=len(text.split()), read_time_seconds=1, readability=None)

    app = build(tmp_path, analyzer=many)
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, "ABC " * 500)
        await wait_analysed(pilot, app)
        options = screen.query_one(FindingList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0].endswith("(500)")
        assert len(prompts) == 1 + LISTED_PER_CATEGORY + 1
        assert prompts[-1].startswith(f"… and {500 - LISTED_PER_CATEGORY} more")
        assert str(screen.sidebar.query_one("#findings-title").render()).endswith("(500)")
        cleared: list[int] = []
        options.clear_options = lambda: cleared.append(1)  # type: ignore[method-assign]
        screen.editor.insert("x")  # at the end: the same findings, none of the listed ones changes
        await wait_analysed(pilot, app)
        assert screen.analysis.text.endswith("x") and cleared == []
