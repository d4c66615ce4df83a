"""The draft being written: its store, its autosaver, the crash-recovery marker, and what a face does
with it (open, change, save now, get it ready to publish, take back the publish state, delete).

Knows files, not screens: the composer holds one `DraftSession` and says what happened; `humane`
and `humane post` resolve a draft path or id with `find_draft`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from .autosave import Autosaver, Session, editing_elsewhere, recover
from .model import Draft
from .store import DraftError, DraftNotFound, DraftStore


def find_draft(store: DraftStore, ref: str | os.PathLike[str], *, create: bool = False) -> tuple[Draft, str]:
    """The draft `ref` names, and a notice for the writer ("" if none): a draft file anywhere (a
    path: it has a folder in it, ends in .md, or exists), else an id or a unique piece of one in
    the store. With `create`, a path to a missing file in an existing folder becomes a new draft
    that is saved there when the writer types. Raises DraftNotFound or DraftError."""
    p = Path(ref).expanduser()
    if p.is_dir():
        hint = " (run `humane` alone for a new draft)" if create else ""
        raise DraftError(p, None, f"is a folder, not a draft file{hint}")
    looks_like_path = os.sep in str(ref) or p.suffix == ".md" or p.exists()
    try:
        return store.load(p if looks_like_path else str(ref)), ""
    except DraftNotFound:
        if not (create and looks_like_path):
            raise
        if not p.parent.is_dir():
            raise DraftNotFound(f"cannot create {p}: the folder {p.parent} does not exist") from None
        return Draft(id=p.stem, path=p.absolute()), f"{p} does not exist yet: it will be created when you type."


def save_error(err: BaseException | None) -> str:
    """Why a save failed, in the writer's words, with what to do ("" when it did not fail)."""
    if err is None:
        return ""
    if isinstance(err, OSError):
        where = f" ({err.filename})" if getattr(err, "filename", None) else ""
        return f"{err.strerror or err}{where}; your text is still here: free some space or fix the folder's permissions"
    return str(err)


def conflict_words(kept: list[Path]) -> str:
    """The writer's words for conflict copies just kept ("" for none)."""
    if not kept:
        return ""
    where = kept[-1] if len(kept) == 1 else f"{kept[-1]} (and {len(kept) - 1} more next to it)"
    return (f"Another program or composer changed this draft on disk; its version is kept at {where}. "
            "Your text is what the draft holds now.")


def autosave(autosaver: Autosaver) -> str:
    """Write what `autosaver` holds if it changed (blocking: call from a thread); the error in
    words, or "" when it is on disk."""
    autosaver.save_now()
    return save_error(autosaver.last_error)


class DraftSession:
    """One writer's session: the draft being written and everything that keeps it safe.

    `open` a draft, report every edit with `changed` (cheap, no I/O), let a timer ask `due()` and
    write with `autosave(...)` in a thread, `save_now` on Ctrl+S, `prepare_publish` before a publish
    and `refresh_deliveries` after it, `close` on quit. Methods that write block: a UI calls them
    from a thread where it says so."""

    def __init__(self, store: DraftStore | None = None, *, data_dir: str | os.PathLike[str] | None = None) -> None:
        self._store = store
        self._data_dir = data_dir
        self.draft: Draft | None = None
        """The draft being written (the autosaver's object: it follows every edit)."""
        self.autosaver: Autosaver | None = None
        self.marker: Session | None = None
        """The session marker (`drafts.autosave.Session`) that lets a crashed run be recovered."""
        self.read_only = False
        """The draft is open elsewhere and shown here only to read: nothing is written."""

    @property
    def store(self) -> DraftStore:
        """The drafts folder (made on first use)."""
        if self._store is None:
            self._store = DraftStore(self._data_dir)
        return self._store

    # ------------------------------------------------------------------ which draft
    def open(self, draft: Draft, *, autosave_seconds: float, read_only: bool = False) -> str:
        """Make `draft` the one being written: autosave and the session marker follow it. With
        `read_only`, it is only shown: edits are not kept and nothing is written. Returns a warning
        for the writer ("" if none) when the marker cannot be written."""
        if self.autosaver is not None:
            with contextlib.suppress(Exception):
                self.autosaver.close()
        self.draft = draft
        self.read_only = read_only
        self.autosaver = Autosaver(self.store, draft, autosave_seconds, timer=False)
        try:
            if self.marker is None:
                self.marker = Session(self.store.root, draft.id)
            self.marker.switch(draft.id, read_only=read_only)
        except OSError as err:
            return (
                f"Could not write the session marker in {self.store.root}: {err.strerror or err}. "
                "Autosave still works; crash recovery may not."
            )
        return ""

    def open_elsewhere(self, draft: Draft) -> int | None:
        """The process id of another composer writing `draft` now (None if none): open it read-only
        here, or work on `copy_of` it, so that two writers never take turns overwriting each other."""
        if draft.path is None or not draft.path.exists():
            return None
        try:
            return editing_elsewhere(self.store.root, draft.id)
        except Exception:
            return None

    def copy_of(self, draft: Draft) -> Draft:
        """A new draft with `draft`'s words (text, purpose, accounts, content warning; no publish
        state), saved at once, to work on while the original is open elsewhere."""
        copy = self.store.new(body=draft.body, purpose=draft.purpose, accounts=list(draft.accounts))
        copy.content_warning = draft.content_warning
        self.store.save(copy)
        return copy

    def take_conflicts(self) -> str:
        """What to tell the writer about another writer's text kept aside since last asked ("" if nothing)."""
        if self.autosaver is None:
            return ""
        return conflict_words(self.autosaver.take_conflicts())

    def fresh(self, accounts: list[str]) -> Draft:
        """A new, unsaved draft; with a single account configured (`accounts`), it is ticked already."""
        return self.store.new(accounts=accounts if len(accounts) == 1 else None)

    def recover(self) -> Draft | None:
        """The draft a crashed run was writing, or None (recovery is a courtesy: it never raises)."""
        try:
            return recover(self.store)
        except Exception:
            return None

    # ------------------------------------------------------------------ edits and saving
    def changed(self, **fields: Any) -> None:
        """An edit (body=, purpose=, accounts=, content_warning=): cheap, no I/O."""
        if self.autosaver is not None and not self.read_only:
            self.autosaver.changed(**fields)

    def due(self) -> Autosaver | None:
        """The autosaver, when a write is due (hand it to `autosave` in a thread)."""
        if self.autosaver is not None and self.autosaver.due():
            return self.autosaver
        return None

    def save_now(self, *, skip_empty: bool = False) -> str | None:
        """Write the draft at once (Ctrl+S, before $EDITOR, before another draft opens). Returns ""
        when it is on disk, the error in words when not, None when there was nothing to write (no
        draft; or an untouched new draft with `skip_empty`: it leaves no file behind)."""
        if self.autosaver is None or self.draft is None or self.read_only:
            return None
        self.autosaver.flush()
        error: BaseException | None = self.autosaver.last_error
        if skip_empty and not (self.draft.body or self.draft.purpose):
            return None
        if error is None and (self.draft.path is None or not self.draft.path.exists()):
            try:
                self.store.save(self.draft)
            except OSError as err:
                error = err
        return save_error(error)

    def prepare_publish(self) -> Draft:
        """Before publishing (blocking): the draft must be on disk as shown. Raises OSError (in words)."""
        if self.autosaver is None or self.draft is None:
            raise DraftNotFound("no draft is open")
        self.autosaver.flush()
        if self.autosaver.last_error is not None:
            raise OSError(save_error(self.autosaver.last_error))
        if self.draft.path is None or not self.draft.path.exists():
            self.store.save(self.draft)
        return self.draft

    def refresh_deliveries(self) -> None:
        """After publishing (blocking): take the publish state the core wrote into the file."""
        if self.draft is None:
            return
        with contextlib.suppress(Exception):
            on_disk = self.store.load(self.draft.path or self.draft.id)
            self.draft.deliveries = on_disk.deliveries

    def delete(self, draft_id: str) -> bool:
        """Move a draft to the trash. True when it was the open one: open another one then."""
        if self.draft is not None and draft_id == self.draft.id:
            if self.autosaver is not None:
                self.autosaver.close()
                self.autosaver = None
            self.store.delete(draft_id)
            self.draft = None
            return True
        self.store.delete(draft_id)
        return False

    def close(self) -> None:
        """Save the draft and end the session marker (a clean exit: nothing to recover)."""
        if self.autosaver is not None:
            with contextlib.suppress(Exception):
                self.autosaver.close()
        if self.marker is not None:
            with contextlib.suppress(Exception):
                self.marker.end()
            self.marker = None
