"""Autosave and crash recovery: a crash loses at most the last `interval` seconds of typing.

Autosaver
---------
The editor calls `changed(body=...)` on every keystroke. That call only stores the new text and
marks the draft dirty (a lock and a few assignments: no I/O, no parsing), so it is safe to call
from Textual's event loop. Writing happens elsewhere, at most once every `interval` seconds:

* `timer=True` (default): a `threading.Timer` thread writes when the interval has passed since the
  last write. `on_saved(draft)` / `on_error(exc)` are called *from that thread*: in a Textual app,
  hop back with `app.call_from_thread(...)`.
* `timer=False`: nothing runs by itself. The caller polls `due()` (cheap) from its own timer, e.g.
  `set_interval(0.5, ...)`, and calls `save_now()` in a worker thread when it is True.

Either way, `flush()` writes whatever is pending at once (on quit, before publishing, before
handing the file to $EDITOR) and `close()` flushes and stops the timer. A failed write (disk full,
permissions) keeps the draft dirty, reports through `on_error` and is retried after `interval`.

Writes go through `DraftStore.update`, which reads the file afresh under its lock: the autosaver
changes only the text fields (body, purpose, accounts, content warning), so publish state written
meanwhile by a publish or by `humane outbox flush` is never undone. If another program changed the
text in the file since the autosaver last wrote it, that version is kept as a `.conflict-` copy.

Crash recovery
--------------
`Session.start(root, draft_id)` writes `root/sessions/<pid>.toml` (the draft id, pid, start time)
when editing starts; `end()` removes it on a clean exit. One file per process, so two composers
open at once do not disturb each other. `recover()` finds a marker whose process is gone (not
running, or its pid now belongs to another process), removes it, and returns that draft (as last
autosaved) to offer back, or None.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from composer import safetoml

from .codec import digest
from .files import atomic_write, pid_alive
from .model import Draft, ImageRef, now
from .store import DraftError, DraftNotFound, DraftStore

_UNSET: Any = object()


class Autosaver:
    """Saves `draft` through `store` at most every `interval` seconds while it changes."""

    def __init__(
        self,
        store: DraftStore,
        draft: Draft,
        interval: float = 1.5,
        *,
        timer: bool = True,
        on_saved: Callable[[Draft], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.draft = draft
        self.interval = max(0.0, float(interval))
        self.use_timer = timer
        self.on_saved = on_saved
        self.on_error = on_error
        self.clock = clock
        self.saves = 0
        """How many writes this autosaver made (for tests and the "saved" indicator)."""
        self.last_error: Exception | None = None
        self.conflicts: list[Path] = []
        """Copies kept of another writer's text found in the file (`.conflict-` files), not yet
        told to the writer: `take_conflicts()` hands them over once."""
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()
        self._dirty = False
        self._generation = 0
        self._last_save = float("-inf")
        self._timer: threading.Timer | None = None
        self._closed = False
        self._saving = False
        self._base = digest(draft) if draft.path is not None and draft.path.exists() else None
        """Digest of the text as it was on disk when we last read or wrote it."""

    # ------------------------------------------------------------------ called on every keystroke

    def changed(
        self,
        *,
        body: str = _UNSET,
        purpose: str = _UNSET,
        accounts: list[str] = _UNSET,
        content_warning: str = _UNSET,
        images: list[ImageRef] = _UNSET,
    ) -> None:
        """Record new text (any of the fields); cheap, no I/O. Arms the timer in timer mode."""
        with self._lock:
            d = self.draft
            if body is not _UNSET:
                d.body = body
            if purpose is not _UNSET:
                d.purpose = purpose
            if accounts is not _UNSET:
                d.accounts = list(accounts)
            if content_warning is not _UNSET:
                d.content_warning = content_warning
            if images is not _UNSET:
                d.images = list(images)
            self._dirty = True
            self._generation += 1
            if self.use_timer and self._timer is None and not self._saving and not self._closed:
                self._arm_locked()  # (a save under way re-arms when it ends)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def due(self) -> bool:
        """True when there are unsaved changes and the interval since the last write has passed."""
        return self._dirty and self.clock() - self._last_save >= self.interval

    # ------------------------------------------------------------------ writing

    def save_now(self) -> bool:
        """Write pending changes now (blocking: call from a thread in a UI). True if it wrote."""
        with self._save_lock:
            with self._lock:
                if not self._dirty:
                    return False
                generation = self._generation
                self._saving = True
                snapshot = replace(
                    self.draft,
                    accounts=list(self.draft.accounts),
                    images=list(self.draft.images),
                    deliveries=dict(self.draft.deliveries),
                    extra=dict(self.draft.extra),
                )
                snapshot.path = self.draft.path
            base = self._base
            new_digest = digest(snapshot)

            def apply(current: Draft) -> None:
                if base is not None and current.path is not None and current.path.exists():
                    on_disk = digest(current)
                    if on_disk != base and on_disk != new_digest:
                        kept = self.store.keep_copy(current, "conflict")
                        with self._lock:
                            self.conflicts.append(kept)
                current.body = snapshot.body
                current.purpose = snapshot.purpose
                current.accounts = list(snapshot.accounts)
                current.content_warning = snapshot.content_warning
                current.images = list(snapshot.images)
                current.updated = now()

            try:
                saved = self.store.update(snapshot, apply, create=snapshot)
            except Exception as err:  # OSError (disk full...), DraftError: report, keep dirty, retry
                self.last_error = err
                with self._lock:
                    self._saving = False
                    self._last_save = self.clock()  # retry after the interval, not in a hot loop
                    if self.use_timer and not self._closed and self._timer is None:
                        self._arm_locked()
                if self.on_error is not None:
                    self.on_error(err)
                return False
            self.last_error = None
            self.saves += 1
            with self._lock:
                self._saving = False
                self._base = new_digest
                self._last_save = self.clock()
                self.draft.path = saved.path
                self.draft.deliveries = saved.deliveries
                self.draft.updated = saved.updated
                self.draft.created = saved.created
                if self._generation == generation:
                    self._dirty = False
                elif self.use_timer and not self._closed and self._timer is None:
                    self._arm_locked()
        if self.on_saved is not None:
            self.on_saved(saved)
        return True

    def take_conflicts(self) -> list[Path]:
        """The conflict copies made since the last call (each is reported once)."""
        with self._lock:
            kept, self.conflicts = self.conflicts, []
        return kept

    def flush(self) -> bool:
        """Write pending changes at once (quit, publish, $EDITOR). True if it wrote."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        return self.save_now()

    def close(self) -> bool:
        """Flush and stop: later `changed()` calls are recorded but no longer written by a timer."""
        with self._lock:
            self._closed = True
        return self.flush()

    # ------------------------------------------------------------------ timer

    def _arm_locked(self) -> None:
        delay = max(0.0, self._last_save + self.interval - self.clock())
        t = threading.Timer(delay, self._tick)
        t.daemon = True
        t.name = "humane-autosave"
        self._timer = t
        t.start()

    def _tick(self) -> None:
        with self._lock:
            self._timer = None
        try:
            self.save_now()
        except Exception as err:  # never let the timer thread die silently
            self.last_error = err
            if self.on_error is not None:
                self.on_error(err)


# ---------------------------------------------------------------------- sessions and recovery


def _proc_start(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux /proc), to notice a reused pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    try:
        return int(stat[stat.rindex(b")") + 2:].split()[19])
    except (ValueError, IndexError):
        return None


def _alive(pid: int, proc_start: int | None) -> bool:
    if not pid_alive(pid):
        return False
    if proc_start is not None:
        current = _proc_start(pid)
        if current is not None and current != proc_start:
            return False  # the pid now belongs to another process
    return True


class Session:
    """The marker that says "this process is editing draft X"; see the module doc."""

    def __init__(self, root: Path | str | None = None, draft_id: str | None = None) -> None:
        if root is None:
            from composer.config import data_dir

            root = data_dir()
        self.root = Path(root)
        self.draft_id = draft_id
        self.read_only = False
        self.path = self.root / "sessions" / f"{os.getpid()}.toml"

    @classmethod
    def start(cls, root: Path | str | None, draft_id: str) -> Session:
        session = cls(root, draft_id)
        session.switch(draft_id)
        return session

    def switch(self, draft_id: str, *, read_only: bool = False) -> None:
        """Record that this process now edits `draft_id` (opening another draft), or only reads it."""
        self.draft_id, self.read_only = draft_id, read_only
        data: dict[str, Any] = {"draft": draft_id, "pid": os.getpid(), "started": now()}
        if read_only:
            data["read_only"] = True
        start = _proc_start(os.getpid())
        if start is not None:
            data["proc_start"] = start
        atomic_write(self.path, tomli_w.dumps(data).encode("utf-8"))

    def end(self) -> None:
        """Clean exit: remove the marker."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.end()


def editing_elsewhere(root: Path | str, draft_id: str) -> int | None:
    """The pid of another running composer that is editing `draft_id` (not only reading it), or None."""
    folder = Path(root) / "sessions"
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    for name in names:
        if not name.endswith(".toml") or name == f"{os.getpid()}.toml":
            continue
        try:
            data = safetoml.loads((folder / name).read_text("utf-8"))
            pid = int(data["pid"])
            proc_start = data.get("proc_start")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if str(data.get("draft")) != draft_id or data.get("read_only") is True or pid == os.getpid():
            continue
        if _alive(pid, proc_start if isinstance(proc_start, int) else None):
            return pid
    return None


def stale_sessions(root: Path | str) -> list[tuple[Path, str]]:
    """Markers (path, draft id) of processes that died while editing, newest first."""
    folder = Path(root) / "sessions"
    found: list[tuple[float, Path, str]] = []
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    for name in names:
        if not name.endswith(".toml"):
            continue
        path = folder / name
        try:
            data = safetoml.loads(path.read_text("utf-8"))
            pid = int(data["pid"])
            draft_id = str(data["draft"])
            proc_start = data.get("proc_start")
        except (OSError, ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                os.unlink(path)  # our own marker file, unreadable: useless
            continue
        if _alive(pid, proc_start if isinstance(proc_start, int) else None):
            continue
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        found.append((mtime, path, draft_id))
    found.sort(reverse=True)
    return [(p, d) for _, p, d in found]


def recover(store: DraftStore | None = None) -> Draft | None:
    """The draft a crashed (or killed) composer was editing, as last autosaved, or None.

    Its marker is removed once read, so a draft is offered back once (it stays in the drafts list);
    markers of other crashed sessions stay for the next call."""
    store = store or DraftStore()
    for path, draft_id in stale_sessions(store.root):
        with contextlib.suppress(OSError):
            os.unlink(path)
        try:
            return store.load(draft_id)
        except (DraftNotFound, DraftError):
            continue  # never saved (nothing typed), or unreadable: `humane drafts list` shows it
    return None
