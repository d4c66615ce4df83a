"""Reading what a server answered, the same way for every client: its times, its ids, and its
texts compared with ours as the server gives them back (a retry's look-up: is this post ours?)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def time_of(value: Any) -> datetime | None:
    """An ISO 8601 time (`Z`, an offset, or Graph's `+0000`; none: UTC), or None when `value` is
    none (not text, empty, not a time)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # Graph's "+0000"
        text = text[:-2] + ":" + text[-2:]
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def squash(text: str) -> str:
    """`text` without any whitespace, NFC: two texts alike once a server has re-wrapped one."""
    return "".join(unicodedata.normalize("NFC", text).split())


def same_words(a: str, b: str) -> bool:
    """The same words in the same order (NFC; runs of whitespace count as one space)."""
    return _words(a) == _words(b)


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def mapping(value: Any) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def positive(value: Any) -> int | None:
    """A whole number above zero, or None (a missing, empty, zero or garbled setting)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def id_of(data: Any) -> str | None:
    """An answer's `id`, when it is one (a non-empty string, or a number from some servers)."""
    value = data.get("id") if isinstance(data, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        return None
    return str(value)
