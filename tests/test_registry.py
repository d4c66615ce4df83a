"""One registry of platforms (composer/registry.py), and every face reading it.

First the real registry is walked: every platform is known to the length rules, `humane check
--for`, config validation, `humane accounts add --help`, the no-accounts list, the help and
accounts screens, the publish panel, and its client class agrees with its entry. Then a platform
that does not exist is added the way issue 16's will be (tests/registry_example.py: one client
module with one entry) in a fresh interpreter, and every face knows it too, down to publishing."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from composer import registry, urls
from composer.config import ConfigError, load_config
from composer.guidelines import length
from composer.platforms import PLATFORMS as CLIENTS
from composer.platforms import available, client_class
from composer.platforms.base import AccountInfo, Limits, PlatformClient, Secret
from tests.command import humane_command

ROOT = Path(__file__).resolve().parent.parent
PUBLISHABLE = [p.name for p in registry.publishable()]
FACTS = ("label", "NEEDS_SERVER", "NEEDS_HANDLE", "DEFAULT_SERVER", "SECRET_LABEL", "SECRET_HELP", "RENEW_HELP",
         "SUPPORTS_THREADS", "IDEMPOTENT")
LONG = " ".join(f"Sentence {i} about the garden, the fence and the seeds we share." for i in range(120))


def humane(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([humane_command(), *args], input="", capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


# ---------------------------------------------------------------------- the real registry


@pytest.mark.parametrize("name", registry.names())
def test_the_length_rules_know_every_platform(name):
    entry = registry.get(name)
    c = entry.counting
    assert name in length.PLATFORMS and length.limit(name) == c.limit
    assert length.count("plain words", name) == len("plain words")
    parts = length.split_thread(LONG, name)
    if c.limit is None:
        assert parts == [LONG]
    else:
        assert len(parts) > 1 and all(length.measure(p, name).fits for p in parts)
        (finding,) = [f for f in length.findings(LONG, name) if f.severity != "error"]
        assert finding.rule == f"length.{name}" and f"{entry.label}'s {c.limit:,}" in finding.message
    m = length.measure(LONG, name)
    assert (m.byte_limit, m.link_limit) == (c.max_bytes, c.max_links)


def test_humane_check_takes_every_platform():
    r = subprocess.run([humane_command(), "check", "--for", *registry.names(), "--format", "json", "-"],
                       input="Sharing this because the garden needs hands. " * 100, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode in (0, 1), r.stderr
    import json

    out = json.loads(r.stdout)
    assert out["platforms"] == list(registry.names())
    rules = {f["rule"] for f in out["findings"]}
    assert {f"length.{p.name}" for p in registry.PLATFORMS.values() if p.counting.limit} <= rules


@pytest.mark.parametrize("name", PUBLISHABLE)
def test_config_accepts_every_platform_and_asks_for_what_it_cannot_do_without(name, tmp_path):
    entry = registry.get(name)
    assert entry.login is not None
    server = entry.login.server
    path = tmp_path / "config.toml"
    path.write_text(f'[accounts.a]\nplatform = "{name}"\nserver = "{server.example}"\n', encoding="utf-8")
    assert load_config(path).accounts["a"].platform == name
    path.write_text(f'[accounts.a]\nplatform = "{name}"\n', encoding="utf-8")
    if server.required:
        with pytest.raises(ConfigError, match="needs `server"):
            load_config(path)
    else:
        assert load_config(path).accounts["a"].server is None
    plain = urls.PLAIN[server.scheme]  # http, or ws for relays
    path.write_text(f'[accounts.a]\nplatform = "{name}"\nserver = "{plain}://far.example"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=f"plain {plain}"):
        load_config(path)


def test_a_platform_without_a_client_is_counted_but_not_an_account(tmp_path, monkeypatch):
    for entry in registry.PLATFORMS.values():  # Instagram until its client lands: counted all the same
        if not entry.publishable:
            assert length.limit(entry.name) == entry.counting.limit
    smoke = registry.Platform(name="smoke", label="Smoke signals", counting=registry.Counting(limit=100),
                              capabilities=registry.Capabilities(threads=False))
    monkeypatch.setitem(registry.PLATFORMS, "smoke", smoke)
    assert length.limit("smoke") == 100 and "smoke" not in [p.name for p in registry.publishable()]
    path = tmp_path / "config.toml"
    path.write_text('[accounts.a]\nplatform = "smoke"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="Known platforms: " + ", ".join(sorted(PUBLISHABLE))):
        load_config(path)
    from composer.cli import UsageError
    from composer.commands.accounts import platform_class_or_usage

    with pytest.raises(UsageError, match="not available in this version yet"):
        platform_class_or_usage("smoke")


def test_the_command_line_lists_every_platform():
    help_text = humane("accounts", "add", "--help").stdout
    listed = humane("accounts", "list", env={"HUMANE_CONFIG": "/nonexistent/config.toml"}).stdout
    for entry in registry.publishable():
        assert entry.login is not None
        options = help_text.split("options:", 1)[1]
        assert entry.name in options.split("--platform P", 1)[1].split("--server", 1)[0]
        assert entry.add_command() in help_text and entry.login.secret.where in " ".join(help_text.split())
        assert entry.add_command(entry.login.example_name) in listed


@pytest.mark.parametrize("name", PUBLISHABLE)
def test_the_composer_faces_know_every_platform(name):
    from composer.tui import present
    from composer.tui.screens.accounts import HOW_TO_ADD
    from composer.tui.screens.help import HELP
    from composer.tui.widgets.publish import NO_ACCOUNTS_HELP

    entry = registry.get(name)
    assert entry.login is not None
    where = f"{entry.label}: {entry.login.secret.where}"
    assert present.platform_label(name) == present.PLATFORM_LABELS[name] == entry.label
    for text in (HELP, HOW_TO_ADD):
        assert entry.add_command() in text
    assert "F3, then n" in NO_ACCOUNTS_HELP  # the panel points at the form, which the registry fills (test_tui_accounts.py)
    assert where in HELP and where in HOW_TO_ADD
    in_place = HELP.split("edits the post in place where the platform can", 1)[1].split(";", 1)[0]
    assert (entry.label in in_place) == entry.capabilities.edit, in_place


@pytest.mark.parametrize("name", PUBLISHABLE)
async def test_each_client_class_loads_and_takes_its_facts_from_the_registry(name):
    entry = registry.get(name)
    assert entry.login is not None and name in available() and CLIENTS[name] == entry.client
    cls = client_class(name)
    assert cls.platform == name and cls.entry is entry
    expected = {
        "label": entry.label,
        "NEEDS_SERVER": entry.login.server.required,
        "NEEDS_HANDLE": entry.login.handle is not None and entry.login.handle.required,
        "DEFAULT_SERVER": entry.login.server.default,
        "SECRET_LABEL": entry.login.secret.kind,
        "SECRET_HELP": entry.login.secret.help,
        "RENEW_HELP": entry.login.secret.renew,
        "SUPPORTS_THREADS": entry.capabilities.threads,
        "IDEMPOTENT": entry.capabilities.idempotent,
    }
    assert {f: getattr(cls, f) for f in FACTS} == expected
    source = inspect.getsource(cls)
    written = [f for f in FACTS if re.search(rf"^    {f}\b[^=\n]*=", source, re.M)]  # class attributes
    assert not written, f"written again in the client module: {written}"
    client = cls(AccountInfo("a", name, server=entry.login.server.example), Secret("x" * 20), None)  # type: ignore[arg-type]
    if cls.fetch_limits is PlatformClient.fetch_limits:  # the platform's limits are fixed: the registry's
        limits = await client.limits()
        assert limits == Limits(max_chars=entry.counting.limit or 2**31 - 1, max_links=entry.counting.max_links)
        parts = client.split(LONG, limits)
        assert (len(parts) > 1) == (entry.capabilities.threads and entry.counting.limit is not None)


def test_identities_are_shown_as_the_registry_says():
    from composer.commands.accounts import _describe_identity
    from composer.config import AccountConfig
    from composer.platforms.base import Identity

    for entry in registry.publishable():
        assert entry.login is not None
        shown = _describe_identity(Identity(id="1", handle="alice"), AccountConfig("a", entry.name))
        assert shown == f"{entry.login.handle_prefix}alice"


# ---------------------------------------------------------------------- a new platform


PROOF = textwrap.dedent('''
    import asyncio, contextlib, io, sys, tempfile
    from pathlib import Path

    from composer import registry
    from composer.registry import Capabilities, Counting, Handle, Login, Platform, SecretKind, Server

    registry.PLATFORMS["chatroom"] = Platform(          # the one entry; nothing else is told
        name="chatroom",
        label="Chatroom",
        counting=Counting(limit=120, unit="utf16"),
        capabilities=Capabilities(threads=True, visibilities=("public",)),
        login=Login(
            server=Server("server", required=True, example="https://chat.example"),
            handle=Handle("room", example="#garden"),
            secret=SecretKind("bot token", where="a bot token from the room's settings.", help="Open the settings."),
            handle_prefix="",
            example_name="room",
        ),
        client="tests.registry_example:ChatroomClient",
    )

    from composer.cli import build_parser, main
    from composer.config import AccountConfig, ConfigError, load_config
    from composer.drafts import DraftStore
    from composer.guidelines import analyze, length
    from composer.platforms import available, client_class
    from composer.platforms.base import AccountInfo, PartRecord, PlatformError, PostOptions, Rejected, Secret
    from composer.publish import publish_draft
    from composer.tui import present
    from composer.tui.screens.accounts import HOW_TO_ADD
    from composer.tui.screens.help import HELP
    from composer.tui.widgets.publish import NO_ACCOUNTS_HELP
    from composer.commands.accounts import _describe_identity, platform_class_or_usage

    ADD = "humane accounts add NAME --platform chatroom --server https://chat.example --handle #garden"

    # length: counted in UTF-16 units, limited to 120, split into parts that fit
    assert length.count("abc😀", "chatroom") == 5 and length.limit("chatroom") == 120
    text = " ".join(f"Word{i} and the garden." for i in range(60))
    parts = length.split_thread(text, "chatroom")
    assert len(parts) > 1 and all(length.measure(p, "chatroom").fits for p in parts)
    assert any(f.rule == "length.chatroom" and "Chatroom's 120" in f.message
               for f in analyze(text, "Sharing the garden news", platforms=("chatroom",)).findings)
    assert build_parser().parse_args(["check", "-", "--for", "chatroom"]).platforms == ["chatroom"]

    # config
    folder = Path(tempfile.mkdtemp())
    cfg = folder / "config.toml"
    cfg.write_text('[accounts.room]\\nplatform = "chatroom"\\nserver = "https://chat.example"\\nhandle = "#garden"\\n')
    assert load_config(cfg).accounts["room"].platform == "chatroom"
    cfg.write_text('[accounts.room]\\nplatform = "chatroom"\\n')
    try:
        load_config(cfg)
        raise SystemExit("a chatroom account without its server was accepted")
    except ConfigError as err:
        assert "needs `server" in str(err)

    # the command line: accounts add --help, the no-accounts list
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        build_parser().parse_args(["accounts", "add", "--help"])
    assert "chatroom" in out.getvalue() and ADD in out.getvalue(), out.getvalue()
    assert "Chatroom: the room, like #garden" in " ".join(out.getvalue().split())
    import os
    os.environ["HUMANE_CONFIG"] = str(folder / "none.toml")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["accounts", "list"]) == 0
    assert ADD.replace("NAME", "room") in out.getvalue()

    # the composer's words
    assert present.platform_label("chatroom") == "Chatroom"
    for words in (HELP, HOW_TO_ADD):
        assert ADD in words
    assert "F3, then n" in NO_ACCOUNTS_HELP
    assert "Chatroom: a bot token from the room's settings." in HELP and "Chatroom: a bot" in HOW_TO_ADD

    # the client: loaded lazily, its facts from the entry
    assert "chatroom" in available() and "tests.registry_example" not in sys.modules
    cls = client_class("chatroom")
    from tests import registry_example as example
    assert cls is example.ChatroomClient is platform_class_or_usage("chatroom")
    assert (cls.label, cls.NEEDS_SERVER, cls.NEEDS_HANDLE, cls.SECRET_LABEL) == ("Chatroom", True, True, "bot token")

    async def publishing():
        info = AccountInfo("room", "chatroom", server="https://chat.example", handle="#garden")
        client = cls(info, Secret("good-bot-token"), None)
        identity = await client.verify()
        assert _describe_identity(identity, AccountConfig("room", "chatroom")) == "#garden"
        limits = await client.limits()
        parts = client.split(text, limits)
        assert limits.max_chars == 120 and len(parts) > 1
        records = [PartRecord(key=cls.new_part_key(), digest="") for _ in parts]
        for refused in (PostOptions(content_warning="spoilers"), PostOptions(visibility="private")):
            try:
                await client.publish(parts, records, refused, lambda r: asyncio.sleep(0))
                raise SystemExit("refused options were sent")
            except Rejected:
                pass
        assert example.POSTED == []
        done = await client.publish(parts, records, PostOptions(), lambda r: asyncio.sleep(0))
        assert [t for t, _ in example.POSTED] == parts and all(r.sent for r in done)
        assert [reply for _, reply in example.POSTED] == [None] + [r.id for r in done[:-1]]
        again = await client.publish(parts, done, PostOptions(), lambda r: asyncio.sleep(0))
        assert again == done and len(example.POSTED) == len(parts)  # nothing is sent twice
        try:
            await cls(info, Secret("wrong-token-ab12cd34ef"), None).verify()
        except PlatformError as err:
            assert "wrong-token" not in err.explain() and "<token>" in err.message, err.message
        store = DraftStore(folder / "drafts")
        draft = store.new("Sharing this because the garden needs hands on Saturday.", accounts=["room"])
        store.save(draft)
        result = await publish_draft(store, draft.id, {"room": cls(info, Secret("good-bot-token"), None)})
        assert result["room"].status == "sent", result

    asyncio.run(publishing())
    print("OK")
''')


def test_a_new_platform_is_one_client_module_plus_one_registry_entry(tmp_path):
    r = subprocess.run([sys.executable, "-c", PROOF], capture_output=True, text=True, timeout=120, cwd=ROOT,
                       env={**os.environ, "HUMANE_DATA_DIR": str(tmp_path / "data")})
    assert r.returncode == 0 and r.stdout.strip().endswith("OK"), r.stdout + r.stderr
