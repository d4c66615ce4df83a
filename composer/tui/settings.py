"""config.toml as the running composer knows it: read on first use (the defaults, and why, when it
cannot be used), followed while the app runs (one stat every CONFIG_POLL seconds), and the theme it
names (peeked at for the first frame; remembered when the writer picks one in the palette).

`ConfigFile` holds the settings in use; `ComposerApp` (tui/app.py) holds one and says what changed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.config import Config

CONFIG_POLL = 2.0
"""How often the app looks whether config.toml changed (an account added in another terminal)."""

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"

_UNSEEN = object()
"""config.toml not looked at yet (a missing file is a stamp of None: its appearance is a change)."""


def theme_name(wanted: str) -> str:
    """The Textual theme for config.toml's `[editor] theme` ("light" and "dark" are ours)."""
    return {"light": LIGHT_THEME, "dark": DARK_THEME}.get(wanted, wanted)


def stamp(path: Path | None) -> tuple[float, int] | None:
    """What tells a changed file (its time and size); None for no file."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime, st.st_size)


class ConfigFile:
    """The settings in use and the file they came from."""

    def __init__(self, config: Config | None = None, error: str = "") -> None:
        self.current = config
        """The settings, None until first read."""
        self.error = error
        """Why config.toml could not be used ("" when it could)."""
        self.watch = config is None
        """The app reads config.toml itself: it follows changes to the file (settings handed in by
        a test or a caller are left as they are, unless `reload` is asked)."""
        self._stamp: tuple[float, int] | None | object = _UNSEEN
        self._bad_said = ""

    @property
    def config(self) -> Config:
        """The settings (config.toml is read on first use)."""
        if self.current is None:
            self.current, self.error = load_settings()
            self._stamp = stamp(self.path())
        return self.current

    def path(self) -> Path | None:
        """The file the settings come from (None: settings handed in, with no file behind them)."""
        if self.current is not None and self.current.path is not None:
            return Path(self.current.path)
        if not self.watch:
            return None
        from composer.config import config_path

        return config_path()

    def changed(self) -> Path | None:
        """The file, when it changed since it was last read (cheap: one stat); else None."""
        path = self.path()
        if path is None or self.current is None:
            return None
        now = stamp(path)
        if self._stamp is _UNSEEN:
            self._stamp = now
            return None
        if now == self._stamp:
            return None
        self._stamp = now
        return path

    def reload(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """Read the file again. None: the new settings are taken. Else the settings stay as they
        were, and the reason is returned the first time ("" when it was said already)."""
        path = path if path is not None else self.path()
        new, error = load_settings(path)
        if error:
            said, self._bad_said = self._bad_said, error
            return "" if error == said else error
        self._bad_said = ""
        self.current, self.error = new, ""
        if new.path:
            self._stamp = stamp(Path(new.path))
        return None

    def theme_kept(self, path: Path, name: str) -> None:
        """`name` was written to `path` as `[editor] theme`: the settings say so (not a change to reload)."""
        from dataclasses import replace

        if self.current is not None:
            self.current = replace(self.current, editor=replace(self.current.editor, theme=name))
        self._stamp = stamp(path)


def load_settings(config_path: str | os.PathLike[str] | None = None) -> tuple[Config, str]:
    """The config, or the defaults plus the reason config.toml cannot be used."""
    from composer.config import Config, ConfigError, load_config

    try:
        return load_config(config_path), ""
    except ConfigError as err:
        return Config(), str(err)
    except OSError as err:
        return Config(), f"{err.filename or 'config.toml'}: cannot be read ({err.strerror or err})"


def remember_theme(path: Path, name: str) -> str:
    """Write `name` as config.toml's `[editor] theme`; "" when done, else why not (in words)."""
    from composer.config import ConfigError, set_setting

    try:
        set_setting(path, "editor", "theme", name)
    except (ConfigError, OSError) as err:
        return str(err) if isinstance(err, ConfigError) else f"{err.strerror or err} ({path})"
    return ""


def peek_theme() -> str | None:
    """The `[editor] theme` of config.toml, read cheaply for the first frame (the full, checked
    config is loaded right after it); None if unknown. tomllib is only imported when the file
    mentions a theme at all."""
    env = os.environ.get("HUMANE_CONFIG")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_config_path

        path = user_config_path("humane-composer", appauthor=False) / "config.toml"
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if b"theme" not in data:
        return None
    from composer import safetoml

    try:
        theme = safetoml.loads(data.decode("utf-8")).get("editor", {}).get("theme")
    except (ValueError, AttributeError):
        return None
    return theme if isinstance(theme, str) else None
