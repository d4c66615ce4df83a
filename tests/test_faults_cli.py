"""Issue 18, items 2, 3 and the command-level fault tests: the installed `humane` command against
the fake servers of every platform it publishes to (real sockets on 127.0.0.1), with the accounts'
secrets in a real Secret Service.

- A sentinel secret echoed by the server in a 400, 401, 403, 404, 409, 422, 429 or 500 answer (JSON
  or an HTML page), wrapped in terminal escapes (`ESC ] 0 ; … BEL` retitles a window, `ESC [ 2 J`
  clears it) and control bytes, is never printed by `humane post` or `humane outbox list`, and never
  written into the draft file.
- LinkedIn, Threads and Micropub fault paths a writer meets: a thread failing at its third part and
  finished by `humane outbox flush`, a 429 with Retry-After that `outbox flush` reports as not due,
  a lost answer.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from composer.cli import main
from composer.drafts import DraftStore
from tests.command import humane
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.micropub import FakeMicropub
from tests.fakes.server import FakeServer
from tests.fakes.threads import FakeThreads
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)

pytestmark = pytest.mark.keyring

EVIL = "\x1b]0;pwned by the server\x07\x1b[2J\x00\x9b31m\x7f"
"""A window title change, a screen clear, a NUL, an 8-bit CSI and a DEL."""
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STATUSES = [400, 401, 403, 404, 409, 422, 429, 500]
BODY = "The reading group meets on Thursday at the library, 7 pm. Bring the book if you have it."
PURPOSE = "to tell friends about the reading group"


def in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """`humane ARGS` run by its entry point in this process (the same code, without a start-up
    per call: the many fault cases stay cheap); the installed command runs the rest."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


@dataclass
class Account:
    name: str
    platform: str
    server: FakeServer
    secret: str
    path: str
    """The publish request's path (a regex), where faults are injected."""
    echo: Callable[[str, int], Any]
    """The server's JSON error body for a status, echoing a text."""

    def posts(self) -> list[Any]:
        s: Any = self.server
        if isinstance(s, FakeMastodon):
            return s.posts()
        if isinstance(s, FakeBluesky):
            return s.posts()
        if isinstance(s, FakeLinkedIn):
            return s.all_posts()
        return s.posts()


def _add(name: str, platform: str, url: str, secret: str, *extra: str) -> None:
    r = humane("accounts", "add", name, "--platform", platform, "--server", url, *extra, "--secret-stdin",
               input=secret + "\n")
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture
def account(request, keyring_env) -> Iterator[Account]:
    platform = request.param
    if platform == "mastodon":
        secret = "tok-MASTO-FAULTS-1f2e3d4c5b"
        with FakeMastodon() as s:
            s.add_account("alice", token=secret)
            _add("acct", "mastodon", s.url, secret)
            yield Account("acct", platform, s, secret, "/api/v1/statuses",
                          lambda text, status: {"error": text})
    elif platform == "bluesky":
        secret = "wxyz-abcd-efgh-ijkl"
        with FakeBluesky() as s:
            s.add_account("alice.test", app_password=secret)
            _add("acct", "bluesky", s.url, secret, "--handle", "alice.test")
            yield Account("acct", platform, s, secret, "/xrpc/com.atproto.repo.createRecord",
                          lambda text, status: {"error": "InvalidRequest", "message": text})
    elif platform == "linkedin":
        secret = "AQV-LINKEDIN-FAULTS-9a8b7c6d5e4f"
        with FakeLinkedIn() as s:
            s.add_member("Alice Example", token=secret)
            _add("acct", "linkedin", s.url, secret)
            yield Account("acct", platform, s, secret, "/rest/posts",
                          lambda text, status: {"message": text, "status": status, "serviceErrorCode": 0})
    elif platform == "threads":
        secret = "THAA-THREADS-FAULTS-0a1b2c3d4e5f"
        with FakeThreads() as s:
            s.add_user("alice", token=secret)
            _add("acct", "threads", s.url, secret)
            yield Account("acct", platform, s, secret, r"/v1.0/\d+/threads",
                          lambda text, status: {"error": {"message": text, "type": "OAuthException",
                                                          "code": 100, "fbtrace_id": "x"}})
    else:
        secret = "mp-MICROPUB-FAULTS-5e6f7a8b9c"
        with FakeMicropub() as s:
            s.add_token(secret)
            _add("acct", "micropub", s.url, secret)
            yield Account("acct", platform, s, secret, "/micropub",
                          lambda text, status: {"error": "invalid_request", "error_description": text})


def new_draft(body: str = BODY) -> Path:
    store = DraftStore()
    return store.save(store.new(body=body, purpose=PURPOSE))


def no_leak(text: str, secret: str, where: str) -> None:
    assert secret not in text, f"the secret in {where}: {text!r}"
    assert secret[:12] not in text, f"a piece of the secret in {where}: {text!r}"
    found = RAW.findall(text)
    assert not found, f"raw control characters {found!r} in {where}: {text!r}"


ALL = ["mastodon", "bluesky", "linkedin", "threads", "micropub"]


@pytest.mark.parametrize("account", ALL, indirect=True)
def test_an_echoed_secret_and_terminal_escapes_never_reach_the_screen_or_the_draft(account: Account) -> None:
    shown = []
    for status in STATUSES:
        echo = f"{EVIL} you sent {account.secret} as Bearer {account.secret}; {EVIL}"
        account.server.inject("status", path=account.path, method="POST", status=status,
                              body=account.echo(echo, status), headers={"Retry-After": "1"} if status == 429 else {})
        path = new_draft(f"{BODY} ({status})")
        r = in_process("post", str(path), "--to", account.name)
        assert r.returncode in (1, 2), (status, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        no_leak(r.stdout + r.stderr, account.secret, f"`humane post` after HTTP {status}")
        no_leak(path.read_text("utf-8"), account.secret, f"the draft after HTTP {status}")
        shown.append(r.stdout + r.stderr)
    # An HTML error page (a proxy's) with the secret and escapes in its title.
    account.server.inject("status", path=account.path, method="POST", status=502,
                          body=f"<html><head><title>{EVIL} {account.secret}</title></head></html>",
                          headers={"Content-Type": "text/html"})
    path = new_draft(f"{BODY} (502)")
    r = humane("post", str(path), "--to", account.name)
    no_leak(r.stdout + r.stderr, account.secret, "`humane post` after an HTML 502")
    no_leak(path.read_text("utf-8"), account.secret, "the draft after an HTML 502")
    listed = humane("outbox", "list", "--all")
    assert listed.returncode == 0
    no_leak(listed.stdout + listed.stderr, account.secret, "`humane outbox list --all`")
    # The server's words did reach the writer, scrubbed: the test would see a leak.
    assert any("<token>" in s for s in shown), shown
    assert not account.posts(), "nothing was published"


# ---------------------------------------------------------------------- LinkedIn, Threads, Micropub


@pytest.mark.parametrize("account", ["linkedin", "threads", "micropub", "mastodon", "bluesky"], indirect=True)
def test_a_429_with_retry_after_waits_and_flush_says_not_due_yet(account: Account) -> None:
    account.server.inject("status", path=account.path, method="POST", status=429,
                          body=account.echo("slow down", 429), headers={"Retry-After": "3600"})
    path = new_draft()
    r = humane("post", str(path), "--to", account.name)
    assert r.returncode == 1 and "waits in the outbox" in r.stdout, r.stdout + r.stderr
    delivery = DraftStore().load(path).deliveries[account.name]
    assert delivery.status == "queued" and delivery.error_kind == "rate-limited"
    r = humane("outbox", "flush")
    assert r.returncode == 1 and "Nothing is due yet" in r.stdout and "in 60 min" in r.stdout, r.stdout
    assert not account.posts()
    r = humane("outbox", "flush", "--force")
    assert r.returncode == 0 and "sent" in r.stdout, r.stdout + r.stderr
    assert len(account.posts()) == 1


@pytest.mark.parametrize("account", ["threads", "mastodon", "bluesky"], indirect=True)
def test_a_thread_that_fails_at_its_third_part_is_finished_by_the_outbox(account: Account) -> None:
    sentences = [f"Sentence {i} about the reading group and the books we will read this autumn." for i in range(30)]
    path = new_draft(" ".join(sentences))
    account.server.inject("status", path=account.path, method="POST", status=503, skip=2,
                          body=account.echo("busy", 503))
    r = humane("post", str(path), "--to", account.name)
    assert r.returncode == 1 and "waits in the outbox" in r.stdout, r.stdout + r.stderr
    assert len(account.posts()) == 2, "parts 1 and 2 went out"
    parts = DraftStore().load(path).deliveries[account.name].parts
    assert len(parts) >= 3 and parts[0].sent and parts[1].sent and not parts[2].sent
    r = humane("outbox", "flush", "--force")
    assert r.returncode == 0 and "sent" in r.stdout, r.stdout + r.stderr
    done = DraftStore().load(path).deliveries[account.name]
    assert done.status == "sent" and all(p.sent for p in done.parts)
    assert len(account.posts()) == len(done.parts), "each part once"
    assert len({p.id for p in done.parts}) == len(done.parts)


@pytest.mark.parametrize("account", ["linkedin"], indirect=True)
def test_linkedin_a_lost_answer_is_finished_by_the_outbox_with_one_post(account: Account) -> None:
    path = new_draft()
    account.server.inject("drop-after-commit", path=account.path, method="POST")
    r = humane("post", str(path), "--to", account.name)
    assert r.returncode == 1 and "waits in the outbox" in r.stdout, r.stdout
    assert len(account.posts()) == 1
    r = humane("outbox", "flush", "--force")
    assert r.returncode == 0 and "sent https://www.linkedin.com/feed/update/urn:li:share:" in r.stdout, r.stdout
    assert len(account.posts()) == 1


@pytest.mark.parametrize("account", ["micropub"], indirect=True)
def test_micropub_a_lost_answer_asks_the_writer_at_once_and_never_resends(account: Account) -> None:
    path = new_draft()
    account.server.inject("drop-after-commit", path=account.path, method="POST")
    r = humane("post", str(path), "--to", account.name)
    assert r.returncode == 1, r.stdout
    assert "mark it as sent" in r.stdout and "the retry checks" not in r.stdout, r.stdout
    assert len(account.posts()) == 1
    r = humane("outbox", "flush", "--force")
    assert "outbox is empty" in r.stdout and len(account.posts()) == 1
    d = DraftStore().load(path)
    r = humane("outbox", "mark-sent", d.id, account.name, "--url", "https://example.org/notes/1")
    assert r.returncode == 0 and DraftStore().load(path).deliveries[account.name].status == "sent"


@pytest.mark.parametrize("account", ["mastodon", "linkedin", "threads", "micropub"], indirect=True)
def test_the_draft_files_final_newline_is_not_published(account: Account) -> None:
    path = new_draft()
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n", "utf-8")
    r = humane("post", str(path), "--to", account.name)
    assert r.returncode == 0, r.stdout + r.stderr
    (post,) = account.posts()
    text = post.get("text") or post.get("content") or post.get("commentary")
    assert text == BODY
