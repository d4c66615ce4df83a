"""F3: the accounts from config.toml, verifying them against their servers, adding (n, in
add_account.py) and removing one.

The keyring and the network are only touched in workers, when the writer asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from composer.tui import present
from composer.tui.screens.base import TableScreen

if TYPE_CHECKING:
    from textual.app import ComposeResult

HOW_TO_ADD = (
    "Press n to add an account here: the secret is typed without echo (or pasted), checked with the "
    "server, and kept in your system keyring, never in a file. The same from a terminal:\n"
    + present.ADD_ACCOUNT_COMMANDS
    + "\nAn account added, changed or removed in a terminal shows here and in the publish panel at once."
    "\n\n"
    "Where each secret comes from (the README's \"Accounts and where each token comes from\" has the steps):\n"
    + present.SECRET_SOURCES
)


class AccountsScreen(TableScreen[None]):
    """Accounts: list, verify, add (n) and remove."""

    DEFAULT_CSS = """
        #account-detail {
            margin-bottom: 1;
        }

        #account-detail.error {
            color: $text-error;
        }
    """

    HEADING = "Accounts"
    BODY_ID = "accounts-body"

    BINDINGS = [
        Binding("n", "add", "Add account", id="add-account"),
        Binding("v", "verify", "Verify", id="verify-account"),
        Binding("a", "verify_all", "Verify all", id="verify-all"),
        Binding("delete", "remove", "Remove", id="remove-account"),
        Binding("escape", "app.pop_screen", "Back", id="accounts-back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="accounts")
        self._statuses: dict[str, str] = {}
        """Each account's last verify result, in full (the table shows it cut to the column)."""

    def compose_body(self) -> ComposeResult:
        app = self.composer
        if app.config_error:
            yield Static(Text(app.config_error), id="accounts-config-error", classes="error")
        yield self.table()
        yield Static("", id="account-detail", classes="hidden")
        yield Static(HOW_TO_ADD, id="accounts-help", classes="screen-help")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()

    def _fill(self) -> None:
        app = self.composer
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_columns("Name", "Platform", "Server / handle", "Status")
        accounts = list(app.config.accounts.values())
        for acc in accounts:
            where = " ".join(x for x in (acc.server or "", acc.handle or "") if x)
            status = _short(self._statuses.get(acc.name, "not checked"))
            table.add_row(acc.name, present.platform_label(acc.platform), where, status, key=acc.name)
        if accounts:
            table.move_cursor(row=min(cursor, len(accounts) - 1))
        help_text = HOW_TO_ADD if accounts else "No accounts yet. Drafts and checks work without one.\n\n" + HOW_TO_ADD
        self.query_one("#accounts-help", Static).update(help_text)
        self._show_detail()
        self.refresh_bindings()  # "Verify all" and "Remove" only with accounts to act on

    def accounts_changed(self) -> None:
        """config.toml changed (an account added here or in a terminal): the list follows."""
        self._fill()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("verify", "verify_all", "remove") and not self.composer.config.accounts:
            return False  # nothing to act on: not offered
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted account's last result in full when the column cuts it, wrapped between words."""
        name = self.selected_key()
        text = self._statuses.get(name, "") if name else ""
        if len(text) <= STATUS_WIDTH:
            text = ""  # the table shows it whole already
        detail = self.query_one("#account-detail", Static)
        detail.update(Text(f"{name}: {text}" if text else ""))
        detail.set_class(not text, "hidden")
        detail.set_class(text.startswith("✖"), "error")

    def _set_status(self, name: str, text: str) -> None:
        self._statuses[name] = text
        table = self.query_one(DataTable)
        try:
            table.update_cell(name, table.ordered_columns[3].key, _short(text), update_width=True)
        except Exception:  # the row vanished (screen closing): nothing to show
            pass
        if name == self.selected_key():
            self._show_detail()

    def status_of(self, name: str) -> str:
        """Account `name`'s last result in full (the table shows its start, the line below all of it)."""
        return self._statuses.get(name, "")

    def action_add(self) -> None:
        from composer.tui.screens.add_account import AddAccountScreen

        self.app.push_screen(AddAccountScreen())

    def action_remove(self) -> None:
        name = self.selected_key()
        if name is None:
            return
        from composer.tui.screens.dialogs import ConfirmModal

        def answer(yes: bool | None) -> None:
            if yes:
                self.forget(name)

        self.app.push_screen(
            ConfirmModal(f"Remove the account {name}?",
                         "Its secret leaves the keyring and its table leaves config.toml. Drafts keep what "
                         "they published.", "Remove"),
            answer,
        )

    @work(thread=True, group="remove", exit_on_error=False, description="remove an account")
    def forget(self, name: str) -> None:
        """Forget account `name` (`composer.accounts.setup.remove_account`)."""
        from composer.accounts.setup import SetupError, remove_account

        try:
            removed = remove_account(self.composer.config, name)
        except SetupError as err:
            self.app.call_from_thread(self.notify, str(err), title=f"{name}: not removed", severity="error")
            return
        note = f" The keyring could not be reached: {removed.keyring_problem}" if removed.keyring_problem else ""
        self.app.call_from_thread(self.notify, f"{name} is removed.{note}", title="Accounts")
        self.app.call_from_thread(self.composer.account_removed, name)

    def action_verify(self) -> None:
        name = self.selected_key()
        if name is None:
            self.notify("There are no accounts to verify yet: n adds one.", title="Accounts")
            return
        self.verify(name)

    def action_verify_all(self) -> None:
        for name in self.composer.config.accounts:
            self.verify(name)

    @work(group="verify", exit_on_error=False)
    async def verify(self, name: str) -> None:
        """Ask the server who the account's credentials belong to (`composer.accounts.setup`)."""
        from composer.accounts.setup import verify_account
        from composer.words import explain

        app = self.composer
        self._set_status(name, "checking…")
        try:
            identity = await verify_account(name, app.config, open=app.open_client, release=app.release_client)
        except Exception as err:
            self._set_status(name, f"✖ {explain(err)}")
            return
        text = f"✓ {identity.handle}"
        if identity.expires_at:
            text += f" (login expires {identity.expires_at})"
        self._set_status(name, text)


STATUS_WIDTH = 28
"""Columns of the Status cell; a longer result is cut there and shown whole below the table."""


def _short(text: str) -> str:
    return text if len(text) <= STATUS_WIDTH else text[: STATUS_WIDTH - 1] + "…"
