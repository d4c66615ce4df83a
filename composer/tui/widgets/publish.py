"""The publish panel (accounts as checkboxes with their budgets, per-account progress and result)
and the undo bar shown while a publish waits to go out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Label, Static

from composer.analysis import Budget
from composer.tui import present
from composer.tui.widgets.sidebar import needs_layout

NO_ACCOUNTS_HELP = (
    "No accounts yet. Drafts and checks work without one. To publish, press F3, then n, to add "
    "an account (it shows here at once; `humane accounts add` in a terminal works too)."
)


_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class AccountRow:
    name: str
    label: str
    """Name plus handle, as shown next to the checkbox."""
    platform: str


class PublishPanel(VerticalScroll):
    """Where the draft goes, and what happened when it went."""

    DEFAULT_CSS = """
    PublishPanel {
        height: auto;
        max-height: 55%;
        scrollbar-size-vertical: 1;
        padding: 1 0 0 0;
        border-top: hkey $border-blurred;
    }
    #publish-notice {
        color: $text-warning;
        margin-bottom: 1;
        &.error { color: $text-error; }
    }
    #no-accounts { color: $text-muted; }
    .account-row {
        height: auto;
        margin-bottom: 1;
    }
    .account-row Checkbox {
        background: transparent;
        border: none;
        padding: 0;
    }
    .budget {
        padding-left: 4;
        color: $text-muted;
        &.over { color: $text-warning; }
    }
    .delivery-links {
        height: 1;
        padding-left: 4;
    }
    .delivery-actions {
        height: 1;
        padding-left: 4;
        & Button { margin-right: 2; }
        &.needs-check .reset { display: none; }
        &.edited .resend, &.edited .mark-sent { display: none; }
    }
    .delivery {
        padding-left: 4;
        &.needs-check { color: $text-warning; }
        &.edited { color: $text-warning; }
        &.sending { color: $text-muted; }
        &.sent { color: $text-success; }
        &.queued { color: $text-warning; }
        &.failed { color: $text-error; }
        &.cancelled { color: $text-muted; }
    }
    """
    """Parsed when the panel first mounts (after the first frame), not at start-up."""

    @dataclass
    class AccountToggled(Message):
        account: str
        checked: bool

    @dataclass
    class DeliveryAction(Message):
        """The writer chose what to do about a delivery that waits for them: `action` is
        "resend" (reset, then publish to that account again), "mark-sent" or "reset"."""

        account: str
        action: str

    def __init__(self, accounts: Sequence[AccountRow] = (), checked: Iterable[str] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self._accounts = list(accounts)
        self._checked = set(checked)
        self._ids = {a.name: f"acct-{i}" for i, a in enumerate(self._accounts)}
        self._budgets: dict[str, Budget] = {}
        self._budget_shown: dict[str, str] = {}
        self._links: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("Publish to", classes="section-title")
        yield Static("", id="publish-notice", classes="hidden")
        if not self._accounts:
            yield Static(NO_ACCOUNTS_HELP, id="no-accounts")
        for a in self._accounts:
            aid = self._ids[a.name]
            with Vertical(classes="account-row", id=f"{aid}-row"):
                yield Checkbox(a.label, a.name in self._checked, id=aid, compact=True)
                yield Static("", id=f"{aid}-budget", classes="budget")
                yield Static("", id=f"{aid}-status", classes="delivery hidden")
                with Horizontal(id=f"{aid}-actions", classes="delivery-actions hidden"):
                    yield Button("Resend anyway", id=f"{aid}-resend", classes="resend", compact=True)
                    yield Button("Mark as sent", id=f"{aid}-mark-sent", classes="mark-sent", compact=True)
                    yield Button("Reset", id=f"{aid}-reset", classes="reset", compact=True)
                with Horizontal(id=f"{aid}-links", classes="delivery-links hidden"):
                    yield Button("Copy link", id=f"{aid}-copy", classes="copy-link", compact=True)

    @property
    def rows(self) -> list[AccountRow]:
        """The accounts offered, in config order."""
        return list(self._accounts)

    @property
    def checked(self) -> list[str]:
        """Chosen account names, in config order."""
        return [a.name for a in self._accounts if a.name in self._checked]

    def set_checked(self, names: Iterable[str]) -> None:
        self._checked = {n for n in names if n in self._ids}
        for a in self._accounts:
            box = self.query_one(f"#{self._ids[a.name]}", Checkbox)
            with box.prevent(Checkbox.Changed):
                box.value = a.name in self._checked
        self._show_budgets()

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        for name, aid in self._ids.items():
            if event.checkbox.id == aid:
                (self._checked.add if event.value else self._checked.discard)(name)
                self._show_budgets()
                self.post_message(self.AccountToggled(name, event.value))

    def set_budgets(self, budgets: Iterable[Budget]) -> None:
        """Each account's budget; a chosen account also gets a length meter and its thread parts."""
        self._budgets = {b.account: b for b in budgets}
        self._show_budgets()

    def _show_budgets(self) -> None:
        for name, b in self._budgets.items():
            aid = self._ids.get(name)
            if aid is None:
                continue
            over = not b.fits
            t = Text(present.platform_label(b.platform), "")
            if name in self._checked:
                t.append("  ")
                t.append(present.meter(b.count, b.limit, 10), "bold" if over else "")
                limit = "no limit" if b.limit is None else f"{b.limit:,}"
                t.append(f" {b.count:,}/{limit}")
                if over and b.over_what:
                    t.append(f"\ntoo many {b.over_what} for one post: a thread of {b.parts} parts")
                elif over and b.limit is not None:
                    t.append(f"\n{b.count - b.limit:,} over: a thread of {b.parts} parts")
            elif over and b.over_what:
                t.append(f" · too many {b.over_what}: a thread of {b.parts}")
            else:
                t.append(" · " + present.budget(b.count, b.limit, b.parts))
            widget = self.query_one(f"#{aid}-budget", Static)
            old = self._budget_shown.get(name)
            if old == t.plain:
                continue
            self._budget_shown[name] = t.plain
            widget.update(t, layout=needs_layout(widget, old, t.plain))
            widget.set_class(over, "over")

    STATES = ("sending", "sent", "queued", "failed", "cancelled", "needs-check", "edited", "deleted")
    WAITING = ("needs-check", "edited")
    """States that wait for the writer: the row offers what to do."""

    def set_status(self, account: str, text: str, state: str) -> None:
        """Show one account's progress or result; state: sending, sent, queued, failed, cancelled,
        needs-check (the post may be there: check, then resend or mark as sent) or edited (the
        text changed after a partial send: reset)."""
        aid = self._ids.get(account)
        if aid is None:
            return
        widget = self.query_one(f"#{aid}-status", Static)
        widget.update(Text(text))
        widget.remove_class("hidden", *self.STATES)
        widget.add_class(state)
        actions = self.query_one(f"#{aid}-actions")
        actions.remove_class(*self.WAITING)
        actions.set_class(state not in self.WAITING, "hidden")
        if state in self.WAITING:
            actions.add_class(state)
        url = _URL.search(text) if state == "sent" else None
        self._links[account] = url.group(0) if url else ""
        self.query_one(f"#{aid}-links").set_class(not url, "hidden")

    def actions_of(self, account: str) -> list[str]:
        """The actions offered for `account` now ("resend", "mark-sent", "reset")."""
        aid = self._ids.get(account)
        if aid is None:
            return []
        actions = self.query_one(f"#{aid}-actions")
        if actions.has_class("hidden"):
            return []
        return [str(b.id)[len(aid) + 1 :] for b in actions.query(Button) if b.display]

    def link_of(self, account: str) -> str:
        """The address of what went out to `account` ("" when nothing did)."""
        return self._links.get(account, "")

    @on(Button.Pressed, ".copy-link")
    def _copy_link(self, event: Button.Pressed) -> None:
        event.stop()
        for name, aid in self._ids.items():
            if event.button.id == f"{aid}-copy" and self._links.get(name):
                self.app.copy_to_clipboard(self._links[name])
                self.notify(self._links[name], title="Link copied", timeout=4)
                return

    @on(Button.Pressed, ".delivery-actions Button")
    def _action(self, event: Button.Pressed) -> None:
        event.stop()
        for name, aid in self._ids.items():
            bid = event.button.id or ""
            if bid.startswith(aid + "-"):
                self.post_message(self.DeliveryAction(name, bid[len(aid) + 1 :]))
                return

    def status_of(self, account: str) -> str:
        aid = self._ids.get(account)
        if aid is None:
            return ""
        return str(self.query_one(f"#{aid}-status", Static).render())

    def clear_statuses(self) -> None:
        for aid in self._ids.values():
            widget = self.query_one(f"#{aid}-status", Static)
            widget.update("")
            widget.add_class("hidden")
            self.query_one(f"#{aid}-actions").add_class("hidden")
            self.query_one(f"#{aid}-links").add_class("hidden")
        self._links.clear()

    def set_notice(self, text: str, kind: str = "") -> None:
        """A line above the accounts: why publishing is blocked, a config problem, and so on."""
        widget = self.query_one("#publish-notice", Static)
        widget.update(Text(text))
        widget.set_class(not text, "hidden")
        widget.set_class(kind == "error", "error")

    @property
    def notice(self) -> str:
        return str(self.query_one("#publish-notice", Static).render())
