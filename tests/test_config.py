"""config.toml: defaults, every section, each kind of bad input, secrets refused, account editing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from composer import registry
from composer.config import (
    AccountConfig,
    Config,
    ConfigError,
    load_config,
    remove_account,
    save_account,
    secret_reason,
)
from composer.guidelines.settings import RuleSetting

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_and_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "nowhere" / "config.toml"
    monkeypatch.setenv("HUMANE_CONFIG", str(path))
    config = load_config()
    assert config == Config(path=None, hint=config.hint)
    assert str(path) in config.hint and "humane accounts add" in config.hint
    assert config.editor.autosave_seconds == 1.5 and config.guidelines.words_per_minute == 238


def test_full_config(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
# comment
[accounts.work]
platform = "mastodon"
server = "https://mastodon.example/"
visibility = "unlisted"
language = "en"
quote_policy = "followers"

[accounts."home.bsky"]
platform = "bluesky"
handle = "me.bsky.social"

[guidelines]
words_per_minute = 200
phone_region = "de"
allow = ["Damn", "kill it", "damn"]

[guidelines.rules]
clickbait = "off"
"clickbait.hyperbole" = "info"
shouting = { enabled = true, severity = "error" }
"personal-info.phone" = false

[editor]
autosave_seconds = 2
theme = "gruvbox"
undo_seconds = 0
""",
    )
    c = load_config(path)
    assert c.path == path and c.warnings == () and c.hint == ""
    work = c.accounts["work"]
    assert work == AccountConfig(
        name="work", platform="mastodon", server="https://mastodon.example", visibility="unlisted",
        language="en", options={"quote_policy": "followers"},
    )
    assert c.accounts["home.bsky"].handle == "me.bsky.social"
    g = c.guidelines
    assert g.words_per_minute == 200 and g.phone_region == "DE" and g.allow == ("damn", "kill it")
    assert g.rule("clickbait.curiosity-gap") == RuleSetting(enabled=False)
    assert g.rule("clickbait.hyperbole") == RuleSetting(enabled=True, severity="info")
    assert g.rule("shouting.caps") == RuleSetting(enabled=True, severity="error")
    assert g.rule("personal-info.phone") == RuleSetting(enabled=False)
    assert (c.editor.autosave_seconds, c.editor.theme, c.editor.undo_seconds) == (2.0, "gruvbox", 0.0)


def test_example_config_is_valid_and_shows_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    c = load_config(EXAMPLE)
    assert c.warnings == ()
    for key in ("platform", "server", "handle", "visibility", "language", "words_per_minute",
                "phone_region", "allow", "[guidelines.rules]", "autosave_seconds", "theme", "undo_seconds"):
        assert key in text, key
    assert {a.platform for a in c.accounts.values()} >= {"mastodon", "bluesky"}


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ('[editor]\nautosave_seconds = \n', 2, 20, "TOML syntax error: Invalid value"),
        ('[accounts.a]\nplatform = "mastodon\n', 2, None, "TOML syntax error"),
        ("[editor]\n[editor]\n", 2, None, "TOML syntax error"),
        ('a = 1\na = 2\n', 2, None, "TOML syntax error"),
    ],
)
def test_toml_syntax_error_names_file_line_and_column(
    tmp_path: Path, text: str, line: int, column: int | None, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    err = info.value
    assert (err.path, err.line) == (path, line)
    if column:
        assert err.column == column and str(err).startswith(f"{path}:{line}:{column}: ")
    assert words in str(err)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('[accounts.a]\nplatform = "mastodn"\nserver = "https://x.example"\n', 2,
         "unknown platform 'mastodn'. Did you mean 'mastodon'? Known platforms: "
         + ", ".join(sorted(p.name for p in registry.publishable()))),
        ('[accounts.a]\nserver = "https://x.example"\n', 1, "needs `platform = \"...\"`"),
        ('[accounts.a]\nplatform = "mastodon"\n', 1, "needs `server = \"...\"`"),
        ('[accounts.a]\nplatform = "mastodon"\nserver = "http://mastodon.example"\n', 3, "plain http"),
        ('[accounts.a]\nplatform = "mastodon"\nserver = "mastodon.example"\n', 3, "not a web address"),
        ('[accounts.a]\nplatform = 3\n', 2, "must be text in quotes"),
        ('[accounts."bad name"]\nplatform = "bluesky"\n', 1, "account name 'bad name' is not usable"),
        ('accounts = 1\n', 1, "must be a table"),
        ('[guidelines]\nwords_per_minute = "fast"\n', 2, "must be a whole number of words per minute"),
        ('[guidelines]\nwords_per_minute = 5\n', 2, "between 50 and 1000"),
        ('[guidelines]\nphone_region = "USA"\n', 2, "two-letter country code"),
        ('[guidelines]\nallow = [1, 2]\n', 2, "list of words"),
        ('[guidelines.rules]\nclickbait = "loud"\n', 2, "'loud' is not a setting"),
        ('[guidelines.rules]\nclickbait = { severity = "fatal" }\n', 2, "severity 'fatal'"),
        ('[editor]\nautosave_seconds = true\n', 2, "must be a number of seconds"),
        ('[editor]\nautosave_seconds = 600\n', 2, "between 0.2 and 60"),
        ('[editor]\ntheme = 1\n', 2, "must be text in quotes"),
    ],
)
def test_bad_values_are_specific(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == line, str(info.value)
    assert words in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_unknown_keys_warn_with_did_you_mean(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[editr]\n\n[editor]\nautosave_second = 2\n\n[guidelines.rules]\nclickbat = "off"\n\n'
        '[accounts.w]\nplatform = "mastodon"\nserver = "https://m.example"\nhandel = "me"\n',
    )
    c = load_config(path)
    assert len(c.warnings) == 4
    w = "\n".join(c.warnings)
    assert f"{path}:1: unknown key `editr` in the top level (ignored). Did you mean 'editor'?" in w
    assert f"{path}:4: unknown key `autosave_second` in [editor] (ignored). Did you mean 'autosave_seconds'?" in w
    assert f"{path}:7: rule 'clickbat'" in w and "Did you mean 'clickbait'?" in w
    assert f"{path}:12: account 'w': unknown key `handel` (kept as a platform option). Did you mean 'handle'?" in w
    assert c.accounts["w"].options == {"handel": "me"}


SECRETS = [
    ("token", "abc"),
    ("access_token", "Zx8s9dKd0sLq2mN5pR7tV1wY3aC6eG9iK2lO4qS6uW"),
    ("password", "hunter2"),
    ("app_password", "abcd-efgh-ijkl-mnop"),
    ("client_secret", "x"),
    ("note", "abcd-efgh-ijkl-mnop"),
    ("session", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig"),
    ("id", "k8Jd93mZq0Lw7Xp2Rt5Yv1Bn4Hc6Fg8Sa3De9Qw"),
    ("gh", "ghp_0123456789abcdefghijklmnopqrstuvwxyz"),
]


@pytest.mark.parametrize("key, value", SECRETS)
def test_secrets_are_refused_and_never_echoed(tmp_path: Path, key: str, value: str) -> None:
    path = write(tmp_path, f'[accounts.work]\nplatform = "bluesky"\nhandle = "me.bsky.social"\n{key} = "{value}"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert info.value.line == 4
    assert "humane accounts add work" in message and "keyring" in message
    assert value not in message


def test_secret_on_a_broken_line_is_refused_without_echo(tmp_path: Path) -> None:
    path = write(tmp_path, "[accounts.work]\nplatform = \"bluesky\"\npassword = hunter2 oops\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == 3 and "hunter2" not in str(info.value)
    assert "humane accounts add" in str(info.value)


@pytest.mark.parametrize(
    "value",
    ["https://mastodon.social/@someone/123456789012345678", "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
     "urn:li:person:8675309abcdefghijk", "you.bsky.social", "public", "textual-dark", "en-GB"],
)
def test_ordinary_values_are_not_mistaken_for_secrets(value: str) -> None:
    assert secret_reason("option", value) is None


def test_not_utf8_and_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, b'[editor]\ntheme = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8") as info:
        load_config(path)
    assert info.value.line == 2
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


ORIGINAL = """\
# My humane config
# (comments must survive)

[accounts.work]  # the day job
platform = "mastodon"
server = "https://mastodon.example"

# the next one is for friends
[accounts.home]
platform = "bluesky"
handle = "old.bsky.social"

[accounts.home.extra]
flag = "x"

# editor settings
[editor]
autosave_seconds = 2  # seconds
"""


def test_save_account_replaces_one_table_and_keeps_comments(tmp_path: Path) -> None:
    path = write(tmp_path, ORIGINAL)
    save_account(path, AccountConfig(name="home", platform="bluesky", handle="new.bsky.social", language="de"))
    text = path.read_text()
    assert "# My humane config" in text and "# the day job" in text and "autosave_seconds = 2  # seconds" in text
    assert "# the next one is for friends" in text and "# editor settings" in text
    assert "old.bsky.social" not in text and "[accounts.home.extra]" not in text
    c = load_config(path)
    assert c.accounts["home"] == AccountConfig(name="home", platform="bluesky", handle="new.bsky.social", language="de")
    assert c.accounts["work"].server == "https://mastodon.example" and c.editor.autosave_seconds == 2


def test_save_account_appends_and_creates(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_account(path, AccountConfig(name="a", platform="mastodon", server="http://127.0.0.1:8000"))
    save_account(path, AccountConfig(name="b", platform="bluesky", handle="b.example", options={"pds": "https://pds.example"}))
    c = load_config(path)
    assert list(c.accounts) == ["a", "b"] and c.accounts["b"].options == {"pds": "https://pds.example"}
    assert path.read_text().startswith("[accounts.a]\n")


def test_save_account_refuses_bad_input_and_never_touches_a_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path, ORIGINAL)
    with pytest.raises(ConfigError, match="unknown platform"):
        save_account(path, AccountConfig(name="x", platform="myspace"))
    with pytest.raises(ConfigError, match="looks like a secret"):
        save_account(path, AccountConfig(name="x", platform="bluesky", options={"token": "t0p"}))
    assert path.read_text() == ORIGINAL
    broken = write(tmp_path, "[accounts\n")
    with pytest.raises(ConfigError, match="TOML syntax error"):
        save_account(broken, AccountConfig(name="x", platform="bluesky", handle="h"))
    assert broken.read_text() == "[accounts\n"


def test_remove_account_keeps_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, ORIGINAL)
    assert remove_account(path, "home") is True
    text = path.read_text()
    assert "[accounts.home" not in text and "# editor settings" in text and "# the day job" in text
    assert list(load_config(path).accounts) == ["work"]
    assert remove_account(path, "home") is False
    assert remove_account(tmp_path / "missing.toml", "x") is False


def test_accounts_written_as_dotted_keys_fall_back_to_a_full_rewrite(tmp_path: Path) -> None:
    path = write(tmp_path, '[accounts]\nwork.platform = "bluesky"\nwork.handle = "a.b"\n')
    save_account(path, AccountConfig(name="work", platform="bluesky", handle="c.d"))
    assert tomllib.loads(path.read_text())["accounts"]["work"] == {"platform": "bluesky", "handle": "c.d"}
    assert remove_account(path, "work")
    assert load_config(path).accounts == {}
