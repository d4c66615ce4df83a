"""Adding an account without leaving the composer (F3, then n).

The form is drawn from the registry (composer/registry.py): each platform's server, handle and
secret, with its own words, so a new platform shows here by itself. Logging in and checking the
credential is the core's one workflow (`composer.accounts.setup.add_account`), run in a thread
worker with an event loop of its own: when the platform's login flow asks something more (Mastodon's
browser login and its code), the question shows here and the worker waits for the answer. Nothing
is kept until the server said the credential works; the secret goes to the keyring, never a file.
"""

from __future__ import annotations

import contextlib
import queue
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from composer import registry
from composer.tui.screens.base import ComposerScreen

if TYPE_CHECKING:
    from composer.accounts.setup import Added

ANSWER_TIMEOUT = 900.0
"""Seconds a login question waits for the writer (a browser login takes a while)."""

_CANCELLED = object()


class AddAccountScreen(ComposerScreen[str | None]):
    """Dismisses with the name of the account added, or None."""

    DEFAULT_CSS = """
        #add-body Label.field {
            margin-top: 1;
        }

        #add-body .hint {
            color: $text-muted;
        }

        #add-body Input, #add-body Select {
            width: 72;
            max-width: 100%;
        }

        #add-status {
            margin-top: 1;
        }

        #add-status.error {
            color: $text-error;
        }

        #add-status.ok {
            color: $text-success;
        }

        #add-question {
            margin-top: 1;
            padding: 0 1;
            border-left: thick $accent;
            background: $boost;
        }

        #add-buttons {
            height: auto;
            margin-top: 1;
        }

        #add-buttons Button {
            margin-right: 2;
        }
    """

    HEADING = "Add an account"
    BODY_ID = "add-body"
    BODY = VerticalScroll

    BINDINGS = [
        Binding("escape", "cancel", "Back", id="add-account-back"),
    ]

    def __init__(self, platform: str | None = None) -> None:
        super().__init__(id="add-account")
        self._platforms = registry.publishable()
        self._platform = platform or self._platforms[0].name
        self._answers: queue.Queue[Any] = queue.Queue()
        self._asking = False
        self.busy = False
        """True while the login runs (tests wait on it)."""
        self.added: Added | None = None

    def compose_body(self) -> ComposeResult:
        yield Label("Platform", classes="field")
        yield Select(
            [(p.label, p.name) for p in self._platforms],
            value=self._platform,
            allow_blank=False,
            id="add-platform",
        )
        yield Label("Name (yours, for this account: letters, digits, - and _)", classes="field")
        yield Input(id="add-name", select_on_focus=False)
        yield Label("", id="add-server-label", classes="field")
        yield Input(id="add-server", select_on_focus=False)
        yield Label("", id="add-handle-label", classes="field")
        yield Input(id="add-handle", select_on_focus=False)
        yield Label("", id="add-secret-label", classes="field")
        yield Input(id="add-secret", password=True, select_on_focus=False)
        yield Static("", id="add-secret-hint", classes="hint")
        with Horizontal(id="add-buttons"):
            yield Button("Add and verify", id="add-go", variant="primary")
            yield Button("Cancel", id="add-cancel")
        with Vertical(id="add-question", classes="hidden"):
            yield Static("", id="add-question-text")
            yield Input(id="add-answer", select_on_focus=False)
            with Horizontal(id="add-question-buttons"):
                yield Button("Copy the address", id="add-copy-url", compact=True)
        yield Static("", id="add-status")

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.composer.cursor_blink  # tests and snapshots turn blinking off
        self._show_platform()
        self.query_one("#add-name", Input).focus()

    # ------------------------------------------------------------------ the form follows the platform
    @on(Select.Changed, "#add-platform")
    def _platform_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._platform = event.value
            self._show_platform()

    def _show_platform(self) -> None:
        entry = registry.get(self._platform)
        login = entry.login
        assert login is not None  # publishable platforms have one
        name = self.query_one("#add-name", Input)
        name.placeholder = login.example_name
        server = login.server
        label = f"{server.label.capitalize()}" + (" (needed)" if server.required else f" (default {server.default})")
        self.query_one("#add-server-label", Label).update(label)
        field = self.query_one("#add-server", Input)
        field.placeholder = server.example if server.required else (server.default or server.example)
        show_server = server.required or server.default is not None
        self.query_one("#add-server-label").display = show_server
        field.display = show_server
        handle = login.handle
        self.query_one("#add-handle-label").display = handle is not None
        self.query_one("#add-handle").display = handle is not None
        if handle is not None:
            self.query_one("#add-handle-label", Label).update(handle.label.capitalize() + ("" if handle.required else " (optional)"))
            self.query_one("#add-handle", Input).placeholder = handle.example
        secret = login.secret
        optional = " (empty: log in through the browser)" if secret.browser else ""
        self.query_one("#add-secret-label", Label).update(f"{secret.kind.capitalize()}{optional}, hidden as you type")
        self.query_one("#add-secret", Input).placeholder = secret.shape or ""
        self.query_one("#add-secret-hint", Static).update(Text(f"{secret.where}\n{secret.help}"))

    # ------------------------------------------------------------------ adding
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "add-answer":
            self._answer(event.value)
            return
        order = ["add-name", "add-server", "add-handle", "add-secret"]
        shown = [i for i in order if self.query_one(f"#{i}").display]
        at = shown.index(event.input.id) if event.input.id in shown else len(shown) - 1
        if at + 1 < len(shown) and not self.query_one(f"#{shown[at + 1]}", Input).value:
            self.query_one(f"#{shown[at + 1]}", Input).focus()
        else:
            self.action_add()

    @on(Button.Pressed, "#add-go")
    def _go(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add()

    @on(Button.Pressed, "#add-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Button.Pressed, "#add-copy-url")
    def _copy_url(self, event: Button.Pressed) -> None:
        event.stop()
        url = getattr(self, "_question_url", "")
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(url, title="Address copied", timeout=4)

    def _value(self, widget_id: str) -> str | None:
        widget = self.query_one(f"#{widget_id}", Input)
        return widget.value.strip() or None if widget.display else None

    def action_add(self) -> None:
        if self.busy:
            return
        from composer.accounts.setup import SetupError, check_new_account

        name = self._value("add-name") or ""
        try:
            new = check_new_account(
                self.composer.config,
                name,
                self._platform,
                server=self._value("add-server"),
                handle=self._value("add-handle"),
                can_ask=True,
            )
        except SetupError as err:
            self._status(f"✖ {err}", "error")
            field = {"name": "add-name", "server": "add-server", "handle": "add-handle"}.get(err.field or "")
            if field:
                self.query_one(f"#{field}", Input).focus()
            return
        secret = self.query_one("#add-secret", Input).value
        self.busy = True
        self.query_one("#add-go", Button).disabled = True
        self._status(f"Logging in to {new.server or registry.label(new.platform)} and checking the {registry.get(new.platform).login.secret.kind}…", "")  # type: ignore[union-attr]
        self._login(new, secret)

    @work(thread=True, exclusive=True, group="add-account", exit_on_error=False, description="add an account")
    def _login(self, new: Any, secret: str) -> None:
        """The core's add_account, in a thread with its own event loop (its `ask` may wait for the writer)."""
        import asyncio

        from composer.accounts.setup import SetupError, add_account
        from composer.words import explain

        given = [secret]

        def ask(prompt: str, is_secret: bool) -> str:
            if is_secret and given:
                return given.pop().strip()
            return self._ask_writer(prompt, is_secret)

        try:
            added = asyncio.run(add_account(self.composer.config, new, ask))
        except SetupError as err:
            self._from_thread(self._failed, str(err))
            return
        except Exception as err:  # one line, never a traceback; errors never hold the secret
            self._from_thread(self._failed, explain(err))
            return
        self._from_thread(self._done, added)

    def _from_thread(self, fn: Any, *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(fn, *args)

    def _ask_writer(self, prompt: str, is_secret: bool) -> str:
        """From the login thread: show the question, wait for the answer (Enter in its field)."""
        self._from_thread(self._show_question, prompt, is_secret)
        try:
            answer = self._answers.get(timeout=ANSWER_TIMEOUT)
        except queue.Empty:
            answer = ""
        if answer is _CANCELLED:
            return ""
        return str(answer)

    def _show_question(self, prompt: str, is_secret: bool) -> None:
        import re

        found = re.search(r"https?://\S+", prompt)
        self._question_url = found.group(0) if found else ""
        box = self.query_one("#add-question")
        box.remove_class("hidden")
        self.query_one("#add-copy-url").display = bool(found)
        # The address on a line of its own, never wrapped into the words around it.
        self.query_one("#add-question-text", Static).update(Text(prompt.strip() + ", then press Enter:"))
        answer = self.query_one("#add-answer", Input)
        answer.password = is_secret
        answer.value = ""
        self._asking = True
        answer.focus()
        self._status("Waiting for you…", "")

    def _answer(self, value: str) -> None:
        if not self._asking:
            return
        self._asking = False
        self.query_one("#add-question").add_class("hidden")
        self._status("Checking…", "")
        self._answers.put(value)

    def _failed(self, why: str) -> None:
        self.busy = False
        self._asking = False
        self.query_one("#add-question").add_class("hidden")
        self.query_one("#add-go", Button).disabled = False
        self._status(f"✖ {why}", "error")

    def _done(self, added: Added) -> None:
        self.busy = False
        self.added = added
        account = added.account
        again = "logged in again" if added.again else "added"
        line = f"✓ {account.name} {again}: {added.identity.handle or account.handle or account.server}."
        if added.warning:
            line += f" {added.warning}"
        self._status(line, "ok")
        self.composer.account_added(account.name)
        self.notify(line, title="Accounts", timeout=8)
        if self.app.screen is self:
            self.dismiss(account.name)

    def _status(self, text: str, kind: str) -> None:
        status = self.query_one("#add-status", Static)
        status.update(Text(text))
        status.set_class(kind == "error", "error")
        status.set_class(kind == "ok", "ok")

    @property
    def status(self) -> str:
        return str(self.query_one("#add-status", Static).render())

    def action_cancel(self) -> None:
        if self._asking:
            self._asking = False
            self._answers.put(_CANCELLED)
        self.dismiss(None)
