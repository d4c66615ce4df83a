"""What the composer and the commands say is true, once, and says where (issue 15)."""

from __future__ import annotations

import tomllib

import pytest

from composer.config import ConfigError, load_config, set_setting


def test_set_setting_replaces_adds_and_keeps_the_rest(tmp_path):
    path = tmp_path / "config.toml"
    set_setting(path, "editor", "theme", "textual-light")  # no file yet: made
    assert tomllib.loads(path.read_text()) == {"editor": {"theme": "textual-light"}}
    path.write_text('# mine\n[editor]\nautosave_seconds = 3  # quick\n\n[accounts.home]\nplatform = "mastodon"\n'
                    'server = "https://x.example"\n')
    set_setting(path, "editor", "theme", "nord")
    text = path.read_text()
    assert "# mine" in text and "# quick" in text
    assert tomllib.loads(text)["editor"] == {"autosave_seconds": 3, "theme": "nord"}
    set_setting(path, "editor", "theme", "dracula")
    assert tomllib.loads(path.read_text())["editor"]["theme"] == "dracula"
    assert path.read_text().count("theme") == 1
    assert load_config(path).editor.theme == "dracula"


def test_set_setting_never_overwrites_a_broken_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[editor\ntheme = 1\n")
    with pytest.raises(ConfigError):
        set_setting(path, "editor", "theme", "nord")
    assert path.read_text() == "[editor\ntheme = 1\n"


def test_humane_config_naming_a_missing_file_is_said(tmp_path, monkeypatch):
    from composer.config import named_but_missing

    missing = tmp_path / "nowhere" / "config.toml"
    monkeypatch.setenv("HUMANE_CONFIG", str(missing))
    said = named_but_missing()
    assert "HUMANE_CONFIG" in said and str(missing) in said and "does not exist" in said
    missing.parent.mkdir()
    missing.write_text("")
    assert named_but_missing() == ""
    monkeypatch.delenv("HUMANE_CONFIG")
    assert named_but_missing() == ""  # the default place, missing: nothing to warn about


async def test_the_composer_and_accounts_list_say_humane_config_is_missing(tmp_path, monkeypatch):
    import os
    import subprocess

    from composer.drafts import DraftStore
    from composer.tui.app import make_app
    from tests.command import humane_command
    from tests.test_tui_support import running, until

    missing = os.environ["HUMANE_CONFIG"]  # conftest points it at a file that is not there
    r = subprocess.run([humane_command(), "accounts", "list"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and f"HUMANE_CONFIG names {missing}" in r.stderr
    app = make_app(store=DraftStore(tmp_path / "data"), recover=False, warm_up=False, cursor_blink=False)
    async with running(app) as pilot:
        await until(pilot, lambda: any("HUMANE_CONFIG" in n.message for n in app._notifications),
                    what="the warning")


# ---------------------------------------------------------------------------------- one message, with its line


def test_a_binary_file_is_named_the_same_by_the_composer_and_by_check(tmp_path, capsys):
    from composer.drafts import DraftError
    from composer.tui.app import make_app
    from tests.command import humane_command

    path = tmp_path / "photo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DraftError) as info:
        make_app(str(path), data_dir=tmp_path / "data")
    import subprocess

    r = subprocess.run([humane_command(), "check", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    said = r.stderr.strip().removeprefix("humane: ")
    assert str(info.value) == said
    assert said.startswith(f"{path}:3: looks like a binary file")


def test_not_utf8_names_the_line_in_one_message(tmp_path):
    from composer.drafts.frontmatter import FrontMatterError, parse

    with pytest.raises(FrontMatterError) as info:
        parse(b'+++\npurpose = "ok"\n+++\nline one\n\xff bad\n')
    assert info.value.line == 5 and info.value.message.startswith("not UTF-8 text (byte 0xff)")


def test_humane_on_a_folder_says_so_without_a_line_to_fix(tmp_path, monkeypatch, capsys):
    import sys

    from composer.tui import app as tui_app

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(sys, "stdout", Tty())
    assert tui_app.run(str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "is a folder, not a draft file" in err
    assert "Fix that line" not in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------- status lines that stay true


async def test_blocked_lines_clear_as_soon_as_they_stop_being_true(tmp_path):
    from tests.test_tui_support import build, config, running, until
    from tests.test_tui_typing import burst, quiet_analyze

    app = build(tmp_path, config(("home", "mastodon"), ("work", "mastodon")), analyzer=quiet_analyze)
    async with running(app) as pilot:
        screen = app.compose_screen
        await burst(pilot, ["ctrl+j"])
        assert screen.panel.notice.startswith("Tick at least one account")
        screen.panel.query_one("#acct-0").value = True  # as a click does
        await until(pilot, lambda: screen.panel.notice == "", what="the tick line to go")
        await burst(pilot, ["ctrl+j"])
        assert screen.panel.notice == "There is nothing to publish yet."
        await burst(pilot, ["H", "i"])
        await until(pilot, lambda: screen.panel.notice == "", what="the empty line to go")


async def test_publishing_a_published_draft_says_where_it_is_and_sends_nothing(tmp_path, monkeypatch):
    """Without a keyring (PYTHON_KEYRING_BACKEND=fail here), the true "published" stays: the
    account already sent to is not opened at all."""
    from composer.drafts import Delivery, DraftStore
    from tests.test_tui_support import InProcessClient, build, config, opener, running, until

    store = DraftStore(tmp_path / "data")
    draft = store.new(body="The fair is on.", purpose="To invite the neighbours", accounts=["home", "work"])
    draft.deliveries["home"] = Delivery(account="home", status="sent", url="https://fake.example/@home/9")
    store.save(draft)
    calls: list[str] = []
    app = build(tmp_path, config(("home", "mastodon"), ("work", "mastodon"), undo=0), open_client=opener(calls=calls),
                path=str(store.path(draft.id)))
    async with running(app) as pilot:
        screen = app.compose_screen
        assert "https://fake.example/@home/9" in screen.panel.status_of("home")
        assert screen.panel.link_of("home") == "https://fake.example/@home/9"
        await pilot.press("ctrl+j")
        await until(pilot, lambda: "published" in screen.panel.status_of("work"), what="the other account")
        assert calls == ["work"]  # home was not opened again
        assert "Already published to home (https://fake.example/@home/9)" in screen.panel.notice
        assert "https://fake.example/@home/9" in screen.panel.status_of("home")
        assert [name for name, _ in InProcessClient.sent] == ["work"]
        await pilot.press("ctrl+j")  # both out now: said at once, no countdown, nothing sent
        await pilot.pause()
        assert screen.panel.notice.startswith("Already published to home")
        assert not screen.counting_down and len(InProcessClient.sent) == 1


async def test_a_theme_picked_in_the_palette_is_remembered(tmp_path, monkeypatch):
    import os
    from pathlib import Path

    from composer.drafts import DraftStore
    from composer.tui.app import make_app
    from tests.test_tui_support import running, until

    path = Path(os.environ["HUMANE_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# my settings\n[editor]\nautosave_seconds = 2\n")
    app = make_app(store=DraftStore(tmp_path / "data"), recover=False, warm_up=False, cursor_blink=False)
    async with running(app) as pilot:
        assert app.theme == "textual-dark"
        app.theme = "nord"  # what choosing it in the palette (Ctrl+P, "Change theme") does
        await until(pilot, lambda: 'theme = "nord"' in path.read_text(), what="the theme to be written")
    text = path.read_text()
    assert "# my settings" in text and load_config(path).editor.theme == "nord"
    again = make_app(store=DraftStore(tmp_path / "data"), recover=False, warm_up=False, cursor_blink=False)
    async with running(again) as pilot:
        await until(pilot, lambda: again.theme == "nord", what="the theme at the next start")
