"""Publishing from the compose screen: the publish gate's answer (`composer.publish.check_publish`)
in the publish panel, the undo window, the publish worker and its summary, and the panel's
per-account actions (resend, mark as sent, reset).

`Publisher` is held by `ComposeScreen`, which routes its keys and messages here; it reaches the
text, the panel and the analysis through the screen's public names.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from composer.tui import present
from composer.tui.widgets.undo import UndoBar
from composer.words import delivery_words, explain

if TYPE_CHECKING:
    from textual.timer import Timer

    from composer.analysis import Analysis
    from composer.drafts import Delivery, Draft
    from composer.publish import PublishCheck
    from composer.tui.screens.compose import ComposeScreen

Job = Callable[[], Awaitable[None]]
"""An async worker's work, its arguments bound."""

COUNTDOWN_TICK = 0.1
"""How often the undo bar redraws while a publish waits to go out."""


@dataclass
class Countdown:
    """A publish waiting in its undo window."""

    deadline: float
    """time.monotonic() when it goes out."""
    total: float
    """Seconds of the whole window."""
    accounts: list[str]
    warnings: list[str]
    """One line per guideline warning, shown in the undo bar."""
    timer: Timer


class Publisher:
    """The compose screen's publishing: gate, undo window, worker, summary, delivery actions."""

    def __init__(self, screen: ComposeScreen) -> None:
        self.screen = screen
        self.publishing = False
        """True while the publish worker runs (the text is read-only, typed keys are held)."""
        self.blocked_by: str | None = None
        """Why the panel says publishing is blocked (check_publish's blocker); re-checked on each change."""
        self._countdown: Countdown | None = None

    @property
    def counting_down(self) -> bool:
        return self._countdown is not None

    @property
    def busy(self) -> bool:
        """Publishing, or about to (the undo window is open)."""
        return self.publishing or self._countdown is not None

    def wait_if_busy(self, title: str = "Publish") -> bool:
        """True (and the writer is told to wait) while a publish is under way or about to be."""
        if self.busy:
            self.screen.notify("Wait until publishing is over.", title=title)
        return self.busy

    # ------------------------------------------------------------------ the panel's notice
    def reset_panel(self, draft: Draft) -> None:
        """The panel shows `draft`'s notice and what it published so far, nothing blocked."""
        panel = self.screen.panel
        panel.clear_statuses()
        self.blocked_by = None
        panel.set_notice(self.draft_notice(draft))
        panel.remove_class("-blocked")
        for name, delivery in draft.deliveries.items():
            if delivery.status != "pending":
                self.show_delivery(name, delivery)

    def draft_notice(self, draft: Draft) -> str:
        notice = self._unknown_notice(draft)
        if draft.reply_to:
            from composer.dialogue.replies import answering

            line = f"{answering(draft)}: Ctrl+J publishes this as a reply to their post."
            notice = f"{line}\n{notice}" if notice else line
        return notice

    def _unknown_notice(self, draft: Draft) -> str:
        app = self.screen.composer
        unknown = [a for a in draft.accounts if a not in app.config.accounts]
        if app.config_error:
            return "Accounts are unavailable until config.toml is fixed: " + app.config_error
        if unknown:
            return (
                f"This draft was meant for {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} "
                "not in your config; see F3."
            )
        return ""

    def recheck(self, result: Analysis | None = None) -> None:
        """The panel's "why not published" line stays only while it is true (issue 15)."""
        why = self.blocked_by
        screen = self.screen
        if why is None or not screen.side_ready:
            return
        app = screen.composer
        if why == "empty":
            still = not screen.editor.text.strip()
        elif why == "nothing-chosen":
            still = not screen.panel.checked
        elif why == "guidelines":
            still = result is None or bool(result.report.errors)
        elif why == "already-published":
            draft = app.draft
            checked = screen.panel.checked
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
        self.blocked_by = None
        screen.panel.remove_class("-blocked")
        screen.panel.set_notice(self.draft_notice(app.draft) if app.draft else "")

    # ------------------------------------------------------------------ the gate and the undo window
    def publish_to(self, only: list[str] | None) -> None:
        """Publish to the ticked accounts (`only`: to these accounts alone), after the publish gate
        (`composer.publish.check_publish`) and the undo window."""
        screen = self.screen
        app = screen.composer
        if not screen.side_ready or app.draft is None:
            return  # a keypress in the first few milliseconds: nothing to publish yet
        if self.busy:
            screen.notify("Publishing is already under way.", title="Publish")
            return
        from composer.publish import check_publish

        panel = screen.panel
        text = screen.editor.text
        check = check_publish(
            app.draft,
            panel.checked if only is None else list(only),
            app.config,
            body=text,
            purpose=screen.purpose.value,
            config_error=app.config_error,
            revision=screen.revision,
            **screen.analyzers(),
        )
        if check.analysis is not None:  # the text as it is now, not as it was at the last pause
            screen.show_analysis_now(check.analysis)
        if not check.ok:
            self.blocked_by = check.blocker
            self.show_blocked(check)
            return
        self.blocked_by = None
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
            self._start(accounts)
            return
        self._countdown = Countdown(
            deadline=time.monotonic() + seconds,
            total=seconds,
            accounts=accounts,
            warnings=warnings,
            timer=screen.set_interval(COUNTDOWN_TICK, self._tick, name="publish-countdown"),
        )
        screen.lock_text()
        self._tick()

    def show_blocked(self, check: PublishCheck) -> None:
        """Say in the panel (and a toast) why the draft did not go out."""
        screen = self.screen
        panel = screen.panel
        blocker = check.blocker
        if blocker == "config":
            panel.set_notice(check.message, "error")
            screen.notify(screen.composer.config_error, title="Cannot publish", severity="error")
        elif blocker == "no-accounts":
            from composer.tui.widgets.publish import NO_ACCOUNTS_HELP

            panel.set_notice(NO_ACCOUNTS_HELP, "error")
            screen.notify("Add an account first (see the panel, or F3).", title="No accounts", severity="warning")
        elif blocker == "nothing-chosen":
            panel.set_notice("Tick at least one account below to publish to.", "error")
            screen.notify("Tick at least one account to publish to.", title="Publish", severity="warning")
        elif blocker == "empty":
            panel.set_notice("There is nothing to publish yet.", "error")
        elif blocker == "guidelines":
            errors = check.errors
            lines = [f"✖ {present.category_title(e.category)}: {e.message}" for e in errors[:5]]
            if len(errors) > 5:
                lines.append(f"… and {len(errors) - 5} more in the sidebar.")
            panel.set_notice("Not published, because of what blocks it:\n" + "\n".join(lines), "error")
            panel.add_class("-blocked")
            screen.notify(
                errors[0].message if len(errors) == 1 else f"{len(errors)} guideline errors; the publish panel lists them.",
                title="Not published",
                severity="error",
            )
        elif blocker == "already-published":
            draft = screen.composer.draft
            for name in check.published:
                if draft is not None and name in draft.deliveries:
                    self.show_delivery(name, draft.deliveries[name])
            panel.set_notice(check.message)
            screen.notify(check.message, title="Publish")
        else:
            panel.set_notice(check.message, "error")
            screen.notify(check.message, title="Not published", severity="error")

    def _tick(self) -> None:
        cd = self._countdown
        if cd is None:
            return
        undo = self.screen.query_one(UndoBar)
        left = cd.deadline - time.monotonic()
        if left <= 0:
            cd.timer.stop()
            self._countdown = None
            undo.hide()
            self._start(cd.accounts)
            return
        labels = {t.account: t.label for t in self.screen.targets()}
        undo.show_countdown([labels.get(a, a) for a in cd.accounts], left, cd.total, cd.warnings)

    def cancel_countdown(self, quiet: bool = False) -> bool:
        """Stop the undo window (nothing goes out); False when there was none."""
        cd = self._countdown
        if cd is None:
            return False
        screen = self.screen
        cd.timer.stop()
        self._countdown = None
        screen.query_one(UndoBar).hide()
        screen.unlock_text()
        if not quiet:
            screen.panel.set_notice("Publishing cancelled. Nothing was sent.")
            screen.notify("Nothing was sent.", title="Publishing cancelled")
        screen.focus_text()
        return True

    # ------------------------------------------------------------------ sending
    def _start(self, accounts: list[str]) -> None:
        screen = self.screen
        self.publishing = True
        screen.lock_text()
        for name in accounts:
            screen.panel.set_status(name, "connecting…", "sending")
        work: Job = partial(self._publish, accounts)
        screen.run_worker(work, name="publish", group="publish", exclusive=True,
                          exit_on_error=False, description="publish the draft")

    async def _publish(self, accounts: list[str]) -> None:
        from composer.publish import run_publish
        from composer.tui.messages import DeliveryUpdated

        screen = self.screen
        app = screen.composer
        results: dict[str, str] = {}

        def on_update(account: str, delivery: Delivery) -> None:
            words = delivery_words(delivery)
            screen.post_message(DeliveryUpdated(account, words.state, words.text))

        def on_problem(account: str, why: str) -> None:  # keyring, missing secret: say which and why
            results[account] = "failed"
            screen.post_message(DeliveryUpdated(account, "failed", f"✖ not published: {why}"))

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
            screen.notify(f"Publishing stopped: {explain(err)}", title="Not published", severity="error", timeout=15)
        finally:
            await asyncio.to_thread(app.session.refresh_deliveries)
            self.publishing = False
            screen.unlock_text()
            screen.type_held()
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
            self.screen.notify(" ".join(parts), title="Publish", severity="information" if not failed else "warning",
                               timeout=8)

    def show_delivery(self, account: str, delivery: Delivery) -> None:
        words = delivery_words(delivery)
        self.screen.panel.set_status(account, words.text, words.state)

    # ------------------------------------------------------------------ the panel's actions
    def delivery_action(self, account: str, action: str) -> None:
        """Resend, mark as sent or reset `account`'s delivery (a button in the panel)."""
        if self.wait_if_busy():
            return
        work: Job = partial(self._delivery_action, account, action)
        self.screen.run_worker(work, name="delivery-action",
                               group="delivery-action", exclusive=True, exit_on_error=False,
                               description="resend, mark as sent or reset")

    async def _delivery_action(self, account: str, action: str) -> None:
        from composer.publish import mark_sent, reset_delivery

        screen = self.screen
        app = screen.composer
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
            screen.notify(explain(err), title=f"{account}: nothing changed", severity="warning", timeout=8)
            return
        await asyncio.to_thread(app.session.refresh_deliveries)
        if action == "mark-sent":
            self.show_delivery(account, delivery)
            screen.notify(f"Marked as published to {account}; it will not be sent again.", title="Publish")
        elif action == "resend":
            screen.panel.set_status(account, "Reset: sending the current text as a new post…", "sending")
            self.publish_to([account])
        else:
            screen.panel.set_status(
                account, "Reset. Ctrl+J publishes the current text to it as a new post.", "cancelled"
            )


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
