"""The units platforms count in: grapheme clusters, twitter-text weights, grapheme clusters with
emoji as their UTF-8 bytes, UTF-16 code units; fast on long, mostly-ASCII text. Which platform
counts in which unit is in `composer.registry` (`Counting.unit`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import NamedTuple

import regex

NON_ASCII = regex.compile(r"[^\x00-\x7f]+")
GRAPHEME = regex.compile(r"\X")


def _special_runs(text: str) -> list[tuple[int, int]]:
    """Runs of non-ASCII characters and CR LF pairs, sorted (a plain class scans fast; an
    alternation with CR LF would not)."""
    runs = [m.span() for m in NON_ASCII.finditer(text)]
    i = text.find("\r\n")
    if i >= 0:
        while i >= 0:
            runs.append((i, i + 2))
            i = text.find("\r\n", i + 2)
        runs.sort()
    return runs


EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")


def clusters(text: str) -> list[tuple[int, int]]:
    """Spans of the grapheme clusters of `text` other than lone ASCII characters.

    Only windows around runs of non-ASCII characters (and CR LF) are segmented: two ASCII
    characters never join into one cluster except CR LF, so the character just before a run
    starts a cluster (or is the tail of the previous window, which is then merged in), and
    the cluster holding the run ends at most one character after it."""
    if text.isascii() and "\r\n" not in text:
        return []
    n = len(text)
    if dense(text):
        # Dense non-ASCII (CJK, emoji-heavy): one pass over every cluster is cheaper.
        spans, pos = [], 0
        for c in GRAPHEME.findall(text):
            k = len(c)
            if k > 1 or c > "\x7f":
                spans.append((pos, pos + k))
            pos += k
        return spans
    windows: list[list[int]] = []
    for start, end in _special_runs(text):
        a, b = max(start - 1, 0), min(end + 1, n)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    spans = []
    for a, b in windows:
        for m in GRAPHEME.finditer(text, a, b):
            start, end = m.span()
            if end - start > 1 or ord(text[start]) > 0x7F:
                spans.append((start, end))
    return spans


def graphemes(text: str) -> int:
    """User-perceived characters (extended grapheme clusters, UAX #29)."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    if dense(text):
        return len(GRAPHEME.findall(text))
    return len(text) - sum(end - start - 1 for start, end in clusters(text))


def dense(text: str) -> bool:
    """Whether non-ASCII is common enough that visiting every cluster beats scanning for runs."""
    return (len(text) - len(NON_ASCII.sub("", text))) * 4 >= len(text)


def utf8(text: str) -> int:
    if len(text) < 256 or text.isascii():
        return len(text.encode("utf-8", "surrogatepass"))
    # Encoding a long mostly-ASCII str stored as UCS-4 (any emoji in it) is slow: encode the
    # non-ASCII runs only.
    runs = "".join(NON_ASCII.findall(text))
    return len(text) - len(runs) + len(runs.encode("utf-8", "surrogatepass"))


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _x_weight(cp: int) -> int:
    if cp <= 0x10FF or 0x2000 <= cp <= 0x200D or 0x2010 <= cp <= 0x201F or 0x2032 <= cp <= 0x2037:
        return 1
    return 2


def x_cluster(cluster: str) -> int:
    """twitter-text v3 weight of one (NFC) grapheme cluster."""
    if len(cluster) > 1 and EMOJI.search(cluster):
        return 2  # an emoji sequence: one weight-2 unit
    return sum(_x_weight(ord(c)) for c in cluster)


X_HEAVY = regex.compile(r"[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
"""Code points twitter-text v3 weighs 2."""


def x_plain(text: str) -> int:
    """X weight of NFC text without URLs."""
    if text.isascii():
        return len(text)
    total = len(text) + len(X_HEAVY.findall(text))
    if EMOJI.search(text):  # an emoji sequence weighs 2, not the sum of its code points
        if dense(text):
            multi = [c for c in GRAPHEME.findall(text) if len(c) > 1]
        else:
            multi = [text[a:b] for a, b in clusters(text) if b - a > 1]
        for cluster in multi:
            total += x_cluster(cluster) - sum(_x_weight(ord(c)) for c in cluster)
    return total


def emoji_bytes_cluster(cluster: str) -> int:
    """One cluster in the emoji-bytes unit: 1, or its UTF-8 bytes when it holds an emoji."""
    return utf8(cluster) if EMOJI.search(cluster) else 1


def emoji_bytes(text: str) -> int:
    """Grapheme clusters, each holding an emoji counted as its UTF-8 bytes."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    if not EMOJI.search(text):
        return graphemes(text)
    if dense(text):
        found = GRAPHEME.findall(text)
        search = EMOJI.search
        # no single character below U+00A9 (©) is an emoji; a keycap "1️⃣" starts with a digit
        return len(found) + sum(utf8(c) - 1 for c in found if (len(c) > 1 or c >= "\u00a9") and search(c))
    total = len(text)
    for a, b in clusters(text):
        total += emoji_bytes_cluster(text[a:b]) - (b - a)
    return total


def nfc(text: str) -> str:
    try:
        return unicodedata.normalize("NFC", text)
    except Exception:  # pragma: no cover - defensive: never raise for a string
        return text


# --------------------------------------------------------------------------- by unit name

class Unit(NamedTuple):
    count: Callable[[str], int]
    """The length of a text."""
    cluster: Callable[[str], int] | None
    """What one grapheme cluster costs; None: 1, always."""
    single: Callable[[str], bool] | None
    """Whether a lone non-ASCII code point may cost other than 1; None: it never does."""


UNITS: dict[str, Unit] = {
    "graphemes": Unit(graphemes, None, None),
    # twitter-text normalises to NFC first
    "weighted": Unit(lambda t: x_plain(nfc(t)), lambda c: x_cluster(nfc(c)), lambda c: X_HEAVY.match(c) is not None),
    # no single character below U+00A9 (©) is an emoji
    "emoji-bytes": Unit(emoji_bytes, emoji_bytes_cluster, lambda c: c >= "\u00a9" and EMOJI.match(c) is not None),
    "utf16": Unit(utf16, utf16, lambda c: c > "\uffff"),
}
"""The units a registry entry may name (`Counting.unit`)."""


def count(unit: str, text: str) -> int:
    """The length of `text` in `unit`."""
    return UNITS[unit].count(text)


def cluster(unit: str, c: str) -> int:
    """What one grapheme cluster costs in `unit`."""
    cost = UNITS[unit].cluster
    return cost(c) if cost is not None else 1


def clusters_cost(unit: str, pieces: list[str]) -> list[int]:
    """`cluster(unit, c)` for each of `pieces`."""
    cost = UNITS[unit].cluster
    return [cost(c) for c in pieces] if cost is not None else [1] * len(pieces)


def single_special(unit: str) -> Callable[[str], bool] | None:
    """For units where a lone non-ASCII code point may cost other than 1: that test, else None."""
    return UNITS[unit].single
