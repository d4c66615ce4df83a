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
    missing = tmp_path / "nowhere" / "config.toml"
    monkeypatch.setenv("HUMANE_CONFIG", str(missing))
    config = load_config()
    assert config.accounts == {}
    assert any("HUMANE_CONFIG" in w and str(missing) in w and "does not exist" in w for w in config.warnings)
    monkeypatch.delenv("HUMANE_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert load_config().warnings == ()  # the default place, empty: nothing to warn about
