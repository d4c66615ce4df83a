"""Draft files on disk: one `<id>.md` per draft, written atomically, never lost.

Layout under the data directory (`composer.config.data_dir()`, or the `root` you pass):

    drafts/<id>.md      one file per draft (see `frontmatter` for the format)
    trash/<id>.md       deleted drafts; `restore` brings them back
    .locks/             lock files (flock) that serialise writers across threads and processes

Durability: every write goes to a temporary file in the same folder, which is flushed and fsynced,
renamed over the old file with os.replace (atomic on POSIX), and then the folder is fsynced so the
rename itself survives a crash. A reader therefore always sees a complete old or a complete new
version. Leftover temporary files of dead writers are removed by `list()`.

Hand-edited files: missing fields get defaults (the id comes from the file name, times from the
file's mtime); a file that cannot be parsed raises `DraftError` (file, line, what is wrong, and the
raw text in `.raw`) and is never overwritten or deleted by the store. If such a file appears where a
save is going, it is first renamed to `<id>.unreadable-<time>.md` (kept, and listed as unreadable);
if the file was changed by another program since this store read it, and its text differs, the other
version is kept as `<id>.conflict-<time>.md` (without its publish state, so nothing is sent twice).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from . import frontmatter
from .codec import DraftError, digest, draft_to_meta, parse_draft, read_draft
from .files import FileLock, atomic_write, fsync_dir, pid_alive
from .model import Draft

__all__ = ["DraftError", "DraftList", "DraftNotFound", "DraftStore", "FileLock", "atomic_write",
           "digest", "draft_to_meta", "fsync_dir", "parse_draft", "pid_alive", "read_draft"]


SUFFIX = ".md"
ID_RE = re.compile(r"^[^/\\\x00.][^/\\\x00]*$")
"""What an id may look like: a file name without a folder, not hidden."""
TMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")


class DraftNotFound(LookupError):
    """No draft with that id (or prefix); `str()` says where we looked and what to do."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "draft not found"


class DraftList(list):
    """`DraftStore.list()` result: the drafts, newest first, plus `errors` for files it skipped."""

    def __init__(self, drafts: list[Draft] = (), errors: list[DraftError] = ()) -> None:  # type: ignore[assignment]
        super().__init__(drafts)
        self.errors: list[DraftError] = list(errors)


# --------------------------------------------------------------------------- low-level file helpers


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


# --------------------------------------------------------------------------- the store


class DraftStore:
    """Drafts under `root` (the data directory; default `composer.config.data_dir()`).

    Files: `root/drafts/<id>.md`, trash in `root/trash`. Thread-safe; several processes may share
    a root (writers serialise on flock). Methods raise DraftNotFound, DraftError or OSError."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        if root is None:
            from composer.config import data_dir

            root = data_dir()
        self.root = Path(root).expanduser()
        self.drafts_dir = self.root / "drafts"
        self.trash_dir = self.root / "trash"
        self.locks_dir = self.root / ".locks"
        self.set_aside: list[Path] = []
        """Files this store renamed out of the way instead of overwriting them (see module doc)."""
        self._known: dict[Path, tuple[tuple[int, int, int], str]] = {}
        self._known_guard = threading.Lock()
        self._issued: set[str] = set()
        """Ids this store handed out, so two unsaved new drafts never share one."""

    def __repr__(self) -> str:
        return f"DraftStore({str(self.root)!r})"

    # ---------------------------------------------------------------- ids and paths

    def new_id(self) -> str:
        """A fresh id: the time, then random hex. Never one on disk, in the trash, or already handed
        out by this store (a new draft has no file until its first save)."""
        with self._known_guard:
            while True:
                draft_id = f"{_stamp()}-{secrets.token_hex(2)}"
                if draft_id in self._issued:
                    continue
                if not (self.path(draft_id).exists() or (self.trash_dir / f"{draft_id}{SUFFIX}").exists()):
                    self._issued.add(draft_id)
                    return draft_id

    def path(self, draft_id: str) -> Path:
        """Where the draft with this id lives (whether or not it exists)."""
        self._check_id(draft_id)
        return self.drafts_dir / f"{draft_id}{SUFFIX}"

    @staticmethod
    def _check_id(draft_id: str) -> None:
        if not isinstance(draft_id, str) or not ID_RE.match(draft_id):
            raise DraftNotFound(
                f"{draft_id!r} is not a draft id (ids look like 20250131-093000-ab12); see `humane drafts list`"
            )

    def resolve(self, ref: str | Path, *, folder: Path | None = None) -> Path:
        """The file for an id, a unique start (or else piece) of an id, or a path to a draft file."""
        folder = folder or self.drafts_dir
        if isinstance(ref, Path) or os.sep in str(ref) or (os.altsep and os.altsep in str(ref)):
            p = Path(ref).expanduser()
            if p.is_file():
                return p
            raise DraftNotFound(f"no draft file at {p}")
        ref = str(ref)
        if ref.endswith(SUFFIX) and ID_RE.match(ref):
            ref = ref[: -len(SUFFIX)]
        self._check_id(ref)
        exact = folder / f"{ref}{SUFFIX}"
        if exact.is_file():
            return exact
        files = self._files(folder)
        matches = sorted(p for p in files if p.stem.startswith(ref))
        if not matches:  # the distinctive part of an id is its end: accept a unique piece of it
            matches = sorted(p for p in files if ref in p.stem)
        if len(matches) == 1:
            return matches[0]
        where = "in the trash" if folder == self.trash_dir else f"in {folder}"
        if not matches:
            see = "`humane drafts list --trash`" if folder == self.trash_dir else "`humane drafts list`"
            raise DraftNotFound(f"no draft {ref!r} {where}; see {see}")
        names = ", ".join(p.stem for p in matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise DraftNotFound(f"{ref!r} matches {len(matches)} drafts {where} ({names}); give more of the id")

    @staticmethod
    def _files(folder: Path) -> list[Path]:
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return []
        return [
            Path(e.path)
            for e in entries
            if e.name.endswith(SUFFIX) and not e.name.startswith(".") and e.is_file()
        ]

    # ---------------------------------------------------------------- read

    def new(self, body: str = "", purpose: str = "", *, accounts: list[str] | None = None) -> Draft:
        """A new draft with a fresh id. Not written until `save` (an untouched draft leaves no file)."""
        draft_id = self.new_id()
        return Draft(id=draft_id, body=body, purpose=purpose, accounts=list(accounts or []), path=self.path(draft_id))

    def load(self, ref: str | Path) -> Draft:
        """A draft by id, unique id prefix or file path. Raises DraftNotFound or DraftError."""
        path = self.resolve(ref)
        try:
            data = path.read_bytes()
            st = os.stat(path)
        except FileNotFoundError:
            raise DraftNotFound(f"no draft file at {path}") from None
        except IsADirectoryError:
            raise DraftError(path, None, "is a folder, not a draft file") from None
        except OSError as err:
            raise DraftError(path, None, f"cannot be read: {err.strerror or err}") from None
        draft = parse_draft(path, data, path.stem, datetime.fromtimestamp(st.st_mtime, UTC))
        self._remember(path, st, draft)
        return draft

    def list(self) -> DraftList:
        """Every draft, newest `updated` first. Unreadable files are skipped and put in `.errors`."""
        self.cleanup()
        drafts, errors = [], []
        for path in self._files(self.drafts_dir):
            try:
                drafts.append(self.load(path))
            except DraftError as err:
                errors.append(err)
            except DraftNotFound:
                continue  # removed while we listed
        drafts.sort(key=lambda d: (d.updated, d.id), reverse=True)
        errors.sort(key=lambda e: e.path.name)
        return DraftList(drafts, errors)

    def list_trash(self) -> DraftList:
        drafts, errors = [], []
        for path in self._files(self.trash_dir):
            try:
                drafts.append(read_draft(path))
            except DraftError as err:
                errors.append(err)
            except FileNotFoundError:
                continue
        drafts.sort(key=lambda d: (d.updated, d.id), reverse=True)
        return DraftList(drafts, errors)

    def cleanup(self) -> int:
        """Remove temporary files left by writers that died mid-save; returns how many."""
        removed = 0
        for folder in (self.drafts_dir, self.trash_dir):
            try:
                names = os.listdir(folder)
            except FileNotFoundError:
                continue
            for name in names:
                m = TMP_RE.match(name)
                if m and not pid_alive(int(m.group("pid"))):
                    with contextlib.suppress(OSError):
                        os.unlink(folder / name)
                        removed += 1
        return removed

    # ---------------------------------------------------------------- write

    def lock(self, draft_id: str) -> FileLock:
        """A lock (context manager) serialising read-modify-write of one draft across processes."""
        self._check_id(draft_id)
        return FileLock(self.locks_dir / f"{draft_id}.lock")

    def claim(self, draft_id: str, account: str) -> FileLock | None:
        """Try to become the one sender of `draft_id` to `account`; None if another is sending now.

        Hold the returned lock for the whole publish and release() it after; a crash releases it."""
        self._check_id(draft_id)
        name = hashlib.sha256(account.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        lock = FileLock(self.locks_dir / f"{draft_id}.send-{name}.lock")
        return lock if lock.acquire(blocking=False) else None

    def save(self, draft: Draft) -> Path:
        """Write `draft` atomically to its file (`draft.path`, else drafts/<id>.md), under the
        draft's lock (as `update` does: two savers never interleave their check and write);
        returns the path. Another program's newer text found there is kept as a conflict copy
        (`set_aside`)."""
        with self._lock_for(draft):
            return self._write(draft)

    def _lock_for(self, draft: Draft) -> FileLock:
        """The draft's lock: by id in the drafts folder; a file elsewhere (`humane PATH`) by its path."""
        if ID_RE.match(draft.id) and (draft.path is None or draft.path == self.path(draft.id)):
            return self.lock(draft.id)
        where = str((draft.path or Path(draft.id)).absolute())
        name = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:24]
        return FileLock(self.locks_dir / f"file-{name}.lock")

    def _write(self, draft: Draft) -> Path:
        path = draft.path or self.path(draft.id)
        self._protect(path, draft)
        data = frontmatter.dump(draft_to_meta(draft), draft.body)
        atomic_write(path, data)
        draft.path = path
        try:
            self._remember(path, os.stat(path), draft)
        except OSError:
            pass
        return path

    def update(
        self,
        ref: str | Draft,
        change: Callable[[Draft], object],
        *,
        create: Draft | None = None,
    ) -> Draft:
        """Read the draft afresh under its lock, apply `change(draft)` in place, save, return it.

        This is how two writers (the editor's autosave, a publish, `humane outbox flush` in another
        process) share one file without undoing each other's work: each changes only its fields.
        If the file does not exist yet, `create` (a Draft) is the starting point, else DraftNotFound."""
        draft_id = ref.id if isinstance(ref, Draft) else ref
        path = ref.path if isinstance(ref, Draft) and ref.path else None
        lock = self._lock_for(ref) if isinstance(ref, Draft) else self.lock(draft_id)
        with lock:
            try:
                current = self.load(path or draft_id)
            except DraftNotFound:
                if create is None:
                    raise
                current = replace(create, deliveries=dict(create.deliveries), extra=dict(create.extra))
                current.path = path or create.path or self.path(draft_id)
            except DraftError:
                if create is None:
                    raise
                # An unreadable file where we must write: _protect() sets it aside, nothing is lost.
                current = replace(create, deliveries=dict(create.deliveries), extra=dict(create.extra))
                current.path = path or create.path or self.path(draft_id)
            change(current)
            self._write(current)
            return current

    def delete(self, ref: str) -> Path:
        """Move a draft to the trash; returns where it went. The file is moved as it is, even if
        it cannot be parsed. `restore` brings it back."""
        path = self.resolve(ref)
        draft_id = path.stem
        self.trash_dir.mkdir(parents=True, exist_ok=True)
        target = self.trash_dir / f"{draft_id}{SUFFIX}"
        n = 2
        while target.exists():
            target = self.trash_dir / f"{draft_id}~{n}{SUFFIX}"
            n += 1
        with self.lock(draft_id):
            os.replace(path, target)
        fsync_dir(self.trash_dir)
        fsync_dir(path.parent)
        with self._known_guard:
            self._known.pop(path, None)
        return target

    def restore(self, ref: str) -> Path:
        """Bring a draft back from the trash (by id or prefix); returns its path in drafts/."""
        source = self.resolve(ref, folder=self.trash_dir)
        draft_id = re.sub(r"~\d+$", "", source.stem)
        target = self.path(draft_id)
        if target.exists():
            raise FileExistsError(
                f"a draft {draft_id!r} already exists at {target}; move it away or delete it first"
            )
        self.drafts_dir.mkdir(parents=True, exist_ok=True)
        with self.lock(draft_id):
            if hasattr(os, "link"):
                try:  # link + unlink: never replaces a file that appeared meanwhile
                    os.link(source, target)
                    os.unlink(source)
                except FileExistsError:
                    raise FileExistsError(f"a draft {draft_id!r} already exists at {target}") from None
                except OSError:
                    os.replace(source, target)
            else:  # pragma: no cover
                os.replace(source, target)
        fsync_dir(self.drafts_dir)
        fsync_dir(self.trash_dir)
        return target

    # ---------------------------------------------------------------- protection of others' work

    def _remember(self, path: Path, st: os.stat_result, draft: Draft) -> None:
        with self._known_guard:
            self._known[path] = ((st.st_mtime_ns, st.st_size, st.st_ino), digest(draft))

    def _protect(self, path: Path, draft: Draft) -> None:
        """Before writing over `path`: keep an unreadable file, or another program's newer text."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return
        sig = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._known_guard:
            known = self._known.get(path)
        if known is not None and known[0] == sig:
            return  # what we last read or wrote: ours to replace
        try:
            data = path.read_bytes()
        except OSError:
            return
        try:
            other = parse_draft(path, data, path.stem)
        except DraftError:
            self._set_aside(path, "unreadable")
            return
        if known is not None and digest(other) == known[1]:
            return  # only the publish state changed (another process): the caller merged it
        if digest(other) == digest(draft):
            return
        self.keep_copy(other, "conflict")

    def keep_copy(self, draft: Draft, why: str = "conflict") -> Path:
        """Save a copy of `draft` next to its file as `<id>.<why>-<time>.md`, without its publish
        state (a copy must never be sent again); returns its path (also added to `set_aside`)."""
        path = draft.path or self.path(draft.id)
        stem = f"{path.stem}.{why}-{_stamp()}"
        target = path.with_name(f"{stem}{SUFFIX}")
        n = 2
        while target.exists():
            target = path.with_name(f"{stem}-{n}{SUFFIX}")
            n += 1
        copy = replace(draft, id=target.stem, deliveries={}, extra=dict(draft.extra))
        atomic_write(target, frontmatter.dump(draft_to_meta(copy), copy.body))
        self.set_aside.append(target)
        return target

    def _set_aside(self, path: Path, why: str) -> None:
        target = path.with_name(f"{path.stem}.{why}-{_stamp()}{SUFFIX}")
        n = 2
        while target.exists():
            target = path.with_name(f"{path.stem}.{why}-{_stamp()}-{n}{SUFFIX}")
            n += 1
        os.replace(path, target)
        fsync_dir(path.parent)
        self.set_aside.append(target)
