"""F3: the accounts from config.toml, verifying them against their servers, and how to add one.

The keyring and the network are only touched in a worker, when the writer asks to verify."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from composer.tui import present

if TYPE_CHECKING:
    from composer.tui.host import Host

HOW_TO_ADD = (
    "To add an account, run in a terminal (the secret is asked for without echo and kept in your\n"
    "system keyring, never in a file):\n"
    + present.ADD_ACCOUNT_COMMANDS
    + "\nthen restart the composer. `humane accounts remove NAME` removes one.\n\n"
    "Where each secret comes from (the README's \"Accounts and where each token comes from\" has the steps):\n"
    + present.SECRET_SOURCES
)


class AccountsScreen(Screen[None]):
    """Accounts: list, verify, and how to add one."""

    RETURN_ON_TYPING = True
    """A typed key that is not one of this screen's own goes back to the text (composer/tui/keys.py)."""

    DEFAULT_CSS = """
    #accounts-body { padding: 1 2; }
    #accounts-table {
        height: auto;
        max-height: 1fr;
        margin-bottom: 1;
    }
    #accounts-help { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="accounts-back"),
        Binding("v", "verify", "Verify", id="verify-account"),
        Binding("a", "verify_all", "Verify all", id="verify-all"),
    ]

    @property
    def composer(self) -> Host:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.composer
        with Vertical(id="accounts-body"):
            yield Label("Accounts", classes="screen-title")
            if app.config_error:
                yield Static(Text(app.config_error), id="accounts-config-error", classes="error")
            yield DataTable(id="accounts-table", cursor_type="row", zebra_stripes=True)
            yield Static(HOW_TO_ADD, id="accounts-help")
        yield Footer()

    def on_mount(self) -> None:
        app = self.composer
        table = self.query_one(DataTable)
        table.add_columns("Name", "Platform", "Server / handle", "Status")
        accounts = list(app.config.accounts.values())
        for acc in accounts:
            where = " ".join(x for x in (acc.server or "", acc.handle or "") if x)
            table.add_row(acc.name, present.platform_label(acc.platform), where, "not checked", key=acc.name)
        if not accounts:
            self.query_one("#accounts-help", Static).update("No accounts yet. Drafts and checks work without one.\n\n" + HOW_TO_ADD)
        table.focus()

    def _set_status(self, name: str, text: str) -> None:
        table = self.query_one(DataTable)
        try:
            table.update_cell(name, table.ordered_columns[3].key, text, update_width=True)
        except Exception:  # the row vanished (screen closing): nothing to show
            pass

    def status_of(self, name: str) -> str:
        """The Status cell of account `name` as shown."""
        table = self.query_one(DataTable)
        try:
            return str(table.get_cell(name, table.ordered_columns[3].key))
        except Exception:
            return ""

    def action_verify(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            self.notify("There are no accounts to verify yet.", title="Accounts")
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.verify(str(row_key.value))

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
