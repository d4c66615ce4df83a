"""Snapshots of the composer's main screens (pytest-textual-snapshot), at a fixed size, no cursor blink.

The findings are pinned by a small stand-in analyzer (same signature as `analyze`): these tests are
about how the UI draws a report, and must not need re-recording whenever a guideline's wording is
improved. The real engine is exercised by the Pilot tests in test_tui.py.

Update after a deliberate UI change: `python3 -m pytest tests/test_tui_snapshots.py --snapshot-update`,
then look at the SVGs in tests/snapshots/ before committing them.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_textual_snapshot
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from composer.drafts import DraftStore
from composer.guidelines.model import Finding, Readability, Report
from composer.platforms.base import Rejected, TransientError
from tests.test_tui_support import build, config, opener, started, until

SIZE = (120, 36)
SNAPSHOTS = Path(__file__).parent / "snapshots"


class _Here(pytest_textual_snapshot.SVGImageExtension):  # type: ignore[misc]
    """Keep the SVGs in tests/snapshots/ (not the plugin's default __snapshots__ folder)."""

    @classmethod
    def dirname(cls, *, test_location) -> str:  # noqa: ANN001
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture(autouse=True)
def _stable(monkeypatch):
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", _Here)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()


assert issubclass(_Here, SingleFileSnapshotExtension)

PATTERNS = [
    (re.compile(r"you won't believe", re.I), "clickbait.curiosity-gap", "clickbait", "warning",
     "Curiosity gap: it hints at something without saying it. Say what happened instead."),
    (re.compile(r"\b555-\d{4}\b"), "personal-info.phone", "personal-info", "warning",
     "A phone number: revealing personal information about anyone is not OK. Make sure it is yours to share."),
    (re.compile(r"\b[A-Z]{3,}(?:\s+[A-Z]{3,})+\b"), "shouting.caps", "shouting", "warning",
     "Several words in capitals read as shouting. Write them in normal case."),
]


def pinned_analyze(text, purpose=None, *, settings=None, platforms=(), limits=None, content_warning=""):
    findings = []
    for regex, rule, category, severity, message in PATTERNS:
        for m in regex.finditer(text):
            findings.append(Finding(rule, category, severity, m.start(), m.end(), message))
    if not (purpose or "").strip():
        findings.append(Finding("purpose.missing", "purpose", "error", 0, len(text),
                                "No purpose stated: say in a few words why you are sharing this."))
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    words = len(text.split())
    return Report(
        findings=findings,
        words=words,
        read_time_seconds=round(words * 60 / 238),
        readability=Readability(64.7, 8.1) if words >= 10 else None,
    )


BODY = (
    "The street fair is back on Saturday from noon on Elm Street. You won't believe the cakes.\n\n"
    "Stalls still free: call Maria at 555-0142 if you want one. BRING YOUR OWN CHAIRS please."
)
PURPOSE = "To invite the neighbours to the street fair"


def app_with(tmp_path, cfg=None, **kw):
    kw.setdefault("analyzer", pinned_analyze)
    return build(tmp_path, cfg or config(("home", "mastodon"), ("sky", "bluesky"), autosave=600), **kw)


def _screen_ready(app) -> bool:
    return started(app)


async def _settle(pilot):
    app = pilot.app
    await until(pilot, lambda: _screen_ready(app))
    screen = app.compose_screen
    await pilot.pause()
    await until(pilot, lambda: screen.analysis is not None and screen.analysis.revision == screen.revision)
    await until(pilot, lambda: not app._saving)
    app.save_now(quiet=True)  # the "saved" mark shows whenever there is text, whatever the timing
    await pilot.pause(0.1)


async def _write(pilot, accounts=("home",)):
    await until(pilot, lambda: _screen_ready(pilot.app))
    screen = pilot.app.compose_screen
    screen.purpose.insert_text_at_cursor(PURPOSE)
    screen.editor.insert(BODY)
    screen.panel.set_checked(accounts)
    pilot.app.draft_changed(accounts=list(accounts))
    screen.editor.move_cursor((0, 66))
    await _settle(pilot)


def test_snapshot_empty_new_draft_without_accounts(snap_compare, tmp_path):
    app = app_with(tmp_path, config(autosave=600))
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_snapshot_findings_and_budgets(snap_compare, tmp_path):
    assert snap_compare(app_with(tmp_path), terminal_size=SIZE, run_before=_write)


def test_snapshot_findings_light_theme(snap_compare, tmp_path):
    cfg = config(("home", "mastodon"), ("sky", "bluesky"), autosave=600, theme="textual-light")
    assert snap_compare(app_with(tmp_path, cfg), terminal_size=SIZE, run_before=_write)


def test_snapshot_publish_blocked_without_purpose(snap_compare, tmp_path):
    async def before(pilot):
        await until(pilot, lambda: _screen_ready(pilot.app))
        screen = pilot.app.compose_screen
        screen.editor.insert("The street fair is back on Saturday.")
        await _settle(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()

    cfg = config(("home", "mastodon"), autosave=600)
    assert snap_compare(app_with(tmp_path, cfg), terminal_size=SIZE, run_before=before)


def test_snapshot_undo_window_lists_warnings(snap_compare, tmp_path):
    async def before(pilot):
        await _write(pilot, ("home", "sky"))
        await pilot.press("ctrl+j")
        await pilot.pause()

    cfg = config(("home", "mastodon"), ("sky", "bluesky"), autosave=600, undo=600)
    assert snap_compare(app_with(tmp_path, cfg, open_client=opener()), terminal_size=SIZE, run_before=before)


def test_snapshot_publish_results(snap_compare, tmp_path):
    errors = {
        "work": Rejected("The server refused the post.", hint="Shorten it to 500 characters."),
        "sky": TransientError("Could not reach bsky.social (no network).", hint="It will be tried again."),
    }

    async def before(pilot):
        await _write(pilot, ("home", "work", "sky"))
        screen = pilot.app.compose_screen
        await pilot.press("ctrl+j")
        await until(pilot, lambda: not screen.counting_down and not screen.publishing, timeout=10)
        await pilot.pause()
        # The queued delivery names its next try: pin it so the picture does not change by the hour.
        for name in ("sky",):
            screen.panel.set_status(name, "⏸ waits in the outbox: Could not reach bsky.social (no network). "
                                    "It will be tried again. `humane outbox flush` sends it.", "queued")
        await pilot.pause()

    cfg = config(("home", "mastodon"), ("work", "mastodon"), ("sky", "bluesky"), autosave=600, undo=0)
    app = app_with(tmp_path, cfg, open_client=opener(errors))
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_snapshot_drafts_screen(snap_compare, tmp_path):
    store = DraftStore(tmp_path / "data")
    for i, (body, purpose) in enumerate(
        [
            ("Street fair on Saturday: stalls still free.", "To invite the neighbours"),
            ("Thank you to everyone who came to the library reading.", "To thank people"),
            ("Notes for a longer post about bike lanes", ""),
        ]
    ):
        d = store.new(body=body, purpose=purpose)
        d.id = f"20260101-09{i}000-abc{i}"
        d.path = store.path(d.id)
        d.created = d.updated = datetime(2026, 1, 1 + i, 9, 30, tzinfo=UTC)
        store.save(d)

    async def before(pilot):
        await until(pilot, lambda: started(pilot.app))
        await pilot.press("ctrl+o")
        await until(pilot, lambda: pilot.app.screen.id == "drafts" and pilot.app.screen.query("#drafts-table"))
        await pilot.pause()

    assert snap_compare(app_with(tmp_path), terminal_size=SIZE, run_before=before)


def test_snapshot_accounts_screen(snap_compare, tmp_path):
    async def before(pilot):
        await until(pilot, lambda: started(pilot.app))
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("a")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_with(tmp_path, open_client=opener()), terminal_size=SIZE, run_before=before)


def test_snapshot_help_screen(snap_compare, tmp_path):
    async def before(pilot):
        await until(pilot, lambda: started(pilot.app))
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_with(tmp_path), terminal_size=SIZE, run_before=before)


def test_snapshot_replies_screen(snap_compare, tmp_path):
    """F5: replies grouped under the post, a folded one as one line with its reason, a mention apart."""
    from composer.drafts import Delivery
    from composer.platforms.base import PartRecord, Reply
    from tests.test_tui_support import InProcessClient

    store = DraftStore(tmp_path / "data")
    draft = store.new(body="The street fair is on Saturday from noon.", purpose="To invite the neighbours",
                      accounts=["home"])
    draft.deliveries["home"] = Delivery("home", "sent", [PartRecord("k", "d", id="101", url="https://fake.example/@home/101")],
                                        url="https://fake.example/@home/101",
                                        updated=datetime.now(UTC))
    store.save(draft)

    class Replying(InProcessClient):
        async def replies(self, post):
            return [Reply("201", "bob@fake.example", "Is there parking nearby?", "2030-05-01T10:00:00Z",
                          in_reply_to="101"),
                    Reply("202", "dave@fake.example", "Her home is 12 Elm Street; call her on +1 415 555 2671.",
                          "2030-05-01T10:05:00Z", in_reply_to="101")]

        async def mentions(self, since=None):
            return [Reply("203", "erin@fake.example", "@home are you coming to the fair?", "2030-05-01T11:00:00Z",
                          kind="mention")]

    async def open_client(name, *, config=None):
        return Replying(name, "mastodon")

    async def before(pilot):
        await until(pilot, lambda: started(pilot.app))
        await pilot.press("f5")
        await until(pilot, lambda: getattr(pilot.app.screen, "listing", None) is not None)
        await pilot.pause()

    app = build(tmp_path, config(("home", "mastodon"), autosave=600), analyzer=pinned_analyze, open_client=open_client)
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


# ------------------------------------------------------------------ narrow and wide (issue 15)
# The text keeps at least 60% of the width at 80 columns, every key hint stays in the footer, and
# the drafts and accounts screens keep their columns.

SIZES = {"80x24": (80, 24), "130x40": (130, 40)}


def _drafts_store(tmp_path) -> None:
    store = DraftStore(tmp_path / "data")
    for i, (body, purpose) in enumerate(
        [
            ("Street fair on Saturday: stalls still free.", "To invite the neighbours"),
            ("Thank you to everyone who came to the library reading.", "To thank people"),
        ]
    ):
        d = store.new(body=body, purpose=purpose)
        d.id = f"20260101-09{i}000-abc{i}"
        d.path = store.path(d.id)
        d.created = d.updated = datetime(2026, 1, 1 + i, 9, 30, tzinfo=UTC)
        store.save(d)


@pytest.mark.parametrize("size", list(SIZES))
def test_snapshot_compose_with_findings_at(snap_compare, tmp_path, size):
    assert snap_compare(app_with(tmp_path), terminal_size=SIZES[size], run_before=_write)


@pytest.mark.parametrize("size", list(SIZES))
def test_snapshot_drafts_screen_at(snap_compare, tmp_path, size):
    _drafts_store(tmp_path)

    async def before(pilot):
        await until(pilot, lambda: started(pilot.app))
        await pilot.press("ctrl+o")
        await until(pilot, lambda: pilot.app.screen.id == "drafts" and pilot.app.screen.query_one("#drafts-table").row_count >= 2)
        await pilot.pause()

    assert snap_compare(app_with(tmp_path), terminal_size=SIZES[size], run_before=before)


@pytest.mark.parametrize("size", list(SIZES))
def test_snapshot_accounts_screen_at(snap_compare, tmp_path, size):
    from composer.platforms.base import AuthError

    bad = AuthError("The server did not accept the login.", hint="Log in again with `humane accounts add sky`.")

    async def before(pilot):
        await until(pilot, lambda: started(pilot.app))
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("a")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("down")
        await pilot.pause()

    app = app_with(tmp_path, open_client=opener({"sky": bad}))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=before)


@pytest.mark.parametrize("size", list(SIZES))
def test_snapshot_add_account_at(snap_compare, tmp_path, size):
    async def before(pilot):
        await until(pilot, lambda: started(pilot.app))
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: pilot.app.screen.id == "add-account")
        await pilot.pause()

    assert snap_compare(app_with(tmp_path), terminal_size=SIZES[size], run_before=before)


def test_snapshot_sidebar_folded_below_70_columns(snap_compare, tmp_path):
    assert snap_compare(app_with(tmp_path), terminal_size=(64, 22), run_before=_write)


def test_the_text_keeps_most_of_the_width_at_80_columns(tmp_path):
    import asyncio

    async def run():
        app = app_with(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: started(app))
            screen = app.compose_screen
            assert screen.query_one("#writing").size.width >= 0.6 * 80
            assert screen.side_shown
            await pilot.press("f9")
            assert not screen.side_shown and screen.query_one("#writing").size.width >= 78
            await pilot.press("f9")
            assert screen.side_shown
        async with app_with(tmp_path / "narrow").run_test(size=(64, 22)) as pilot:
            await until(pilot, lambda: started(pilot.app))
            assert not pilot.app.compose_screen.side_shown
            await pilot.press("f9")
            await pilot.pause()
            assert pilot.app.compose_screen.side_shown

    asyncio.run(run())
