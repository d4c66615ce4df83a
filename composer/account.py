"""An account's settings as the writer keeps them in config.toml (`[accounts.NAME]`), without its
secret: what config reads, the clients are built from, and the faces show. Plain data, bottom layer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """An account's non-secret settings."""

    name: str
    """The writer's own name for the account (`[accounts.NAME]`)."""
    platform: str
    server: str | None = None
    """Base URL: a Mastodon instance, a Bluesky PDS or entryway, a Micropub site, an API root."""
    handle: str | None = None
    visibility: str | None = None
    language: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    """Platform-specific, non-secret extras (e.g. a LinkedIn member id found by verify)."""
