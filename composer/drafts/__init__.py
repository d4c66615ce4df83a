"""Drafts: files on disk (`store`), their format (`frontmatter`), autosave and crash recovery
(`autosave`), the draft being written (`session`), and the outbox as data (`outbox`). Knows
files, not networks (DESIGN.md)."""

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
