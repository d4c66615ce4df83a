"""Accounts from inside the composer (issue 15): F3 adds (n), verifies and removes them, and the
publish panel follows config.toml at once, whoever changed it (the CLI in another terminal too).

Real parts: the fake Mastodon server on 127.0.0.1, a real Secret Service (gnome-keyring on a
private D-Bus), config.toml on disk, the installed `humane` command."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from composer.accounts import SecretStore
from composer.config import load_config
from composer.drafts import DraftStore
from composer.platforms.base import Secret
from composer.tui.app import make_app
from tests.command import humane_command
from tests.fakes.mastodon import FakeMastodon
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.test_tui_support import running, until

TOKEN = "tok-TUI-ACCOUNTS-77c1a0e3f9"

pytestmark = pytest.mark.keyring


@pytest.fixture
def mastodon():
    with FakeMastodon(max_characters=1000) as server:
        server.add_account("alice", token=TOKEN)
        yield server


def config_path() -> Path:
    return Path(os.environ["HUMANE_CONFIG"])


def app_reading_config(tmp_path: Path):
    """The composer as `humane` starts it: it reads config.toml itself (and follows it)."""
    return make_app(store=DraftStore(tmp_path / "data"), recover=False, warm_up=False, cursor_blink=False)


async def open_add_screen(pilot, app):
    await pilot.press("f3")
    await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen")
    await pilot.press("n")
    await until(pilot, lambda: type(app.screen).__name__ == "AddAccountScreen")
    return app.screen


async def fill(pilot, screen, **fields: str) -> None:
    for name, value in fields.items():
        field = screen.query_one(f"#add-{name}")
        field.focus()
        await pilot.pause()
        await pilot.press(*[{" ": "space"}.get(c, c) for c in value])


async def test_add_a_mastodon_account_from_f3_and_publish_to_it_without_a_restart(tmp_path, keyring_env, mastodon):
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        screen = app.compose_screen
        assert screen.panel.rows == []
        add = await open_add_screen(pilot, app)
        assert add.query_one("#add-secret").password  # typed without echo
        await fill(pilot, add, name="social", server=mastodon.url, secret=TOKEN)
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen", timeout=20, what="the account to be added")
        # Kept: settings in config.toml (the server's own limit too), the secret in the keyring only.
        table = tomllib.loads(config_path().read_text())["accounts"]["social"]
        assert table["platform"] == "mastodon" and table["server"] == mastodon.url
        assert table["max_chars"] == 1000
        assert TOKEN not in config_path().read_text()
        assert SecretStore().get("social").reveal() == TOKEN
        assert "social" in app.screen.query_one("DataTable").rows
        await pilot.press("escape")
        # The publish panel offers it at once, ticked on this draft that had no account yet.
        await until(pilot, lambda: [r.name for r in screen.panel.rows] == ["social"], what="the panel to show it")
        assert screen.panel.checked == ["social"]
        await pilot.press(*"Street fair on Saturday, all welcome.")
        screen.purpose.value = "To invite the neighbours"
        await pilot.pause(0.5)
        budget = str(screen.panel.query_one("#acct-0-budget").render())
        assert "/1,000" in budget  # the instance's own limit, not Mastodon's default 500
        await pilot.press("ctrl+j")
        await until(pilot, lambda: mastodon.posts("alice"), timeout=20, what="the post to reach the server")
        assert mastodon.posts("alice")[0]["text"] == "Street fair on Saturday, all welcome."
        await until(pilot, lambda: screen.panel.link_of("social"), what="the published link")


async def test_mastodon_browser_login_shows_the_address_and_takes_the_code(tmp_path, keyring_env, mastodon):
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        add = await open_add_screen(pilot, app)
        await fill(pilot, add, name="browser", server=mastodon.url)
        await pilot.press("enter", "enter")  # server filled: Enter on the empty secret starts the login
        await until(pilot, lambda: not add.query_one("#add-question").has_class("hidden"), timeout=20,
                    what="the browser question")
        question = str(add.query_one("#add-question-text").render())
        url = next(w for w in question.split() if w.startswith("http"))
        assert url.startswith(mastodon.url + "/oauth/authorize?")
        assert add.query_one("#add-copy-url").display  # the address can be copied, not only read
        code = mastodon.approve(url)  # the writer signs in and clicks Authorize
        assert app.focused is add.query_one("#add-answer")
        await pilot.press(*code, "enter")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen", timeout=20, what="the account to be added")
        assert "browser" in load_config(config_path()).accounts
        assert SecretStore().get("browser") is not None


async def test_a_refused_token_keeps_nothing_and_says_why_in_one_line(tmp_path, keyring_env, mastodon):
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        add = await open_add_screen(pilot, app)
        await fill(pilot, add, name="refused", server=mastodon.url, secret="not-the-token")
        await pilot.press("enter")
        await until(pilot, lambda: add.status.startswith("✖"), timeout=20, what="the refusal")
        assert "Nothing was saved" in add.status and "not-the-token" not in add.status
        assert "\n" not in add.status.strip()
        assert not config_path().exists() or "refused" not in config_path().read_text()
        assert SecretStore().get("refused") is None
        assert app.screen is add  # the form stays, to fix and try again


async def test_a_bad_name_points_at_its_field(tmp_path, keyring_env):
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        add = await open_add_screen(pilot, app)
        await fill(pilot, add, name="my account", server="https://social.example", secret="x")
        await pilot.press("enter")
        await until(pilot, lambda: add.status.startswith("✖"))
        assert "account name" in add.status
        assert app.focused is add.query_one("#add-name")


async def test_every_platform_of_the_registry_is_offered(tmp_path):
    from composer import registry

    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        add = await open_add_screen(pilot, app)
        select = add.query_one("#add-platform")
        offered = [value for _label, value in select._options if isinstance(value, str)]
        assert offered == [p.name for p in registry.publishable()]
        for entry in registry.publishable():  # the form follows each platform's own facts
            select.value = entry.name
            await pilot.pause()
            assert entry.login.secret.where in str(add.query_one("#add-secret-hint").render())
            assert add.query_one("#add-handle").display == (entry.login.handle is not None)
            # The form says the secret may stay empty where the registry says the login can use the browser.
            label = str(add.query_one("#add-secret-label").render())
            assert ("log in through the browser" in label) == entry.login.secret.browser, entry.name
        assert any(p.login.secret.browser for p in registry.publishable())


async def test_an_account_added_by_the_cli_appears_in_the_running_composer(tmp_path, keyring_env, mastodon):
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        screen = app.compose_screen
        assert screen.panel.rows == []
        result = subprocess.run(
            [humane_command(), "accounts", "add", "cli", "--platform", "mastodon", "--server", mastodon.url,
             "--secret-stdin"], input=TOKEN + "\n", capture_output=True, text=True, timeout=60, env=dict(os.environ),
        )
        assert result.returncode == 0, result.stderr
        await until(pilot, lambda: [r.name for r in screen.panel.rows] == ["cli"], timeout=30,
                    what="the panel to follow config.toml")
        # Removed in the terminal: gone from the panel too.
        result = subprocess.run([humane_command(), "accounts", "remove", "cli"], capture_output=True, text=True,
                                timeout=60, env=dict(os.environ))
        assert result.returncode == 0, result.stderr
        await until(pilot, lambda: screen.panel.rows == [], timeout=30, what="the panel to drop it")


async def test_a_broken_config_keeps_the_last_good_settings_and_says_so(tmp_path):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[accounts.home]\nplatform = "mastodon"\nserver = "https://social.example"\n')
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        screen = app.compose_screen
        assert [r.name for r in screen.panel.rows] == ["home"]
        path.write_text('[accounts.home\nplatform = "mastodon"\n')
        app.on_app_focus()  # the terminal gets the focus back: the file is looked at at once
        await pilot.pause()
        assert "home" in app.config.accounts and [r.name for r in screen.panel.rows] == ["home"]
        shown = [n for n in app._notifications if "cannot be used" in (n.title or "")]
        assert len(shown) == 1 and f"{path}:1:" in shown[0].message and "keeps the settings it had" in shown[0].message
        app.on_app_focus()
        await pilot.pause()
        assert len([n for n in app._notifications if "cannot be used" in (n.title or "")]) == 1  # said once


async def test_accounts_screen_without_accounts_offers_add_not_verify(tmp_path):
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        await pilot.press("f3")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen")
        keys = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "add" in keys
        assert not app.screen.check_action("verify_all", ())


async def test_a_failed_verify_is_shown_whole(tmp_path, keyring_env, mastodon):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[accounts.nosecret]\nplatform = "mastodon"\nserver = "{mastodon.url}"\n')
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        await pilot.press("f3")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen")
        await pilot.press("v")
        await until(pilot, lambda: app.screen.status_of("nosecret").startswith("✖"), timeout=20)
        full = app.screen.status_of("nosecret")
        assert len(full) > 30  # more than the column holds
        assert full in " ".join(str(app.screen.query_one("#account-detail").render()).split()) or \
            " ".join(full.split()) in " ".join(str(app.screen.query_one("#account-detail").render()).split())


async def test_remove_an_account_from_f3(tmp_path, keyring_env, mastodon):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[accounts.gone]\nplatform = "mastodon"\nserver = "{mastodon.url}"\n')
    SecretStore().set("gone", Secret(TOKEN))
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        screen = app.compose_screen
        await pilot.press("f3")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen")
        await pilot.press("delete")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmModal")
        await pilot.press("y")
        await until(pilot, lambda: screen.panel.rows == [], timeout=10)
        assert "gone" not in load_config(path).accounts
        assert SecretStore().get("gone") is None


async def test_verify_keeps_the_limit_the_server_announces(tmp_path, keyring_env, mastodon):
    """An account kept before its server's own limit was asked: F3's verify learns the 1,000 of
    this instance, and the publish panel counts against it from then on (not Mastodon's 500)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'# mine\n[accounts.old]\nplatform = "mastodon"\nserver = "{mastodon.url}"\n')
    SecretStore().set("old", Secret(TOKEN))
    app = app_reading_config(tmp_path)
    async with running(app) as pilot:
        screen = app.compose_screen
        await pilot.press(*"Hello.")
        await until(pilot, lambda: "/500" in str(screen.panel.query_one("#acct-0-budget").render()))
        await pilot.press("f3")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen")
        await pilot.press("v")
        await until(pilot, lambda: app.screen.status_of("old").startswith("✓"), timeout=20)
        assert tomllib.loads(path.read_text())["accounts"]["old"]["max_chars"] == 1000
        assert "# mine" in path.read_text()
        await pilot.press("escape")
        await until(pilot, lambda: "/1,000" in str(screen.panel.query_one("#acct-0-budget").render()), timeout=20,
                    what="the panel to count against the server's limit")
