"""`humane drafts ...` and `humane outbox list|reset`: the installed command in subprocesses."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from composer.drafts import Delivery, DraftStore
from composer.platforms.base import PartRecord
from tests.command import humane_command


def humane(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([humane_command(), *args], capture_output=True, text=True, timeout=60, env=dict(os.environ),
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def store() -> DraftStore:
    return DraftStore(Path(os.environ["HUMANE_DATA_DIR"]))


def clean(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stderr + r.stdout


def test_path_and_empty_list(store: DraftStore) -> None:
    r = humane("drafts", "path")
    assert r.returncode == 0 and r.stdout.strip() == str(store.drafts_dir)
    r = humane("drafts", "list")
    assert r.returncode == 0 and "No drafts yet" in r.stdout


def test_list_newest_first_with_title_words_purpose_status(store: DraftStore) -> None:
    old = store.new(body="\n  Old title line  \nmore words here", purpose="remember")
    old.updated = datetime(2024, 1, 1, tzinfo=UTC)
    store.save(old)
    new = store.new(body="Fresh post", purpose="")
    new.deliveries["work"] = Delivery(account="work", status="sent", url="https://m.example/1")
    new.updated = datetime(2025, 1, 1, tzinfo=UTC)
    store.save(new)
    (store.drafts_dir / "broken.md").write_bytes(b"+++\nx = \n+++\ntext")
    r = humane("drafts", "list")
    clean(r)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["ID", "UPDATED", "WORDS", "STATUS", "TITLE", "PURPOSE"]
    assert lines[1].startswith(new.id) and "sent" in lines[1] and "Fresh post" in lines[1]
    assert lines[2].startswith(old.id) and " 6 " in lines[2] and "Old title line" in lines[2] and "remember" in lines[2]
    assert "broken.md:2:" in r.stderr and "--raw" in r.stderr


def test_show_prints_summary_and_exact_body(store: DraftStore) -> None:
    d = store.new(body="Line one  \r\n\r\n+++\nlast", purpose="explain")
    d.accounts = ["work"]
    d.deliveries["work"] = Delivery(account="work", status="queued", attempts=2, error="Server down.",
                                    next_try=datetime(2030, 1, 1, tzinfo=UTC))
    store.save(d)
    r = subprocess.run([humane_command(), "drafts", "show", d.id], capture_output=True, timeout=60)
    assert r.returncode == 0
    out = r.stdout
    assert f"id:        {d.id}".encode() in out and b"purpose:   explain" in out
    assert b"work: queued (try 2" in out and b"Server down." in out
    assert out.endswith(b"\n\nLine one  \r\n\r\n+++\nlast\n")


def test_show_unreadable_file_points_to_raw(store: DraftStore) -> None:
    store.drafts_dir.mkdir(parents=True)
    content = b'+++\npurpose = "x\n+++\nmy words\n'
    (store.drafts_dir / "bad.md").write_bytes(content)
    r = humane("drafts", "show", "bad")
    clean(r)
    assert r.returncode == 2 and "bad.md:2:" in r.stderr and "humane drafts show bad --raw" in r.stderr
    raw = subprocess.run([humane_command(), "drafts", "show", "bad", "--raw"], capture_output=True, timeout=60)
    assert raw.returncode == 0 and raw.stdout == content
    assert (store.drafts_dir / "bad.md").read_bytes() == content


def test_rm_and_restore(store: DraftStore) -> None:
    d = store.new(body="to be trashed")
    store.save(d)
    r = humane("drafts", "rm", d.id[-4:])  # a unique piece of the id is enough
    clean(r)
    assert r.returncode == 0 and "trash" in r.stdout and f"humane drafts restore {d.id}" in r.stdout
    assert not store.path(d.id).exists()
    r = humane("drafts", "list", "--trash")
    assert d.id in r.stdout
    r = humane("drafts", "restore", d.id)
    assert r.returncode == 0 and store.load(d.id).body == "to be trashed"
    r = humane("drafts", "restore", d.id)
    clean(r)
    assert r.returncode == 2 and "no draft" in r.stderr and "trash" in r.stderr


@pytest.mark.parametrize(
    "args, words",
    [
        (("drafts", "show", "nope"), "no draft 'nope'"),
        (("drafts", "rm", "nope"), "no draft 'nope'"),
        (("drafts", "show", "../x"), "no draft file at"),
        (("drafts", "show"), "the following arguments are required"),
        (("outbox", "reset", "nope", "work"), "no draft 'nope'"),
    ],
)
def test_bad_input_is_one_clear_line(args: tuple[str, ...], words: str) -> None:
    r = humane(*args)
    clean(r)
    assert r.returncode == 2
    assert words in r.stderr


def test_drafts_without_action_shows_help() -> None:
    r = humane("drafts")
    assert r.returncode == 2 and "list" in r.stderr and "restore" in r.stderr


def test_outbox_list_and_reset(store: DraftStore) -> None:
    r = humane("outbox", "list")
    assert r.returncode == 0 and "outbox is empty" in r.stdout
    d = store.new(body="waiting post")
    soon = datetime.now(UTC) + timedelta(minutes=10)
    d.deliveries = {
        "work": Delivery(account="work", status="queued", attempts=3, next_try=soon,
                         error="The server did not answer (timeout).", error_kind="transient",
                         parts=[PartRecord(key="k", digest="d")]),
        "home": Delivery(account="home", status="failed", error="The token was revoked. Log in again.",
                         error_kind="auth"),
    }
    store.save(d)
    r = humane("outbox", "list")
    clean(r)
    rows = r.stdout.splitlines()
    assert rows[0].split() == ["DRAFT", "ACCOUNT", "STATUS", "TRIES", "NEXT", "TRY", "WHY"]
    assert rows[1].split()[:4] == [d.id, "work", "queued", "3"]
    assert "in 10 min" in rows[1] or "in 9 min" in rows[1]
    assert "timeout" in rows[1]
    assert "1 failed delivery waits for you" in r.stdout
    r = humane("outbox", "list", "--all")
    assert "home" in r.stdout and "revoked" in r.stdout and "when you act" in r.stdout
    r = humane("outbox", "reset", d.id, "home")
    assert r.returncode == 0 and "Forgot the publish state" in r.stdout
    assert store.load(d.id).deliveries["home"].status == "pending"
    assert store.load(d.id).deliveries["work"].parts == [PartRecord(key="k", digest="d")]


def test_outbox_flush_with_nothing_and_with_bad_config(store: DraftStore) -> None:
    r = humane("outbox", "flush")
    assert r.returncode == 0 and "outbox is empty" in r.stdout
    config = Path(os.environ["HUMANE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[accounts.work]\nplatform = "mastodon"\nserver = "https://m.example"\naccess_token = "s3cr3t-v4lue"\n')
    r = humane("outbox", "flush")
    clean(r)
    assert r.returncode == 2 and f"{config}:4:" in r.stderr and "humane accounts add work" in r.stderr
    assert "s3cr3t-v4lue" not in r.stderr + r.stdout


def test_outbox_flush_for_an_account_not_configured(store: DraftStore) -> None:
    d = store.new(body="orphan")
    d.deliveries["gone"] = Delivery(account="gone", status="queued", attempts=1,
                                    next_try=datetime(2000, 1, 1, tzinfo=UTC))
    store.save(d)
    r = humane("outbox", "flush")
    clean(r)
    assert r.returncode == 1
    assert f"{d.id} -> gone: not tried:" in r.stdout and "no account named 'gone'" in r.stdout
    assert store.load(d.id).deliveries["gone"].status == "queued"
