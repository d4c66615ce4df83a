"""The main screen: purpose, editor, guideline sidebar and publish panel.

The screen owns the flow (STYLE.md section 3): an edit marks the draft dirty for the autosaver and
restarts a short timer; when typing pauses, the checks run (inline for a short post, in a thread
worker for a long one) and the result goes down to the sidebar, the editor and the publish panel.
A result for an older revision of the text is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import Mapping
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

from composer.tui import present
from composer.tui.spans import Mark
from composer.tui.widgets.editor import DRAWN_CATEGORIES, DraftEditor
from composer.tui.widgets.topbar import TopBar
from composer.tui.widgets.undo import UndoBar
from composer.words import account_label, delivery_words, explain

if TYPE_CHECKING:
    from composer.analysis import Analysis, Target
    from composer.drafts import Delivery, Draft
    from composer.drafts.model import ImageRef
    from composer.guidelines.incremental import Incremental
    from composer.publish import PublishCheck
    from composer.tui.host import Host
    from composer.tui.messages import DeliveryUpdated
    from composer.tui.widgets.publish import PublishPanel
    from composer.tui.widgets.sidebar import GuidelineSidebar

ANALYSIS_DELAY = 0.3
"""Seconds of pause in typing before the checks run (debounce)."""

COUNTDOWN_TICK = 0.1
"""How often the undo bar redraws while a publish waits to go out."""


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
        self.publishing = False
        self.timings: deque[tuple[int, float, float]] = deque(maxlen=2000)
        """(revision, when the checks started, when their result was painted): for bench/keystrokes.py."""
        self._timer: Timer | None = None
        self._loading = False
        self._countdown: dict[str, Any] | None = None
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
        self._last_text = "editor"
        """The text field the writer was last in ("editor" or "purpose"): typed keys go back there."""
        self._held: list[tuple[str, str | None]] = []
        """Keys typed while a publish was on its way (the text is read-only then): typed after it."""
        self._side_choice: bool | None = None
        """The writer's F9 choice (True: shown); None: by the width (folded below FOLD_BELOW)."""
        self._blocked_by: str | None = None
        """Why the panel says publishing is blocked (check_publish's blocker); re-checked on each change."""

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

        app = self.composer
        side = self.query_one("#side")
        if not side.is_attached or not self.is_attached:
            return  # the app is closing already
        await self.query_one("#writing").mount(ImagesList(id="images"), after=self.editor)
        if app.draft is not None:
            self._show_images(app.draft)
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
        self._cancel_countdown(quiet=True)
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
            self._show_images(draft)
        self._set_title(draft.body)
        self.revision += 1
        self.editor.move_cursor(self.editor.document.end)
        self._blocked_by = None
        self.focus_text("editor")  # a new or opened draft: the cursor is in the text, at its end
        self.call_after_refresh(self.analyse_now)

    # ------------------------------------------------------------------ where typed keys go (composer/tui/keys.py)
    def on_descendant_focus(self, event: Any) -> None:
        if event.widget.id in ("editor", "purpose") and self._countdown is None and not self.publishing:
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

    def _type_held(self) -> None:
        from textual import events

        held, self._held = self._held, []
        if held:
            target = self.focus_text()
            for key, character in held:
                target.post_message(events.Key(key, character))

    def cancel_countdown_by_typing(self) -> None:
        """A key typed during the undo window: the writer is still writing; nothing goes out."""
        self._cancel_countdown(quiet=True)
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
        panel.clear_statuses()
        self._blocked_by = None
        panel.set_notice(self._draft_notice(draft))
        panel.remove_class("-blocked")
        for name, delivery in draft.deliveries.items():
            if delivery.status != "pending":
                self.show_delivery(name, delivery)

    def _draft_notice(self, draft: Draft) -> str:
        notice = self._unknown_notice(draft)
        if draft.reply_to:
            from composer.dialogue.replies import answering

            line = f"{answering(draft)}: Ctrl+J publishes this as a reply to their post."
            notice = f"{line}\n{notice}" if notice else line
        return notice

    def _unknown_notice(self, draft: Draft) -> str:
        unknown = [a for a in draft.accounts if a not in self.composer.config.accounts]
        if self.composer.config_error:
            return "Accounts are unavailable until config.toml is fixed: " + self.composer.config_error
        if unknown:
            return (
                f"This draft was meant for {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} "
                "not in your config; see F3."
            )
        return ""

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
        self._changed()

    @on(Input.Changed, "#purpose")
    def _purpose_changed(self, event: Input.Changed) -> None:
        if self._loading:
            return
        self.composer.draft_changed(purpose=event.value)
        self._changed()

    def on_publish_panel_account_toggled(self, event: PublishPanel.AccountToggled) -> None:
        if self._loading:
            return
        self.composer.draft_changed(accounts=self.panel.checked)
        self._changed()
        self._recheck_notice()

    def _changed(self) -> None:
        self.revision += 1
        self._changed_at = time.perf_counter()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(ANALYSIS_DELAY, self.analyse_now, name="analysis-debounce")

    # ------------------------------------------------------------------ analysis
    def _targets(self) -> list[Target]:
        from composer.analysis import targets

        return targets(self.composer.config.accounts.values())

    def _analyzers(self) -> dict[str, Any]:
        """How the checks are run: the app's own analyzer (the snapshot tests pin the findings),
        or the open draft's `Incremental`, which re-checks only what an edit touched."""
        if self.composer.analyzer is not None:
            return {"analyzer": self.composer.analyzer}
        if self._checks is None:
            from composer.guidelines.incremental import Incremental

            self._checks = Incremental()
        return {"analyzer": self._checks.analyze, "tracker": self._checks.length}

    def analyse_now(self) -> None:
        """Run the checks on the text as it is now (inline when short, else in a thread)."""
        from composer.analysis import LONG_DRAFT_CHARS, run_analysis

        self._timer = None
        text = self.editor.text
        args = (self.revision, text, self.purpose.value)
        kwargs: dict[str, Any] = dict(
            targets=self._targets(),
            checked=self.panel.checked if self.side_ready else list(self.composer.draft.accounts if self.composer.draft else ()),
            settings=self.composer.config.guidelines,
            content_warning=self.composer.draft.content_warning if self.composer.draft else "",
            **self._analyzers(),
            images=list(self.composer.draft.images) if self.composer.draft else [],
            draft_path=self.composer.draft.path if self.composer.draft else None,
        )
        started = time.perf_counter()
        if len(text) < LONG_DRAFT_CHARS:
            self._apply(run_analysis(*args, **kwargs), started)
        else:
            self._analyse_in_thread(args, kwargs, started)

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False, description="guideline checks")
    def _analyse_in_thread(self, args: tuple, kwargs: dict, started: float) -> None:
        from composer.analysis import run_analysis

        result = run_analysis(*args, **kwargs)
        self.last_thread = threading.current_thread().name
        if get_current_worker().is_cancelled or result.revision != self.revision:
            return  # a newer text is on its way: never paint a stale result
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self._apply, result, started)

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
        self._recheck_notice(result)

    def _recheck_notice(self, result: Analysis | None = None) -> None:
        """The panel's "why not published" line stays only while it is true (issue 15)."""
        why = self._blocked_by
        if why is None or not self.side_ready:
            return
        app = self.composer
        if why == "empty":
            still = not self.editor.text.strip()
        elif why == "nothing-chosen":
            still = not self.panel.checked
        elif why == "guidelines":
            still = result is None or bool(result.report.errors)
        elif why == "already-published":
            draft = app.draft
            checked = self.panel.checked
            still = draft is not None and bool(checked) and all(
                (d := draft.deliveries.get(a)) is not None and d.status == "sent" for a in checked
            )
        elif why == "no-accounts":
            still = not app.config.accounts
        elif why == "config":
            still = bool(app.config_error)
        else:
            still = result is None
        if still:
            return
        self._blocked_by = None
        self.panel.remove_class("-blocked")
        self.panel.set_notice(self._draft_notice(app.draft) if app.draft else "")

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
    def _show_images(self, draft: Draft) -> None:
        from composer.tui.widgets.images import ImagesList

        with contextlib.suppress(Exception):  # not mounted yet: shown when it is
            self.query_one("#images", ImagesList).show(draft.images, draft.path)

    def action_attach_image(self) -> None:
        """F6: choose a file and write its alt text; it joins the draft's images."""
        self._image_dialog(None)

    def _image_dialog(self, index: int | None) -> None:
        from composer.tui.screens.images import AttachImageModal

        draft = self.composer.draft
        if draft is None:
            return
        current = draft.images[index] if index is not None and index < len(draft.images) else None

        def done(image: ImageRef | None) -> None:
            if image is None or self.composer.draft is not draft:
                return
            images = list(draft.images)
            if index is not None and index < len(images):
                images[index] = image
            else:
                images.append(image)
            self._set_images(images)
            self.notify(f"{image.name} attached, with its alt text." if current is None
                        else f"{image.name} changed.", title="Images")

        self.app.push_screen(AttachImageModal(draft.path, current), done)

    def _set_images(self, images: list[ImageRef]) -> None:
        draft = self.composer.draft
        if draft is None:
            return
        self.composer.draft_changed(images=images)
        draft.images = list(images)  # (the autosaver's draft is this one; set it for a session without one too)
        self._show_images(draft)
        self._changed()

    def on_images_list_edit(self, event: Any) -> None:
        self._image_dialog(event.index)

    def on_images_list_remove(self, event: Any) -> None:
        draft = self.composer.draft
        if draft is None or not 0 <= event.index < len(draft.images):
            return
        images = list(draft.images)
        gone = images.pop(event.index)
        self._set_images(images)
        self.notify(f"{gone.name} removed from the draft (the file stays where it is).", title="Images")
        self.editor.focus()

    # ------------------------------------------------------------------ saving, external editor
    def action_save(self) -> None:
        self.composer.save_now()

    def action_external_editor(self) -> None:
        from composer.tui.external import ExternalEditorError, edit_externally, editor_command

        if self.publishing or self._countdown is not None:
            self.notify("Wait until publishing is over.", title="Your editor")
            return
        try:
            argv = editor_command()
        except ExternalEditorError as err:
            self.notify(str(err), title="Your editor", severity="warning")
            return
        if argv is None:
            self.notify(
                "Set $VISUAL or $EDITOR to the editor you like (for example `export EDITOR=nvim`), then "
                "restart the composer.",
                title="No editor set",
                severity="warning",
            )
            return
        self.composer.save_now(quiet=True)
        text = self.editor.text
        if self.app.is_headless:
            suspend: Any = contextlib.nullcontext()  # no terminal to hand over (tests)
        else:
            suspend = self.app.suspend()
        try:
            new = edit_externally(text, argv, suspend)
        except ExternalEditorError as err:
            self.notify(str(err), title="Your editor", severity="error")
            return
        except Exception as err:  # SuspendNotSupported and friends
            self.notify(f"Could not hand the terminal to your editor here ({type(err).__name__}).", severity="error")
            return
        if new != text:
            # One edit for the whole text: Ctrl+Z brings back what was there before.
            self.editor.replace(new, (0, 0), self.editor.document.end)
            self.notify("Text taken back from your editor.", title="Your editor")
        self.editor.focus()

    # ------------------------------------------------------------------ publishing
    def action_publish(self) -> None:
        self.publish_to(None)

    def publish_to(self, only: list[str] | None) -> None:
        """Publish to the ticked accounts (`only`: to these accounts alone), after the publish gate
        (`composer.publish.check_publish`) and the undo window."""
        if not self.side_ready or self.composer.draft is None:
            return  # a keypress in the first few milliseconds: nothing to publish yet
        if self.publishing or self._countdown is not None:
            self.notify("Publishing is already under way.", title="Publish")
            return
        from composer.publish import check_publish

        app = self.composer
        panel = self.panel
        text = self.editor.text
        assert app.draft is not None  # the screen only publishes once a draft is open
        check = check_publish(
            app.draft,
            panel.checked if only is None else list(only),
            app.config,
            body=text,
            purpose=self.purpose.value,
            config_error=app.config_error,
            revision=self.revision,
            **self._analyzers(),
        )
        if check.analysis is not None:  # the text as it is now, not as it was at the last pause
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self._apply(check.analysis, time.perf_counter())
        if not check.ok:
            self._blocked_by = check.blocker
            self._show_blocked(check)
            return
        self._blocked_by = None
        # Accounts it already went out to are left alone (run_publish skips them too): say so.
        accounts = [a for a in check.accounts if a not in check.published]
        warnings = [_warning_line(w, text) for w in check.warnings]
        panel.set_notice(_already_line(check.published))
        if only is None:
            panel.clear_statuses()
        draft = app.draft
        for name in check.published:
            if name in draft.deliveries:
                self.show_delivery(name, draft.deliveries[name])
        seconds = max(0.0, float(app.config.editor.undo_seconds))
        if seconds <= 0:
            self._start_publish(accounts)
            return
        self._countdown = {
            "deadline": time.monotonic() + seconds,
            "total": seconds,
            "accounts": accounts,
            "warnings": warnings,
            "timer": self.set_interval(COUNTDOWN_TICK, self._tick, name="publish-countdown"),
        }
        if self.focused is self.purpose:
            self._last_text = "purpose"  # disabling it moves the focus: come back to it after
        self.editor.read_only = True
        self.purpose.disabled = True
        self._tick()

    def _show_blocked(self, check: PublishCheck) -> None:
        """Say in the panel (and a toast) why the draft did not go out."""
        panel = self.panel
        blocker = check.blocker
        if blocker == "config":
            panel.set_notice(check.message, "error")
            self.notify(self.composer.config_error, title="Cannot publish", severity="error")
        elif blocker == "no-accounts":
            from composer.tui.widgets.publish import NO_ACCOUNTS_HELP

            panel.set_notice(NO_ACCOUNTS_HELP, "error")
            self.notify("Add an account first (see the panel, or F3).", title="No accounts", severity="warning")
        elif blocker == "nothing-chosen":
            panel.set_notice("Tick at least one account below to publish to.", "error")
            self.notify("Tick at least one account to publish to.", title="Publish", severity="warning")
        elif blocker == "empty":
            panel.set_notice("There is nothing to publish yet.", "error")
        elif blocker == "guidelines":
            errors = check.errors
            lines = [f"✖ {present.category_title(e.category)}: {e.message}" for e in errors[:5]]
            if len(errors) > 5:
                lines.append(f"… and {len(errors) - 5} more in the sidebar.")
            panel.set_notice("Not published, because of what blocks it:\n" + "\n".join(lines), "error")
            panel.add_class("-blocked")
            self.notify(
                errors[0].message if len(errors) == 1 else f"{len(errors)} guideline errors; the publish panel lists them.",
                title="Not published",
                severity="error",
            )
        elif blocker == "already-published":
            draft = self.composer.draft
            for name in check.published:
                if draft is not None and name in draft.deliveries:
                    self.show_delivery(name, draft.deliveries[name])
            panel.set_notice(check.message)
            self.notify(check.message, title="Publish")
        else:
            panel.set_notice(check.message, "error")
            self.notify(check.message, title="Not published", severity="error")

    @property
    def counting_down(self) -> bool:
        return self._countdown is not None

    def _tick(self) -> None:
        cd = self._countdown
        if cd is None:
            return
        left = cd["deadline"] - time.monotonic()
        if left <= 0:
            cd["timer"].stop()
            self._countdown = None
            self.query_one(UndoBar).hide()
            self._start_publish(cd["accounts"])
            return
        labels = {t.account: t.label for t in self._targets()}
        self.query_one(UndoBar).show_countdown(
            [labels.get(a, a) for a in cd["accounts"]], left, cd["total"], cd["warnings"]
        )

    def action_cancel_publish(self) -> None:
        if self._countdown is None:
            raise SkipAction()
        self._cancel_countdown()

    def _cancel_countdown(self, quiet: bool = False) -> None:
        cd = self._countdown
        if cd is None:
            return
        cd["timer"].stop()
        self._countdown = None
        self.query_one(UndoBar).hide()
        self.editor.read_only = self.purpose.disabled = self.composer.session.read_only  # (open elsewhere)
        if not quiet:
            self.panel.set_notice("Publishing cancelled. Nothing was sent.")
            self.notify("Nothing was sent.", title="Publishing cancelled")
        self.focus_text()

    def _start_publish(self, accounts: list[str]) -> None:
        self._last_text = "purpose" if self.focused is self.purpose else self._last_text
        self.publishing = True
        self.editor.read_only = True
        self.purpose.disabled = True
        for name in accounts:
            self.panel.set_status(name, "connecting…", "sending")
        self.publish(accounts)

    @work(exclusive=True, group="publish", exit_on_error=False, description="publish the draft")
    async def publish(self, accounts: list[str]) -> None:
        from composer.publish import run_publish
        from composer.tui.messages import DeliveryUpdated

        app = self.composer
        results: dict[str, str] = {}

        def on_update(account: str, delivery: Delivery) -> None:
            words = delivery_words(delivery)
            self.post_message(DeliveryUpdated(account, words.state, words.text))

        def on_problem(account: str, why: str) -> None:  # keyring, missing secret: say which and why
            results[account] = "failed"
            self.post_message(DeliveryUpdated(account, "failed", f"✖ not published: {why}"))

        async def opener(name: str) -> Any:
            return await app.open_client(name, config=app.config)

        try:
            draft = await asyncio.to_thread(app.session.prepare_publish)
            run = await run_publish(
                app.store, draft, accounts, opener, release=app.release_client, on_update=on_update, on_problem=on_problem
            )
            for account, delivery in run.deliveries.items():
                on_update(account, delivery)
                results[account] = delivery_words(delivery).state
        except Exception as err:
            self.notify(f"Publishing stopped: {explain(err)}", title="Not published", severity="error", timeout=15)
        finally:
            await asyncio.to_thread(app.session.refresh_deliveries)
            self.publishing = False
            self.editor.read_only = self.purpose.disabled = self.composer.session.read_only  # (open elsewhere)
            if self.focused is None or self._held:
                self.focus_text()
            self._type_held()
        self._summarise(results)

    def _summarise(self, results: Mapping[str, str]) -> None:
        sent = [a for a, s in results.items() if s == "sent"]
        queued = [a for a, s in results.items() if s == "queued"]
        failed = [a for a, s in results.items() if s not in ("sent", "queued")]
        parts = []
        if sent:
            parts.append(f"Published to {', '.join(sent)}.")
        if queued:
            parts.append(f"{', '.join(queued)}: waits in the outbox (`humane outbox flush` sends it).")
        if failed:
            parts.append(f"{', '.join(failed)}: not published; the panel says why.")
        if parts:
            self.notify(" ".join(parts), title="Publish", severity="information" if not failed else "warning", timeout=8)

    def on_publish_panel_delivery_action(self, event: PublishPanel.DeliveryAction) -> None:
        if self.publishing or self._countdown is not None:
            self.notify("Wait until publishing is over.", title="Publish")
            return
        self._delivery_action(event.account, event.action)

    @work(exclusive=True, group="delivery-action", exit_on_error=False, description="resend, mark as sent or reset")
    async def _delivery_action(self, account: str, action: str) -> None:
        from composer.publish import mark_sent, reset_delivery

        app = self.composer
        draft = app.draft
        if draft is None:
            return
        ref = str(draft.path) if draft.path else draft.id  # a draft opened from anywhere lives there
        try:
            if action == "mark-sent":
                delivery = await asyncio.to_thread(mark_sent, app.store, ref, account, None)
            else:
                delivery = await asyncio.to_thread(reset_delivery, app.store, ref, account)
        except Exception as err:  # the draft changed on disk, or it was sent meanwhile: say so
            self.notify(explain(err), title=f"{account}: nothing changed", severity="warning", timeout=8)
            return
        await asyncio.to_thread(app.session.refresh_deliveries)
        if action == "mark-sent":
            self.show_delivery(account, delivery)
            self.notify(f"Marked as published to {account}; it will not be sent again.", title="Publish")
        elif action == "resend":
            self.panel.set_status(account, "Reset: sending the current text as a new post…", "sending")
            self.publish_to([account])
        else:
            self.panel.set_status(
                account, "Reset. Ctrl+J publishes the current text to it as a new post.", "cancelled"
            )

    # ------------------------------------------------------------------ withdrawing, correcting
    def _published_here(self) -> tuple[Draft, list[str]] | None:
        from composer.dialogue.correct import published

        draft = self.composer.draft
        if draft is None:
            return None
        if self.publishing or self._countdown is not None:
            self.notify("Wait until publishing is over.", title="Publish")
            return None
        names = [n for n in published(draft) if n in self.composer.config.accounts]
        if not names:
            self.notify("Nothing of this draft is published on your accounts.", title="Nothing to change")
            return None
        return draft, names

    def action_withdraw(self) -> None:
        """Delete what this draft published, after a confirmation that says what goes where."""
        from composer.dialogue.correct import withdrawal_plan
        from composer.tui.screens.dialogs import ConfirmModal

        found = self._published_here()
        if found is None:
            return
        draft, names = found
        text = ("This deletes:\n" + "\n".join(f"  {line}" for line in withdrawal_plan(draft, names))
                + "\n\nReplies to it stay where they are, without the post they answer. The draft keeps its "
                "text and a record of the deletion.")

        def answer(yes: bool | None) -> None:
            if yes:
                self._correct_worker(names, "withdraw")

        self.app.push_screen(ConfirmModal("Delete the published post?", text, "Delete"), answer)

    def action_correct(self) -> None:
        """Publish the edited text over what this draft published: in place where the platform can;
        elsewhere, after a warning that the replies are detached, deleted and published again."""
        from composer.dialogue.correct import can_edit, withdrawal_plan
        from composer.publish import check_publish
        from composer.tui.screens.dialogs import ConfirmModal

        found = self._published_here()
        if found is None:
            return
        draft, names = found
        app = self.composer
        app.save_now(quiet=True)
        check = check_publish(draft, names, app.config, body=self.editor.text, purpose=self.purpose.value,
                              config_error=app.config_error, analyzer=app.analyzer)
        if check.blocker not in (None, "already-published"):
            self._show_blocked(check)
            return
        config = app.config.accounts
        reposts = [n for n in names if not can_edit(config[n].platform)]
        if not reposts:
            self._correct_worker(names, "edit")
            return
        text = ("These cannot be edited in place; they will be deleted and the correction published as new posts:\n"
                + "\n".join(f"  {line}" for line in withdrawal_plan(draft, reposts))
                + "\n\nTheir replies will be detached: they stay with the deleted posts and do not follow the new "
                "ones. Cancel edits only where the platform can edit in place.")

        def answer(yes: bool | None) -> None:
            self._correct_worker(names if yes else [n for n in names if n not in reposts], "repost" if yes else "edit")

        self.app.push_screen(ConfirmModal("Delete and publish again?", text, "Delete and repost"), answer)

    @work(exclusive=True, group="correct", exit_on_error=False, description="delete or edit published posts")
    async def _correct_worker(self, names: list[str], how: str) -> None:
        from composer.dialogue.correct import correct, withdraw

        app = self.composer
        draft = app.draft
        if draft is None or not names:
            return
        fresh = await asyncio.to_thread(app.store.load, draft.path or draft.id)
        if how == "withdraw":
            outcomes = await withdraw(app.store, fresh, names, app.open_client, release=app.release_client)
        else:
            outcomes = await correct(app.store, fresh, names, app.open_client, repost=how == "repost",
                                     release=app.release_client)
        await asyncio.to_thread(app.session.refresh_deliveries)
        for o in outcomes:
            if o.delivery is not None:
                self.show_delivery(o.account, o.delivery)
        bad = [o for o in outcomes if not o.ok]
        lines = [f"{o.account}: {o.message}" for o in outcomes]
        title = {"withdraw": "Delete", "edit": "Correction", "repost": "Correction"}[how]
        self.notify("\n".join(lines), title=title, severity="warning" if bad else "information", timeout=10)

    def on_delivery_updated(self, event: DeliveryUpdated) -> None:
        self.panel.set_status(event.account, event.text, event.status)

    def show_delivery(self, account: str, delivery: Delivery) -> None:
        words = delivery_words(delivery)
        self.panel.set_status(account, words.text, words.state)


def _already_line(published: Mapping[str, str | None]) -> str:
    """"Already published to X (URL)" for the chosen accounts a publish leaves alone."""
    if not published:
        return ""
    where = ", ".join(f"{n} ({url})" if url else n for n, url in published.items())
    return f"Already published to {where}; left alone."


def _warning_line(finding: Any, text: str) -> str:
    """One short line for the undo window: the category and the words, or the gist."""
    whole = finding.start <= 0 and finding.end >= len(text)
    if whole or finding.category in ("purpose", "readability"):
        head, dot, _ = finding.message.partition(". ")
        return f"{present.category_title(finding.category)}: {head}{'.' if dot else ''}"
    return f"{present.category_title(finding.category)}: “{present.excerpt(text, finding.start, finding.end, 40)}”"
