"""The main screen: purpose, editor, guideline sidebar and publish panel.

The screen owns the flow (STYLE.md section 3): an edit marks the draft dirty for the autosaver and
restarts a short timer; when typing pauses, the checks run (inline for a short post, in a thread
worker for a long one) and the result goes down to the sidebar, the editor and the publish panel.
A result for an older revision of the text is dropped.

Publishing, changing what was published and the draft's images have controllers of their own in
`tui/compose/` (the screen holds them and routes its keys and messages to them); the hand-off to the
writer's editor is `tui/external.py`.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections import deque
from functools import cached_property
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, TextArea
from textual.worker import get_current_worker

from composer.tui.spans import Mark
from composer.tui.widgets.editor import DRAWN_CATEGORIES, DraftEditor
from composer.tui.widgets.topbar import TopBar
from composer.tui.widgets.undo import UndoBar

if TYPE_CHECKING:
    from composer.analysis import Analysis, Target
    from composer.drafts import Draft
    from composer.guidelines.incremental import Incremental
    from composer.tui.compose.images import DraftImages
    from composer.tui.compose.publishing import Publisher
    from composer.tui.host import Host
    from composer.tui.messages import DeliveryUpdated
    from composer.tui.widgets.publish import PublishPanel
    from composer.tui.widgets.sidebar import GuidelineSidebar

ANALYSIS_DELAY = 0.3
"""Seconds of pause in typing before the checks run (debounce)."""


class ComposeScreen(Screen[None]):
    """Write, see the guidelines, publish."""

    AUTO_FOCUS = "#editor"
    """The text has the focus from the start (focusing it later would re-lay out the first frame)."""

    BINDINGS = [
        Binding("ctrl+j,ctrl+enter", "publish", "Publish", id="publish", tooltip="Publish to the ticked accounts"),
        Binding("escape", "cancel_publish", "Cancel publishing", id="cancel-publish", show=False),
        # Saving is automatic and the editor hand-off is in F1 and the palette: the footer keeps
        # room for the keys a writer looks for at 80 columns.
        Binding("ctrl+s", "save", "Save", id="save", show=False),
        Binding("ctrl+g,f4", "external_editor", "Your editor", id="external-editor", show=False),
        Binding("f8", "next_finding", "Next finding", id="next-finding"),
        # priority: the editor (a TextArea) has F6 as "select line" of its own. Not in the footer (its
        # room at 80 columns is for the keys above); F1, the palette and the images list name it.
        Binding("f6", "attach_image", "Image", id="attach-image", tooltip="Attach an image, with its alt text",
                priority=True, show=False),
        Binding("f9", "toggle_sidebar", "Sidebar", id="toggle-sidebar", tooltip="Show or fold the sidebar"),
    ]

    FOLD_BELOW = 70
    """Below this many columns the sidebar folds away by itself (F9 shows it)."""

    def __init__(self) -> None:
        super().__init__(id="compose")
        self.revision = 0
        """Bumped on every change of the text, the purpose or the chosen accounts."""
        self.analysis: Analysis | None = None
        """The analysis on show."""
        self.timings: deque[tuple[int, float, float]] = deque(maxlen=2000)
        """(revision, when the checks started, when their result was painted): for bench/keystrokes.py."""
        self._timer: Timer | None = None
        self._loading = False
        self._changed_at = 0.0
        self._title = "New draft"
        self.last_thread = ""
        """The thread the last threaded analysis ran in (tests check long drafts leave the event loop)."""
        self.ready = False
        """True once the writing column is mounted (the app then hands drafts straight to load_draft)."""
        self.side_ready = False
        """True once the sidebar and the publish panel are mounted (just after the first frame)."""
        self._drafts_loaded = 0
        self._checks: Incremental | None = None
        """The open draft's checks, kept between keystrokes (a new one for each draft loaded)."""
        self._frozen_checks: Incremental | None = None
        """The checks whose kept state was last moved out of the garbage collector's way (gc.freeze)."""
        self._last_text = "editor"
        """The text field the writer was last in ("editor" or "purpose"): typed keys go back there."""
        self._held: list[tuple[str, str | None]] = []
        """Keys typed while a publish was on its way (the text is read-only then): typed after it."""
        self._side_choice: bool | None = None
        """The writer's F9 choice (True: shown); None: by the width (folded below FOLD_BELOW)."""

    @cached_property
    def publisher(self) -> Publisher:
        """Publishing: the gate's answer in the panel, the undo window, the worker (tui/compose/publishing.py;
        loaded with the first draft, just after the first frame)."""
        from composer.tui.compose.publishing import Publisher

        return Publisher(self)

    @cached_property
    def draft_images(self) -> DraftImages:
        """The draft's images: attach, change, remove (tui/compose/images.py)."""
        from composer.tui.compose.images import DraftImages

        return DraftImages(self)

    # ------------------------------------------------------------------ layout
    @property
    def composer(self) -> Host:
        return self.app  # type: ignore[return-value]

    @property
    def editor(self) -> DraftEditor:
        return self.query_one("#editor", DraftEditor)

    @property
    def top_bar(self) -> TopBar:
        return self.query_one("#top-bar", TopBar)

    @property
    def purpose(self) -> Input:
        return self.query_one("#purpose", Input)

    @property
    def sidebar(self) -> GuidelineSidebar:
        return self.query_one("#sidebar")  # type: ignore[return-value]

    @property
    def panel(self) -> PublishPanel:
        return self.query_one("#publish-panel")  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.composer
        yield TopBar(id="top-bar")
        with Horizontal(id="body"):
            with Vertical(id="writing"):
                purpose = Input(
                    placeholder="Why am I sharing this?  (the purpose; Shift+Tab from the text)",
                    id="purpose",
                    select_on_focus=False,  # a key typed as the focus arrives must not replace the purpose
                )
                purpose.cursor_blink = app.cursor_blink
                yield purpose
                editor = DraftEditor(id="editor", placeholder="Write your post here…")
                editor.cursor_blink = app.cursor_blink
                yield editor
                yield UndoBar("", id="undo-bar", classes="hidden")
            # Filled just after the first frame (_mount_side): the writer sees the editor sooner.
            yield Vertical(id="side")
        yield Footer()

    # ------------------------------------------------------------------ the sidebar: shown or folded
    @property
    def side_shown(self) -> bool:
        return not self.query_one("#side").has_class("-folded")

    def on_resize(self, event: Any) -> None:
        self._fold_side()

    def _fold_side(self) -> None:
        shown = self._side_choice if self._side_choice is not None else self.size.width >= self.FOLD_BELOW
        with contextlib.suppress(Exception):
            self.query_one(Footer).compact = self.size.width < 100  # every key hint fits at 80 columns
        side = self.query_one("#side")
        if side.has_class("-folded") == shown:
            side.set_class(not shown, "-folded")
            if not shown and self.focused is not None and side in self.focused.ancestors:
                self.focus_text()

    def action_toggle_sidebar(self) -> None:
        self._side_choice = not self.side_shown
        self._fold_side()
        if not self._side_choice:
            self.notify("Findings stay marked in the text; F8 goes to the next, F9 brings the sidebar back.",
                        title="Sidebar folded", timeout=4)

    def on_mount(self) -> None:
        self.ready = True
        self._fold_side()
        if self.composer.draft is not None:
            self.load_draft(self.composer.draft)

    def start(self) -> None:
        """Called by the app once the config and the draft are there (just after the first frame)."""
        self.call_later(self._mount_side)

    async def _mount_side(self) -> None:
        """Mount the guideline sidebar and the publish panel (after the first frame)."""
        from composer.tui.widgets.images import ImagesList
        from composer.tui.widgets.publish import AccountRow, PublishPanel
        from composer.tui.widgets.sidebar import GuidelineSidebar
        from composer.words import account_label

        app = self.composer
        side = self.query_one("#side")
        if not side.is_attached or not self.is_attached:
            return  # the app is closing already
        await self.query_one("#writing").mount(ImagesList(id="images"), after=self.editor)
        if app.draft is not None:
            self.draft_images.show(app.draft)
        rows = [AccountRow(acc.name, account_label(acc), acc.platform) for acc in app.config.accounts.values()]
        await side.mount(GuidelineSidebar(id="sidebar"), PublishPanel(rows, id="publish-panel"))
        self.side_ready = True
        if app.draft is not None:
            self._sync_panel(app.draft)
        if self.analysis is not None:
            self._show_analysis(self.analysis)

    def accounts_changed(self) -> None:
        """config.toml's accounts changed (F3, or `humane accounts` in another terminal): the
        publish panel follows at once."""
        if self.side_ready:
            self.call_later(self._remount_panel)

    async def _remount_panel(self) -> None:
        from composer.tui.widgets.publish import AccountRow, PublishPanel
        from composer.words import account_label

        app = self.composer
        rows = [AccountRow(acc.name, account_label(acc), acc.platform) for acc in app.config.accounts.values()]
        old = self.panel
        if old.rows != rows:
            had_focus = self.focused is not None and old in self.focused.ancestors_with_self
            await old.remove()
            await self.query_one("#side").mount(PublishPanel(rows, id="publish-panel"))
            if had_focus or self.focused is None:
                self.focus_text()
        if app.draft is not None:
            self._sync_panel(app.draft)
        self.analyse_now()

    # ------------------------------------------------------------------ loading a draft
    def load_draft(self, draft: Draft) -> None:
        """Show `draft` (called by the app when it opens one)."""
        self.publisher.cancel_countdown(quiet=True)
        first, self._drafts_loaded = self._drafts_loaded == 0, self._drafts_loaded + 1
        typed_body, typed_purpose = self.editor.text, self.purpose.value
        if first and (typed_body or typed_purpose) and not (draft.body or draft.purpose):
            # Keys typed between the first frame and the first draft's arrival (just after it)
            # belong to that new draft: never wipe them.
            draft.body, draft.purpose = typed_body, typed_purpose
            self.composer.draft_changed(body=typed_body, purpose=typed_purpose)
        read_only = self.composer.session.read_only
        self.editor.read_only = read_only  # open in another composer: shown, not written
        self.purpose.disabled = read_only
        self._loading = True
        try:
            with self.prevent(Input.Changed, TextArea.Changed):
                self.purpose.value = draft.purpose
                self.editor.load_text(draft.body)
                self.editor.set_marks((), draft.body)
        finally:
            self._loading = False
        self.analysis = None
        self._checks = None
        if self.side_ready:
            self._sync_panel(draft)
            self.draft_images.show(draft)
        self._set_title(draft.body)
        if draft.body.strip():
            self.composer.warm_up_checks()
        self.revision += 1
        self.editor.move_cursor(self.editor.document.end)
        self.publisher.blocked_by = None
        self.focus_text("editor")  # a new or opened draft: the cursor is in the text, at its end
        self.call_after_refresh(self.analyse_now)

    # ------------------------------------------------------------------ where typed keys go (composer/tui/keys.py)
    def on_descendant_focus(self, event: Any) -> None:
        if event.widget.id in ("editor", "purpose") and not self.publisher.busy:
            self._last_text = event.widget.id

    def focus_text(self, which: str | None = None) -> Any:
        """Put the focus in the text at once (not on the next tick: the next key must follow it);
        `which`: "editor" or "purpose", else the one the writer was last in."""
        widget: Any = self.purpose if (which or self._last_text) == "purpose" and not self.purpose.disabled else self.editor
        self.set_focus(widget)
        return widget

    def hold_key(self, event: Any) -> None:
        """A key typed while a publish is on its way: typed once it is over."""
        self._held.append((event.key, event.character))

    def type_held(self) -> None:
        """A publish is over: the focus back in the text, and the keys held meanwhile typed there."""
        from textual import events

        if self.focused is None or self._held:
            self.focus_text()
        held, self._held = self._held, []
        if held:
            target = self.focus_text()
            for key, character in held:
                target.post_message(events.Key(key, character))

    def cancel_countdown_by_typing(self) -> None:
        """A key typed during the undo window: the writer is still writing; nothing goes out."""
        self.publisher.cancel_countdown(quiet=True)
        self.panel.set_notice("Publishing cancelled: you went on writing. Nothing was sent; Ctrl+J publishes.")
        self.notify("You went on writing, so nothing was sent.", title="Publishing cancelled")

    def _sync_panel(self, draft: Draft) -> None:
        """The publish panel shows `draft`'s accounts and its publish state so far."""
        panel = self.panel
        self._loading = True
        try:
            with self.prevent(type(panel).AccountToggled):
                panel.set_checked(draft.accounts)
        finally:
            self._loading = False
        self.publisher.reset_panel(draft)

    def _set_title(self, body: str) -> None:
        head = body.lstrip()[:200]
        title = head.splitlines()[0].strip() if head else ""
        if len(title) > 48:
            title = title[:47] + "…"
        title = title or "New draft"
        if title != self._title:  # only on a change: a repaint per keystroke is waste
            self._title = title
            self.top_bar.set_title(title)

    # ------------------------------------------------------------------ edits
    @on(TextArea.Changed, "#editor")
    def _text_changed(self, event: TextArea.Changed) -> None:
        if self._loading:
            return
        text = self.editor.text
        self.composer.draft_changed(body=text)
        self._set_title(text)
        self.note_change()

    @on(Input.Changed, "#purpose")
    def _purpose_changed(self, event: Input.Changed) -> None:
        if self._loading:
            return
        self.composer.draft_changed(purpose=event.value)
        self.note_change()

    def on_publish_panel_account_toggled(self, event: PublishPanel.AccountToggled) -> None:
        if self._loading:
            return
        self.composer.draft_changed(accounts=self.panel.checked)
        self.note_change()
        self.publisher.recheck()

    def note_change(self) -> None:
        """The text, the purpose, the accounts or the images changed: the checks run once typing pauses
        (and, at the first change, start loading in a thread, so that they are there by then)."""
        self.composer.warm_up_checks()
        self.revision += 1
        self._changed_at = time.perf_counter()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(ANALYSIS_DELAY, self.analyse_now, name="analysis-debounce")

    # ------------------------------------------------------------------ analysis
    def targets(self) -> list[Target]:
        from composer.analysis import targets

        return targets(self.composer.config.accounts.values())

    def analyzers(self) -> dict[str, Any]:
        """How the checks are run: the app's own analyzer (the snapshot tests pin the findings),
        or the open draft's `Incremental`, which re-checks only what an edit touched."""
        if self.composer.analyzer is not None:
            return {"analyzer": self.composer.analyzer}
        if self._checks is None:
            from composer.guidelines.incremental import Incremental

            self._checks = Incremental()
        return {"analyzer": self._checks.analyze, "tracker": self._checks}

    def analyse_now(self) -> None:
        """Run the checks on the text as it is now (inline when short, else in a thread)."""
        from composer.analysis import LONG_DRAFT_CHARS, run_analysis
        from composer.guidelines import loaded as checks_loaded

        self._timer = None
        text = self.editor.text
        args = (self.revision, text, self.purpose.value)
        kwargs: dict[str, Any] = dict(
            targets=self.targets(),
            checked=self.panel.checked if self.side_ready else list(self.composer.draft.accounts if self.composer.draft else ()),
            settings=self.composer.config.guidelines,
            content_warning=self.composer.draft.content_warning if self.composer.draft else "",
            **self.analyzers(),
            images=list(self.composer.draft.images) if self.composer.draft else [],
            draft_path=self.composer.draft.path if self.composer.draft else None,
        )
        started = time.perf_counter()
        if len(text) < LONG_DRAFT_CHARS and (
            checks_loaded() or not text.strip() or self.composer.analyzer is not None
        ):
            # Inline only once the checks are loaded: the first analysis of some text loads them
            # (tens of ms) in a thread, never on the event loop.
            self._apply(run_analysis(*args, **kwargs), started)
        else:
            self._analyse_in_thread(args, kwargs, started)

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False, description="guideline checks")
    def _analyse_in_thread(self, args: tuple, kwargs: dict, started: float) -> None:
        from composer.analysis import run_analysis

        result = run_analysis(*args, **kwargs)
        checks = self._checks
        if checks is not None and checks is not self._frozen_checks:
            # The open draft's kept state (each paragraph's results) lives as long as the draft:
            # out of the collector's full passes, which would otherwise stall an analysis of a long
            # draft by 15-20 ms now and then. It holds no reference cycles: dropped, it is freed.
            gc.freeze()
            self._frozen_checks = checks
        self.last_thread = threading.current_thread().name
        if get_current_worker().is_cancelled or result.revision != self.revision:
            return  # a newer text is on its way: never paint a stale result
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self._apply, result, started)

    def show_analysis_now(self, result: Analysis) -> None:
        """Paint `result` at once (the publish gate checked the text as it is now): no debounce."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._apply(result, time.perf_counter())

    def _apply(self, result: Analysis, started: float) -> None:
        if result.revision != self.revision or not self.is_mounted:
            return
        self.analysis = result
        findings = result.report.findings
        marks = [
            Mark(f.start, f.end, f.category, i)
            for i, f in enumerate(findings)
            if f.category in DRAWN_CATEGORIES
        ]
        self.editor.set_marks(marks, result.text)
        if self.side_ready:
            self._show_analysis(result)
        revision = result.revision

        from composer.tui.messages import AnalysisShown

        def painted() -> None:
            self.timings.append((revision, started, time.perf_counter()))
            self.post_message(AnalysisShown(revision, result.seconds))

        self.call_after_refresh(painted)

    def _show_analysis(self, result: Analysis) -> None:
        self.sidebar.show(result)
        self.panel.set_budgets(result.budgets)
        self._update_cursor_finding()
        self.publisher.recheck(result)

    # ------------------------------------------------------------------ findings and the cursor
    @on(TextArea.SelectionChanged, "#editor")
    def _selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self._update_cursor_finding()

    def _cursor_offset(self) -> int:
        return self.editor.offset_of(self.editor.cursor_location)

    def _update_cursor_finding(self) -> None:
        if self.analysis is None or not self.side_ready:
            return
        offset = self._cursor_offset()
        best: Mark | None = None
        for m in self.editor.marks:
            if m.start <= offset <= m.end and (best is None or m.end - m.start < best.end - best.start):
                best = m
        findings = self.analysis.report.findings
        self.sidebar.show_at_cursor(findings[best.ref] if best is not None and 0 <= best.ref < len(findings) else None)

    def on_guideline_sidebar_finding_chosen(self, event: GuidelineSidebar.FindingChosen) -> None:
        self.go_to_finding(event.finding)

    def go_to_finding(self, finding: Any) -> None:
        """Move the cursor to a finding's span (the purpose field for a purpose finding)."""
        if finding.category == "purpose":
            self.purpose.focus()
            return
        if self.analysis is None:
            return
        findings = self.analysis.report.findings
        ref = next((i for i, f in enumerate(findings) if f is finding), -1)
        mark = next((m for m in self.editor.marks if m.ref == ref), None)
        if mark is not None:
            self.editor.select_span(mark.start, mark.end)
        elif finding.category in DRAWN_CATEGORIES and self.analysis.text == self.editor.text:
            self.editor.select_span(finding.start, finding.end)
        self.editor.focus()

    def action_next_finding(self) -> None:
        marks = sorted(self.editor.marks, key=lambda m: (m.start, m.end))
        if not marks:
            self.notify("Nothing to point out in the text.", title="Findings")
            return
        offset = self._cursor_offset()
        nxt = next((m for m in marks if m.start > offset or (m.start == offset and self.editor.selection.is_empty)), marks[0])
        self.editor.select_span(nxt.start, nxt.end)
        self.editor.focus()

    # ------------------------------------------------------------------ images
    def action_attach_image(self) -> None:
        """F6: choose a file and write its alt text; it joins the draft's images."""
        self.draft_images.open_dialog(None)

    def on_images_list_edit(self, event: Any) -> None:
        self.draft_images.open_dialog(event.index)

    def on_images_list_remove(self, event: Any) -> None:
        self.draft_images.remove(event.index)

    # ------------------------------------------------------------------ saving, external editor
    def action_save(self) -> None:
        self.composer.save_now()

    def action_external_editor(self) -> None:
        from composer.tui.external import hand_over

        hand_over(self)

    # ------------------------------------------------------------------ publishing (tui/compose/publishing.py)
    @property
    def publishing(self) -> bool:
        return self.publisher.publishing

    @property
    def counting_down(self) -> bool:
        return self.publisher.counting_down

    def action_publish(self) -> None:
        self.publisher.publish_to(None)

    def action_cancel_publish(self) -> None:
        if not self.publisher.cancel_countdown():
            raise SkipAction()

    def on_publish_panel_delivery_action(self, event: PublishPanel.DeliveryAction) -> None:
        self.publisher.delivery_action(event.account, event.action)

    def on_delivery_updated(self, event: DeliveryUpdated) -> None:
        self.panel.set_status(event.account, event.text, event.status)

    def action_withdraw(self) -> None:
        """Delete what this draft published (tui/compose/corrections.py)."""
        from composer.tui.compose.corrections import withdraw

        withdraw(self)

    def action_correct(self) -> None:
        """Publish the edited text over what this draft published (tui/compose/corrections.py)."""
        from composer.tui.compose.corrections import correct

        correct(self)

    def lock_text(self) -> None:
        """A publish is about to go out: the text is read-only until it is over."""
        if self.focused is self.purpose:
            self._last_text = "purpose"  # disabling it moves the focus: come back to it after
        self.editor.read_only = True
        self.purpose.disabled = True

    def unlock_text(self) -> None:
        """The publish is over (or cancelled): the text can be written again (unless it is open elsewhere)."""
        self.editor.read_only = self.purpose.disabled = self.composer.session.read_only
