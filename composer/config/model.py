"""The settings other modules use, as dataclasses; `load_config` builds them from config.toml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from composer.account import AccountInfo
from composer.guidelines.settings import GuidelineSettings

AccountConfig = AccountInfo
"""`[accounts.NAME]`: an account's non-secret settings (the same record the clients take)."""


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
    hint: str = ""
    """When there is no config file or no account: how to add one (show it where accounts are listed)."""


class ConfigError(Exception):
    """config.toml cannot be used. `str()` names the file, the line where known, and the fix."""

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message
