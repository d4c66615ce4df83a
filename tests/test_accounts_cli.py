"""`humane accounts add|list|verify|remove`: the installed command in subprocesses, a real Secret
Service (gnome-keyring on a private D-Bus) and the fake Mastodon and Bluesky servers on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tomllib
from pathlib import Path

import pytest

from composer.accounts import SecretStore
from tests.command import humane_command
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.mastodon import FakeMastodon
from tests.keyring_fixture import FAIL_BACKEND, keyring_env, keyring_service  # noqa: F401 (fixtures)

TOKEN = "tok-ACCOUNTS-CLI-5d1e2b9a0c"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"

pytestmark = pytest.mark.keyring


def humane(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [humane_command(), *args], input=input if input is not None else "", capture_output=True, text=True,
        timeout=60, env=dict(os.environ),
    )


def config_file() -> Path:
    return Path(os.environ["HUMANE_CONFIG"])


def config_accounts() -> dict:
    path = config_file()
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text("utf-8")).get("accounts", {})


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    assert "Traceback" not in text
    return lines[0]


@pytest.fixture
def mastodon():
    with FakeMastodon() as server:
        server.add_account("alice", token=TOKEN)
        yield server


@pytest.fixture
def bluesky():
    with FakeBluesky() as server:
        server.add_account("alice.test", app_password=APP_PASSWORD)
        yield server


@pytest.fixture
def store(keyring_env) -> SecretStore:
    return SecretStore()


@pytest.fixture
def closed_port_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def add_mastodon(name: str, server: FakeMastodon, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    return humane("accounts", "add", name, "--platform", "mastodon", "--server", server.url, "--secret-stdin",
                  input=token + "\n")


# --------------------------------------------------------------------------- add


def test_add_mastodon_keeps_the_token_in_the_keyring_only(mastodon, store) -> None:
    r = add_mastodon("work", mastodon)
    assert r.returncode == 0, r.stderr
    assert "Added Mastodon account 'work': @alice" in r.stdout
    assert mastodon.url in r.stdout
    accounts = config_accounts()
    assert accounts["work"]["platform"] == "mastodon"
    assert accounts["work"]["server"] == mastodon.url
    assert accounts["work"]["handle"] in ("alice", "alice@127.0.0.1")
    assert TOKEN not in config_file().read_text("utf-8")
    assert TOKEN not in r.stdout + r.stderr
    assert store.get("work").reveal() == TOKEN
    # The server saw the token as a Bearer header on verify_credentials.
    seen = mastodon.requests("GET", "/api/v1/accounts/verify_credentials")
    assert seen and seen[-1].header("authorization") == f"Bearer {TOKEN}"


def test_add_bluesky_keeps_the_session_in_the_keyring(bluesky, store) -> None:
    r = humane("accounts", "add", "sky", "--platform", "bluesky", "--server", bluesky.url, "--handle", "alice.test",
               "--secret-stdin", input=APP_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert "Added Bluesky account 'sky': @alice.test" in r.stdout
    assert "warning" not in r.stderr
    account = config_accounts()["sky"]
    assert account["platform"] == "bluesky" and account["handle"] == "alice.test"
    assert account["did"].startswith("did:plc:") and account["pds"] == bluesky.url
    text = config_file().read_text("utf-8")
    assert APP_PASSWORD not in text and "accessJwt" not in text and "refreshJwt" not in text
    session = json.loads(store.get("sky").reveal())
    assert session["accessJwt"] and session["refreshJwt"] and session["did"] == account["did"]


def test_add_bluesky_with_a_main_password_warns(bluesky, store) -> None:
    r = humane("accounts", "add", "sky2", "--platform", "bluesky", "--server", bluesky.url, "--handle",
               "alice.test", "--secret-stdin", input="main-password\n")
    assert r.returncode == 0, r.stderr
    assert "app password" in one_line(r.stderr).lower()
    assert "main-password" not in r.stdout + r.stderr + config_file().read_text("utf-8")
    assert "login_warning" not in config_accounts()["sky2"]


def test_add_again_logs_in_again_and_keeps_settings(mastodon, store) -> None:
    assert add_mastodon("again", mastodon).returncode == 0
    new_token = mastodon.add_account("alice", token=TOKEN + "-renewed")
    r = add_mastodon("again", mastodon, new_token)
    assert r.returncode == 0, r.stderr
    assert "Logged in again to Mastodon account 'again'" in r.stdout
    assert store.get("again").reveal() == new_token
    assert list(config_accounts()) == ["again"]
    # The platform and server may be left out when logging in again.
    r = humane("accounts", "add", "again", "--secret-stdin", input=TOKEN)
    assert r.returncode == 0, r.stderr
    assert store.get("again").reveal() == TOKEN and config_accounts()["again"]["server"] == mastodon.url
    r = humane("accounts", "add", "new-one", "--secret-stdin", input=TOKEN)
    assert r.returncode == 2 and "--platform" in one_line(r.stderr)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--platform", "myspace", "--server", "https://example.social"], "unknown platform 'myspace'"),
        (["--platform", "mastodon", "--server", "http://example.social"], "plain http"),
        (["--platform", "mastodon", "--server", "ftp://example.social"], "not a web address"),
        (["--platform", "mastodon"], "needs its server"),
        (["--platform", "bluesky", "--server", "http://127.0.0.1:9"], "needs its handle"),
    ],
)
def test_bad_usage_is_one_line_exit_2_and_saves_nothing(args, expected, store) -> None:
    r = humane("accounts", "add", "bad", *args, "--secret-stdin", input=TOKEN + "\n")
    assert r.returncode == 2
    assert expected in one_line(r.stderr)
    assert not config_file().exists()
    assert store.get("bad") is None


def test_bad_account_name(mastodon) -> None:
    r = humane("accounts", "add", "my account", "--platform", "mastodon", "--server", mastodon.url,
               "--secret-stdin", input=TOKEN)
    assert r.returncode == 2 and "not usable" in one_line(r.stderr)


def test_unreachable_server(closed_port_url, store) -> None:
    r = humane("accounts", "add", "gone", "--platform", "mastodon", "--server", closed_port_url, "--secret-stdin",
               input=TOKEN + "\n")
    assert r.returncode == 1
    line = one_line(r.stderr)
    assert "Could not reach" in line and "Nothing was saved" in line and "outbox" not in line
    assert TOKEN not in line
    assert not config_file().exists() and store.get("gone") is None


def test_bad_credentials(mastodon, store) -> None:
    r = add_mastodon("wrong", mastodon, "not-the-token")
    assert r.returncode == 1
    line = one_line(r.stderr)
    assert "Nothing was saved" in line and "not-the-token" not in line
    assert not config_file().exists() and store.get("wrong") is None


def test_bad_bluesky_password(bluesky, store) -> None:
    r = humane("accounts", "add", "wrongsky", "--platform", "bluesky", "--server", bluesky.url, "--handle",
               "alice.test", "--secret-stdin", input="zzzz-zzzz-zzzz-zzzz\n")
    assert r.returncode == 1
    assert "Nothing was saved" in one_line(r.stderr) and "zzzz" not in r.stderr
    assert not config_file().exists() and store.get("wrongsky") is None


def test_empty_stdin_and_no_terminal(mastodon, store) -> None:
    r = humane("accounts", "add", "x", "--platform", "mastodon", "--server", mastodon.url, "--secret-stdin", input="")
    assert r.returncode == 2 and "nothing was read from standard input" in one_line(r.stderr)
    r = humane("accounts", "add", "x", "--platform", "mastodon", "--server", mastodon.url)
    assert r.returncode == 2 and "--secret-stdin" in one_line(r.stderr)
    assert not config_file().exists()


def test_no_keyring_backend_saves_nothing(mastodon, monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    r = add_mastodon("nokeyring", mastodon)
    assert r.returncode == 1
    line = one_line(r.stderr)
    for word in ("no keyring backend", "gnome-keyring", "KeePassXC", "PYTHON_KEYRING_BACKEND", "Nothing was saved"):
        assert word in line
    assert not config_file().exists()
    assert not mastodon.requests()  # it stopped before logging in


# --------------------------------------------------------------------------- list, verify, remove


def test_list_marks_missing_secrets(mastodon, bluesky, store) -> None:
    assert add_mastodon("work", mastodon).returncode == 0
    assert humane("accounts", "add", "sky", "--platform", "bluesky", "--server", bluesky.url, "--handle",
                  "alice.test", "--secret-stdin", input=APP_PASSWORD).returncode == 0
    r = humane("accounts", "list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("sky") and "bluesky" in lines[0] and "@alice.test" in lines[0]
    assert lines[1].startswith("work") and "mastodon" in lines[1] and mastodon.url in lines[1]
    assert "no secret" not in r.stdout
    store.delete("work")
    r = humane("accounts", "list")
    work = next(line for line in r.stdout.splitlines() if line.startswith("work"))
    assert "no secret in the keyring" in work and "humane accounts add work --platform mastodon" in work
    assert TOKEN not in r.stdout + r.stderr


def test_list_without_accounts_and_without_keyring(mastodon, keyring_env, monkeypatch) -> None:
    r = humane("accounts", "list")
    assert r.returncode == 0 and "No accounts yet" in r.stdout
    assert add_mastodon("work", mastodon).returncode == 0
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    r = humane("accounts", "list")
    assert r.returncode == 0
    assert "work" in r.stdout and "keyring unavailable" in r.stdout
    assert "gnome-keyring" in one_line(r.stderr)


def test_verify(mastodon, store) -> None:
    assert add_mastodon("work", mastodon).returncode == 0
    r = humane("accounts", "verify", "work")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("work: @alice") and "mastodon" in r.stdout
    mastodon.revoke(TOKEN)
    r = humane("accounts", "verify", "work")
    assert r.returncode == 1
    line = one_line(r.stderr)
    assert line.startswith("humane: work:") and "humane accounts add" in line and TOKEN not in line
    r = humane("accounts", "verify", "nobody")
    assert r.returncode == 2 and "no account named 'nobody'" in one_line(r.stderr)


def test_verify_without_a_secret(mastodon, store) -> None:
    assert add_mastodon("work", mastodon).returncode == 0
    store.delete("work")
    r = humane("accounts", "verify", "work")
    assert r.returncode == 1
    assert "holds no secret" in one_line(r.stderr)


def test_verify_bluesky_after_the_access_token_expired_saves_the_rotated_session(bluesky, store) -> None:
    assert humane("accounts", "add", "sky", "--platform", "bluesky", "--server", bluesky.url, "--handle",
                  "alice.test", "--secret-stdin", input=APP_PASSWORD).returncode == 0
    before = json.loads(store.get("sky").reveal())
    bluesky.expire_access()
    r = humane("accounts", "verify", "sky")
    assert r.returncode == 0, r.stderr
    after = json.loads(store.get("sky").reveal())
    assert after["refreshJwt"] != before["refreshJwt"] and after["accessJwt"] != before["accessJwt"]
    # The rotated session works on the next run without a new login.
    logins = bluesky.calls("com.atproto.server.createSession")
    assert humane("accounts", "verify", "sky").returncode == 0
    assert bluesky.calls("com.atproto.server.createSession") == logins


def test_remove(mastodon, store) -> None:
    assert add_mastodon("work", mastodon).returncode == 0
    assert add_mastodon("home", mastodon).returncode == 0
    r = humane("accounts", "remove", "work")
    assert r.returncode == 0, r.stderr
    assert "Removed account 'work'" in r.stdout
    assert list(config_accounts()) == ["home"]
    assert store.get("work") is None and store.get("home").reveal() == TOKEN
    r = humane("accounts", "remove", "work")
    assert r.returncode == 2 and "no account named 'work'" in one_line(r.stderr)


def test_remove_an_orphan_keyring_entry(store) -> None:
    from composer.platforms.base import Secret

    store.set("orphan", Secret(TOKEN))
    r = humane("accounts", "remove", "orphan")
    assert r.returncode == 0 and "keyring entry" in r.stdout
    assert store.get("orphan") is None


def test_accounts_without_action_shows_help() -> None:
    r = humane("accounts")
    assert r.returncode == 2 and "add" in r.stderr and "remove" in r.stderr


# --------------------------------------------------------------------------- on a terminal


def run_on_terminal(args: list[str], answers: list[str], timeout: float = 30.0) -> tuple[int, str]:
    """Run `humane ARGS` with a pseudo-terminal as its controlling terminal; type each answer after
    the next prompt (a line ending in ': '). Returns the exit status and everything it showed."""
    import fcntl
    import select
    import termios
    import time

    master, slave = os.openpty()

    def make_controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([humane_command(), *args], stdin=slave, stdout=slave, stderr=slave, env=dict(os.environ),
                            preexec_fn=make_controlling_terminal, close_fds=True)
    os.close(slave)
    seen = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
                if pending and seen.rstrip(b" ").endswith(b":"):
                    os.write(master, pending.pop(0).encode() + b"\n")
            elif proc.poll() is not None:
                break
        status = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return status, seen.decode("utf-8", "replace")


def test_add_asks_for_the_token_without_echo(mastodon, store) -> None:
    status, screen = run_on_terminal(
        ["accounts", "add", "tty", "--platform", "mastodon", "--server", mastodon.url], [TOKEN]
    )
    assert status == 0, screen
    assert "Preferences → Development" in screen  # where to get the token
    assert "personal access token" in screen
    assert TOKEN not in screen  # not echoed while typed, not printed after
    assert "Added Mastodon account 'tty'" in screen
    assert store.get("tty").reveal() == TOKEN


def test_add_bluesky_asks_for_the_handle_then_the_password(bluesky, store) -> None:
    status, screen = run_on_terminal(
        ["accounts", "add", "ttysky", "--platform", "bluesky", "--server", bluesky.url], ["alice.test", APP_PASSWORD]
    )
    assert status == 0, screen
    assert "alice.test" in screen  # the handle is echoed as typed
    assert APP_PASSWORD not in screen
    assert config_accounts()["ttysky"]["handle"] == "alice.test"
