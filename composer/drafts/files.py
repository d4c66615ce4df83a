"""Durable files for drafts: atomic, fsynced writes and locks that a dead process releases.

Every write goes to a temporary file in the same folder, which is flushed and fsynced, renamed over
the old file with os.replace (atomic on POSIX), and then the folder is fsynced so the rename itself
survives a crash."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import threading
from pathlib import Path

try:  # POSIX: advisory locks that a dead process releases by itself
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def fsync_dir(path: Path) -> None:
    """fsync a directory so a rename in it is durable (no-op where the OS cannot)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace `path` with `data` atomically and durably (temp file, fsync, rename, fsync dir).

    An existing file keeps its permission bits; a new one gets `mode`."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        pass
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class FileLock:
    """An exclusive advisory lock on a file (flock), released by the OS if the holder dies.

    Each instance opens its own descriptor, so two threads of one process exclude each other too.
    Without fcntl (Windows) it falls back to a lock that only works inside one process."""

    _local: dict[str, threading.Lock] = {}
    _local_guard = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._tlock: threading.Lock | None = None

    def acquire(self, blocking: bool = True) -> bool:
        if fcntl is None:  # pragma: no cover
            with FileLock._local_guard:
                self._tlock = FileLock._local.setdefault(str(self.path), threading.Lock())
            return self._tlock.acquire(blocking)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except OSError as err:
            os.close(fd)
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        elif self._tlock is not None:  # pragma: no cover
            self._tlock.release()
            self._tlock = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --------------------------------------------------------------------------- (de)serialisation
