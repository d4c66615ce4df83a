"""Configuration: where things live, and config.toml loaded and validated into dataclasses.

The dataclasses below are the interface other modules use; `load_config` builds them.
No secrets ever live here: a token found in the file is refused (see `humane accounts add`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from composer.guidelines.settings import GuidelineSettings

APP_NAME = "humane-composer"
"""Directory name under the platform's config and data folders; also the keyring service."""


def config_path() -> Path:
    """`$HUMANE_CONFIG` if set, else config.toml in the user's config directory."""
    env = os.environ.get("HUMANE_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def data_dir() -> Path:
    """`$HUMANE_DATA_DIR` if set, else the user's data directory (drafts, trash, outbox)."""
    env = os.environ.get("HUMANE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """`[accounts.NAME]`: an account's non-secret settings."""

    name: str
    platform: str
    server: str | None = None
    handle: str | None = None
    visibility: str | None = None
    language: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    """Other platform-specific, non-secret keys of the table."""


@dataclass(frozen=True, slots=True)
class EditorSettings:
    """`[editor]`."""

    autosave_seconds: float = 1.5
    theme: str = "textual-dark"
    undo_seconds: float = 5.0
    """Length of the visible undo window before a publish goes out."""


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    """The file it came from; None when there was no file (defaults)."""
    accounts: Mapping[str, AccountConfig] = field(default_factory=dict)
    guidelines: GuidelineSettings = field(default_factory=GuidelineSettings)
    editor: EditorSettings = field(default_factory=EditorSettings)
    warnings: tuple[str, ...] = ()
    """Things worth telling the writer that did not stop loading (unknown keys, with did-you-mean)."""


class ConfigError(Exception):
    """config.toml cannot be used. `str()` names the file, the line where known, and the fix."""
