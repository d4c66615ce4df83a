"""Where things live: the config file and the data directory (XDG, via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

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
