"""TOML read safely: whatever a file holds, reading it gives a dict or one `TOMLError` naming the
line, never another exception. tomllib itself raises RecursionError on deeply nested values
(about 330 levels in a fresh interpreter, fewer deeper in a call stack), ValueError on an integer
of more than 4,300 digits (Python's int-string limit), and returns dates that cannot be given a
time zone (year 1 in local time) or turned into UTC (9999-12-31T23:59:59-12:00), which then break
whatever sorts or shows them. Draft front matter and config.toml are read through `loads`.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime
from typing import Any

MAX_DEPTH = 40
"""Arrays and inline tables nested deeper than this are refused (no real draft or config comes
close; deeper values make every later walk over them, and writing them back, a hazard)."""
MAX_DIGITS = 4300
"""Python's default limit on the digits of an integer read from text."""

_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOKENS = re.compile(
    r'"""[\s\S]*?"""(?!")|\'\'\'[\s\S]*?\'\'\'(?!\')|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]|\n'
)


class TOMLError(ValueError):
    """The text is not TOML this app can use: `message` (no position in it), and where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, *, syntax: bool = True) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column
        self.syntax = syntax
        """True: not TOML at all; False: TOML, but a value no reader can take (say so differently)."""


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)`, with every way it can fail, and every value later code cannot take,
    turned into TOMLError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = _TOML_POS.search(msg)
        if m:
            raise TOMLError(msg[: m.start()], int(m.group(1)), int(m.group(2))) from None
        if msg.endswith("(at end of document)"):
            raise TOMLError(msg[: -len("(at end of document)")].rstrip(), text.count("\n") + 1) from None
        raise TOMLError(msg) from None
    except RecursionError:
        raise _too_deep(text) from None
    except (ValueError, OverflowError) as err:
        if "digits" in str(err):  # an integer past Python's int-string limit
            raise TOMLError(f"a number is longer than {MAX_DIGITS:,} digits; shorten it",
                            _long_number_line(text), syntax=False) from None
        raise TOMLError(f"cannot be read ({_short(str(err))})") from None
    _check(data, text)
    return data


def _check(data: dict[str, Any], text: str) -> None:
    """Refuse nesting past MAX_DEPTH and dates that cannot be placed in time (walked without recursion)."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, key = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(text)
        if isinstance(value, dict):
            stack.extend((v, depth + 1, str(k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, depth + 1, key) for v in value)
        elif isinstance(value, (datetime, date)) and not placeable(value):
            shown = value.isoformat()
            raise TOMLError(
                f"`{key}` is a date out of range ({shown}); write a real one, like 2025-01-31T09:30:00Z",
                _line_of(text, value.isoformat()[:10]), syntax=False,
            )


def placeable(value: date) -> bool:
    """Whether a date (or date and time, with or without a zone) can be given a local time zone
    and turned into UTC, as every reader of drafts and config does."""
    try:
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        local = value.astimezone() if value.tzinfo is None else value
        local.astimezone(UTC)
        local.astimezone()
    except (OverflowError, ValueError, OSError):
        return False
    return True


def _too_deep(text: str) -> TOMLError:
    return TOMLError(
        f"values are nested more than {MAX_DEPTH} deep (arrays or tables inside each other); "
        "flatten them or remove them",
        _deep_line(text), syntax=False,
    )


def _deep_line(text: str) -> int | None:
    """The line where nesting first passes MAX_DEPTH (strings and comments skipped), best effort."""
    depth, line = 0, 1
    for m in _TOKENS.finditer(text):
        token = m.group()
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif token in "]}":
            depth = max(0, depth - 1)
        else:
            line += token.count("\n")
    return None


def _long_number_line(text: str) -> int | None:
    m = re.search(r"\d[\d_]{" + str(MAX_DIGITS) + ",}", text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _line_of(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
