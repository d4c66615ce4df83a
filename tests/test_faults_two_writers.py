"""Issue 18, item 5: two writers on one draft are told of each other. Every save takes the draft's
lock; a conflict copy is announced where the writer sees it; a second composer opening a draft that
another composer is writing is warned and offered read-only or a copy. The real store, the real
autosaver, and the real Textual app with Pilot; "another composer" is a live process whose
session marker names the draft, as a running `humane` writes it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import tomli_w

from composer.drafts import DraftSession, DraftStore
from composer.drafts.autosave import Autosaver, _proc_start, editing_elsewhere
from composer.tui.screens.dialogs import OpenElsewhereModal
from tests.test_tui_support import build, config, running, until


def test_save_waits_for_the_drafts_lock(tmp_path):
    """Before: `save` took no lock, so two savers could both check the file and then both write,
    and one writer's final text was lost. After: a save waits while the lock is held."""
    store = DraftStore(tmp_path)
    draft = store.new(body="first", purpose="p")
    store.save(draft)
    done = threading.Event()
    with store.lock(draft.id):
        draft.body = "second"
        saver = threading.Thread(target=lambda: (store.save(draft), done.set()), daemon=True)
        saver.start()
        assert not done.wait(0.3), "the save went ahead while another writer held the lock"
    saver.join(10)
    assert done.is_set() and store.load(draft.id).body == "second"


def test_two_savers_never_lose_a_final_text(tmp_path):
    """Two stores (two programs) saving the same draft over and over: each one's last text is
    either the file's or in a conflict copy next to it."""
    root = tmp_path
    DraftStore(root).save(DraftStore(root).new(body="start", purpose="p"))
    (draft_id,) = [p.stem for p in (root / "drafts").glob("*.md")]
    finals: dict[str, str] = {}

    def writer(name: str) -> None:
        store = DraftStore(root)
        draft = store.load(draft_id)
        for i in range(25):
            draft.body = f"{name} {i}"
            store.save(draft)
        finals[name] = draft.body

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    texts = {p.read_text("utf-8").split("+++\n")[-1].strip() for p in (root / "drafts").glob("*.md")}
    assert set(finals.values()) <= texts, (finals, texts)


def test_a_conflict_copy_is_handed_to_the_session_once(tmp_path):
    store = DraftStore(tmp_path)
    session = DraftSession(store)
    draft = store.new(body="mine", purpose="p")
    store.save(draft)
    session.open(store.load(draft.id), autosave_seconds=30)
    elsewhere = DraftStore(tmp_path)  # another program
    other = elsewhere.load(draft.id)
    other.body = "another program's words"
    elsewhere.save(other)
    session.changed(body="mine, typed on")
    assert isinstance(session.autosaver, Autosaver) and session.autosaver.save_now()
    words = session.take_conflicts()
    copies = list((tmp_path / "drafts").glob("*.conflict-*.md"))
    assert len(copies) == 1 and str(copies[0]) in words and "another program's words" in copies[0].read_text("utf-8")
    assert session.take_conflicts() == ""  # told once
    assert store.load(draft.id).body == "mine, typed on"
    session.close()


def other_composer(root: Path, draft_id: str) -> subprocess.Popen:
    """A live process with a session marker on `draft_id`, as a running composer leaves it."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    marker = {"draft": draft_id, "pid": proc.pid, "started": "2026-01-01T00:00:00Z"}
    start = _proc_start(proc.pid)
    if start is not None:
        marker["proc_start"] = start
    (root / "sessions").mkdir(parents=True, exist_ok=True)
    (root / "sessions" / f"{proc.pid}.toml").write_text(tomli_w.dumps(marker))
    return proc


def saved_draft(tmp_path: Path, body: str = "Words the other composer is writing.") -> str:
    store = DraftStore(tmp_path / "data")
    draft = store.new(body=body, purpose="to test two writers")
    store.save(draft)
    return draft.id


def test_editing_elsewhere_knows_live_composers_only(tmp_path):
    draft_id = saved_draft(tmp_path)
    proc = other_composer(tmp_path / "data", draft_id)
    try:
        assert editing_elsewhere(tmp_path / "data", draft_id) == proc.pid
        assert editing_elsewhere(tmp_path / "data", "another-draft") is None
    finally:
        proc.kill()
        proc.wait()
    assert editing_elsewhere(tmp_path / "data", draft_id) is None  # it has gone


async def test_a_second_composer_is_warned_and_can_work_on_a_copy(tmp_path):
    """Before: both composers said "saved" while each save moved the other's text aside, and
    nobody was told. After: the second one is asked first; a copy is a new draft of its own."""
    draft_id = saved_draft(tmp_path)
    proc = other_composer(tmp_path / "data", draft_id)
    try:
        app = build(tmp_path, config(autosave=0.2), path=None)
        app._initial_draft = DraftStore(tmp_path / "data").load(draft_id)
        async with running(app) as pilot:
            await until(pilot, lambda: isinstance(app.screen, OpenElsewhereModal), what="the warning", timeout=30)
            assert app.session.read_only and app.compose_screen.editor.read_only
            assert "process" in str(app.screen.query_one("#elsewhere-text").render())
            await pilot.press("c")  # the dialog's key for "Work on a copy" (a click can miss on a loaded machine)
            await until(pilot, lambda: app.draft is not None and app.draft.id != draft_id, what="the copy", timeout=30)
            assert not app.session.read_only and not app.compose_screen.editor.read_only
            assert app.draft.body == "Words the other composer is writing."
            app.compose_screen.editor.focus()
            await pilot.press("end", "!")
            await until(pilot, lambda: app.draft.path and app.draft.path.exists()
                        and "writing.!" in app.draft.path.read_text("utf-8"), what="the copy saved", timeout=30)
        assert DraftStore(tmp_path / "data").load(draft_id).body == "Words the other composer is writing."
    finally:
        proc.kill()
        proc.wait()


async def test_read_only_writes_nothing(tmp_path):
    draft_id = saved_draft(tmp_path)
    path = DraftStore(tmp_path / "data").path(draft_id)
    before = path.read_bytes()
    proc = other_composer(tmp_path / "data", draft_id)
    try:
        app = build(tmp_path, config(autosave=0.1))
        app._initial_draft = DraftStore(tmp_path / "data").load(draft_id)
        async with running(app) as pilot:
            await until(pilot, lambda: isinstance(app.screen, OpenElsewhereModal), what="the warning", timeout=30)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, OpenElsewhereModal), what="the answer", timeout=30)
            assert app.compose_screen.top_bar.saved == "read only"
            app.compose_screen.editor.focus()
            await pilot.press("x", "y", "z")
            await pilot.pause(0.3)
            assert app.compose_screen.editor.text == "Words the other composer is writing."
            await pilot.press("ctrl+s")
        assert path.read_bytes() == before
        marker = (tmp_path / "data" / "sessions" / f"{os.getpid()}.toml")
        assert not marker.exists()  # ended cleanly
    finally:
        proc.kill()
        proc.wait()


async def test_a_conflict_copy_is_announced_in_the_composer(tmp_path):
    """Before: the autosave kept the other program's text as a `.conflict-` file and said "saved".
    After: a toast says where that text is."""
    app = build(tmp_path, config(autosave=0.1))
    async with running(app) as pilot:
        app.compose_screen.editor.focus()
        await pilot.press(*"Mine.")
        await until(pilot, lambda: app.draft.path and app.draft.path.exists(), what="the first save", timeout=30)
        elsewhere = DraftStore(tmp_path / "data")  # another program
        other = elsewhere.load(app.draft.id)
        other.body = "Changed in another program."
        elsewhere.save(other)
        await pilot.press(*" More")
        copies = lambda: list((tmp_path / "data" / "drafts").glob("*.conflict-*.md"))  # noqa: E731
        await until(pilot, copies, what="the conflict copy", timeout=30)
        await until(pilot, lambda: any(str(copies()[0]) in n.message for n in app._notifications), what="the toast", timeout=30)
