"""Autosave (timer and caller-driven), and crash recovery via session markers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from composer.drafts import Autosaver, Delivery, Draft, DraftStore, Session, recover
from composer.drafts.autosave import stale_sessions


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_changed_does_no_io_until_due(store: DraftStore) -> None:
    clock = FakeClock()
    draft = store.new()
    saver = Autosaver(store, draft, interval=1.5, timer=False, clock=clock)
    for i in range(1000):
        saver.changed(body="x" * i)
    assert not store.drafts_dir.exists()  # nothing written on the caller's thread
    assert saver.dirty and saver.due()  # never saved: due at once
    assert saver.save_now()
    assert store.load(draft.id).body == "x" * 999
    saver.changed(body="later")
    clock.t += 1.0
    assert saver.dirty and not saver.due()  # at most one write per interval
    clock.t += 0.6
    assert saver.due()
    assert saver.save_now() and not saver.dirty
    assert not saver.save_now()  # nothing pending
    assert store.load(draft.id).body == "later"
    assert saver.saves == 2


def test_timer_writes_at_most_every_interval_and_flush_writes_the_rest(store: DraftStore) -> None:
    draft = store.new()
    saved = []
    saver = Autosaver(store, draft, interval=0.2, on_saved=lambda d: saved.append(time.monotonic()))
    start = time.monotonic()
    text = ""
    while time.monotonic() - start < 1.0:
        text += "a"
        saver.changed(body=text)
        time.sleep(0.005)
    time.sleep(0.35)
    assert store.load(draft.id).body == text  # written by the timer, no flush needed
    assert 2 <= saver.saves <= 1.0 / 0.2 + 3
    gaps = [b - a for a, b in zip(saved, saved[1:])]
    assert all(g >= 0.15 for g in gaps), gaps
    saver.changed(body=text + " end", purpose="to test")
    saver.close()  # writes it unless the timer (due at once: idle > interval) just did
    assert not saver.dirty
    d = store.load(draft.id)
    assert (d.body, d.purpose) == (text + " end", "to test")


def test_autosave_keeps_publish_state_written_by_others(store: DraftStore) -> None:
    draft = store.new(body="one")
    store.save(draft)
    saver = Autosaver(store, draft, timer=False)
    other = DraftStore(store.root)

    def sent(d: Draft) -> None:
        d.deliveries["work"] = Delivery(account="work", status="sent", url="https://example/1")

    other.update(draft.id, sent)
    saver.changed(body="two", accounts=["work"])
    saver.flush()
    d = store.load(draft.id)
    assert d.body == "two" and d.accounts == ["work"]
    assert d.deliveries["work"].status == "sent"
    assert saver.draft.deliveries["work"].url == "https://example/1"


def test_autosave_keeps_an_outside_edit_as_a_conflict_copy(store: DraftStore) -> None:
    draft = store.new(body="mine")
    store.save(draft)
    saver = Autosaver(store, draft, timer=False)
    path = store.path(draft.id)
    path.write_text(path.read_text().replace("mine", "edited in vim"))
    saver.changed(body="mine, typed on")
    saver.flush()
    assert store.load(draft.id).body == "mine, typed on"
    copies = [p for p in store.drafts_dir.iterdir() if ".conflict-" in p.name]
    assert len(copies) == 1 and store.load(copies[0]).body == "edited in vim"


def test_a_failed_write_is_reported_and_retried(store: DraftStore) -> None:
    store.root.mkdir(parents=True)
    store.drafts_dir.write_text("not a folder")  # every write fails
    errors: list[Exception] = []
    draft = store.new()
    saver = Autosaver(store, draft, timer=False, on_error=errors.append)
    saver.changed(body="precious")
    assert not saver.flush()
    assert errors and isinstance(errors[0], OSError) and saver.dirty
    store.drafts_dir.unlink()
    assert saver.flush()
    assert store.load(draft.id).body == "precious" and saver.last_error is None


def test_changed_from_many_threads_loses_nothing(store: DraftStore) -> None:
    draft = store.new()
    saver = Autosaver(store, draft, interval=0.05)
    lines: list[str] = []
    lock = threading.Lock()

    def type_lines(k: int) -> None:
        for i in range(50):
            with lock:
                lines.append(f"{k}-{i}")
                saver.changed(body="\n".join(lines))
            time.sleep(0.001)

    threads = [threading.Thread(target=type_lines, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saver.close()
    assert store.load(draft.id).body.split("\n") == lines


# ---------------------------------------------------------------------------- sessions


def test_clean_exit_offers_nothing(store: DraftStore) -> None:
    draft = store.new(body="x")
    store.save(draft)
    with Session.start(store.root, draft.id) as session:
        assert session.path.exists()
        assert recover(store) is None  # this process is alive: not a crash
    assert not session.path.exists()
    assert recover(store) is None


CHILD = r"""
import os, signal, sys, time
from composer.drafts import DraftStore, Autosaver, Session
store = DraftStore(sys.argv[1])
draft = store.new()
Session.start(store.root, draft.id)
saver = Autosaver(store, draft, interval=float(sys.argv[2]))
text = ""
t0 = time.monotonic()
while True:
    text += "w"
    saver.changed(body=text)
    # report (length, time) so the parent knows when each length was typed
    os.write(1, f"{len(text)} {time.time():.4f}\n".encode())
    time.sleep(0.004)
"""


def test_killed_composer_is_offered_back_and_lost_at_most_the_interval(store: DraftStore) -> None:
    interval = 0.3
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store.root), str(interval)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    typed: list[tuple[int, float]] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        n, t = line.split()
        typed.append((int(n), float(t)))
        if len(typed) > 250:
            break
    proc.send_signal(signal.SIGKILL)
    killed_at = time.time()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode() if proc.stderr else ""
    d = recover(store)
    assert d is not None, "the crashed draft should be offered back"
    saved = len(d.body)
    assert d.body == "w" * saved
    # Everything typed more than interval (+ slack for a loaded machine) before the kill is on disk.
    typed_before = max(n for n, t in typed if t <= killed_at - interval - 0.25)
    assert saved >= typed_before
    assert stale_sessions(store.root) == []
    assert recover(store) is None  # offered once


def test_marker_of_a_reused_pid_counts_as_crashed(store: DraftStore) -> None:
    draft = store.new(body="from before the reboot")
    store.save(draft)
    folder = store.root / "sessions"
    folder.mkdir(parents=True)
    # Our own pid, but a different process start time: the pid was reused.
    (folder / "1.toml").write_text(f'draft = "{draft.id}"\npid = {os.getpid()}\nproc_start = 1\n')
    if not Path(f"/proc/{os.getpid()}/stat").exists():
        pytest.skip("no /proc: pid reuse cannot be told apart")
    got = recover(store)
    assert got is not None and got.body == "from before the reboot"


def test_marker_for_a_draft_never_saved_offers_nothing(store: DraftStore) -> None:
    folder = store.root / "sessions"
    folder.mkdir(parents=True)
    (folder / "999999999.toml").write_text('draft = "never-saved"\npid = 999999999\n')
    (folder / "garbage.toml").write_text("not toml [")
    assert recover(store) is None
    assert list(folder.iterdir()) == []
