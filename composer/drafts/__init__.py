"""Drafts: files on disk (`store`), their format (`frontmatter`), autosave and crash recovery
(`autosave`), the draft being written (`session`), and the outbox as data (`outbox`). Knows
files, not networks (DESIGN.md).

The names below load with their module on first use: `humane check` reads a draft's front
matter (`frontmatter`) without paying for the store, autosave and sessions it does not use."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .autosave import Autosaver, Session, recover
    from .model import SCHEMA, Delivery, Draft
    from .session import DraftSession, find_draft
    from .store import DraftError, DraftList, DraftNotFound, DraftStore, read_draft

__all__ = [
    "SCHEMA",
    "Autosaver",
    "Delivery",
    "Draft",
    "DraftError",
    "DraftList",
    "DraftNotFound",
    "DraftSession",
    "DraftStore",
    "Session",
    "find_draft",
    "read_draft",
    "recover",
]

_WHERE = {
    "SCHEMA": "model", "Delivery": "model", "Draft": "model",
    "Autosaver": "autosave", "Session": "autosave", "recover": "autosave",
    "DraftSession": "session", "find_draft": "session",
    "DraftError": "store", "DraftList": "store", "DraftNotFound": "store", "DraftStore": "store",
    "read_draft": "store",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
