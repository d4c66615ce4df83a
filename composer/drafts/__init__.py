"""Drafts: files on disk (`store`), their format (`frontmatter`), autosave and crash recovery
(`autosave`), and the outbox as data (`outbox`). Knows files, not networks (DESIGN.md)."""

from .autosave import Autosaver, Session, recover
from .model import SCHEMA, Delivery, Draft
from .store import DraftError, DraftList, DraftNotFound, DraftStore, read_draft

__all__ = [
    "SCHEMA",
    "Autosaver",
    "Delivery",
    "Draft",
    "DraftError",
    "DraftList",
    "DraftNotFound",
    "DraftStore",
    "Session",
    "read_draft",
    "recover",
]
