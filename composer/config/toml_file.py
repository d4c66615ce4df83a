"""config.toml as a file: reading it (UTF-8, a clear error otherwise), parsing it, and finding the
line each key is written on. tomllib gives no positions for values, so a small line scanner
(`locate`) maps each key path to its line (best effort: errors still name the file otherwise)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .model import ConfigError

BARE = re.compile(r"[A-Za-z0-9_-]+")


def parse_key(text: str, pos: int = 0) -> tuple[tuple[str, ...], int] | None:
    """Parse a dotted TOML key at `pos`: (parts, position after it), or None."""
    parts: list[str] = []
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos >= n:
            return None
        ch = text[pos]
        if ch == '"':
            end = pos + 1
            buf = []
            while end < n and text[end] != '"':
                if text[end] == "\\" and end + 1 < n:
                    buf.append(text[end : end + 2])
                    end += 2
                    continue
                buf.append(text[end])
                end += 1
            if end >= n:
                return None
            try:
                parts.append(tomllib.loads(f"k = {text[pos:end + 1]}")["k"])
            except tomllib.TOMLDecodeError:
                return None
            pos = end + 1
        elif ch == "'":
            end = text.find("'", pos + 1)
            if end < 0:
                return None
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            m = BARE.match(text, pos)
            if not m:
                return None
            parts.append(m.group())
            pos = m.end()
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def locate(text: str) -> tuple[dict[tuple[str, ...], int], list[tuple[int, tuple[str, ...], bool]]]:
    """({key path: line}, [(line, table path, is_array_table) for every table header])."""
    where: dict[tuple[str, ...], int] = {}
    headers: list[tuple[int, tuple[str, ...], bool]] = []
    current: tuple[str, ...] = ()
    in_multiline: str | None = None
    for i, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            parsed = parse_key(stripped, 2 if array else 1)
            if parsed:
                current = parsed[0]
                headers.append((i, current, array))
                where.setdefault(current, i)
            continue
        parsed = parse_key(line)
        if parsed and parsed[1] < len(line) and line[parsed[1]] == "=":
            where.setdefault(current + parsed[0], i)
            rest = line[parsed[1] + 1 :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
    return where, headers


def quote_key(key: str) -> str:
    return key if BARE.fullmatch(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'



def read_text(path: Path) -> str | None:
    """The file's text, None if it does not exist; ConfigError if unreadable or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a config file; point HUMANE_CONFIG at a file", path=path) from None
    except OSError as err:
        raise ConfigError(f"cannot be read ({err.strerror or err}); check its permissions", path=path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ConfigError("is not UTF-8 text; save it as UTF-8", path=path, line=line) from None


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    """The file's values; ConfigError (one line: file, line, what to do) for anything unreadable:
    a syntax error, values nested too deep, a number too long, a date out of range."""
    from composer import safetoml

    try:
        return safetoml.loads(text)
    except safetoml.TOMLError as err:
        if not err.syntax:  # TOML, but a value no reader can take
            raise ConfigError(err.message, path=path, line=err.line) from None
        raise ConfigError(f"TOML syntax error: {err.message}; fix it or see config.example.toml",
                          path=path, line=err.line, column=err.column) from None
