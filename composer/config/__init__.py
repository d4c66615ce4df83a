"""Configuration: where things live, and config.toml loaded and validated into dataclasses.

`paths` (where), `model` (the dataclasses other modules use), `toml_file` (reading the file and
finding each key's line), `secret_values` (what looks like a secret: refused), `validate` (every
value checked) and `edit` (`humane accounts add/remove` rewriting one table, atomically). No
secrets ever live here: a token found in the file is refused (see `humane accounts add`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import AccountConfig, Config, ConfigError, EditorSettings
from .paths import APP_NAME, config_path, data_dir
from .secret_values import refuse_secret_lines, secret_reason
from .toml_file import parse_toml, read_text
from .validate import ADD_ACCOUNT_HINT, Checker

if TYPE_CHECKING:
    from .edit import allow_phrase, remove_account, save_account, set_setting

__all__ = [
    "APP_NAME",
    "AccountConfig",
    "Config",
    "ConfigError",
    "EditorSettings",
    "allow_phrase",
    "config_path",
    "data_dir",
    "load_config",
    "named_but_missing",
    "remove_account",
    "save_account",
    "secret_reason",
    "set_setting",
]


def __getattr__(name: str) -> Any:
    if name in ("allow_phrase", "remove_account", "save_account", "set_setting"):  # rewriting the file: on first use
        from . import edit

        return getattr(edit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def named_but_missing() -> str:
    """When HUMANE_CONFIG names a file that does not exist, the words that say so ("" otherwise).
    The composer and `humane accounts list` show it: the writer pointed at a file on purpose, so
    running on the defaults is news. (Every other command stays quiet: scripts and tests point
    HUMANE_CONFIG at a file that `humane accounts add` creates later.)"""
    env = os.environ.get("HUMANE_CONFIG")
    if not env:
        return ""
    path = Path(env).expanduser()
    if path.exists():
        return ""
    return (f"HUMANE_CONFIG names {path}, which does not exist: running on the defaults. "
            "Check the path, or let `humane accounts add` create the file there.")


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and check config.toml (default `config_path()`). A missing file gives the defaults
    (with `hint` saying how to add an account). Raises ConfigError with file, line and the fix."""
    path = Path(path).expanduser() if path is not None else config_path()
    text = read_text(path)
    if text is None:
        return Config(path=None, hint=f"No config file at {path}. {ADD_ACCOUNT_HINT}")
    try:
        data = parse_toml(path, text)
    except ConfigError:
        refuse_secret_lines(path, text)  # a secret on a broken line is refused, never echoed
        raise
    checker = Checker(path, text)
    accounts, guidelines, editor = checker.check(data)
    return Config(
        path=path,
        accounts=accounts,
        guidelines=guidelines,
        editor=editor,
        warnings=tuple(checker.warnings),
        hint="" if accounts else f"No accounts in {path}. {ADD_ACCOUNT_HINT}",
    )
