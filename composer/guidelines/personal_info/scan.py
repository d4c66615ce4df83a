"""One text being checked: links and @mentions masked out, the stretches around digits (where
every number-shaped pattern runs), sentence bounds, and what earlier checks have already taken.

Everything lives on the `Scan` of one call: no state is kept between calls.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from ..readability import entities, mask

Span = tuple[int, int]

WINDOW_REACH = 100
"""How far around a digit a match (with its label, "passport number ...") can reach."""

_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s")
_WORD_RE = re.compile(r"[\w'’]+")
PUNCTUATION = "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum()) + "“”‘’«»¿¡…–—。、！？"
_SENTENCE_END_RE = re.compile(r"[.!?。！？]+(?=\s|$)|\n")


def windows(text: str, anchors: list[Span], reach: int = WINDOW_REACH) -> list[Span]:
    """Merged stretches of `text` around `anchors` (sorted), widened to whitespace so that no
    word is cut. Linear in the text: no character is walked over twice."""
    n = len(text)
    out: list[Span] = []
    for a, b in anchors:
        if out and b + reach <= out[-1][1]:
            continue
        lo = max(0, a - reach)
        if out and lo <= out[-1][1]:
            lo = out[-1][0]
        else:
            floor = out[-1][1] if out else 0
            while lo > floor and not text[lo - 1].isspace():
                lo -= 1
        hi = min(n, b + reach)
        if hi < n and not text[hi].isspace():
            m = _SPACE_RE.search(text, hi)
            hi = m.start() if m else n
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


class Whole(NamedTuple):
    """What the gates of `check` see of a whole text when one part of it is checked alone (see
    `guidelines.Incremental`): its digits, and the words and text around them."""

    digit_count: int
    near_words: frozenset[str]
    near_texts: tuple[str, ...]


class Scan:
    """The text of one check, with links, @mentions and #hashtags blanked out (same offsets).
    `whole`: the gates of the whole text this one is a part of (a part cut where no digit is near)."""

    def __init__(self, text: str, whole: Whole | None = None) -> None:
        links, ats, tags = entities(text)
        self.original = text
        self.text = mask(text, sorted([*links, *ats, *tags]))
        runs = [(m.start(), m.end()) for m in _DIGITS_RE.finditer(self.text)]
        self.digit_count = sum(b - a for a, b in runs)
        self.digit_windows = windows(self.text, runs) if runs else []
        self._lower: str | None = None
        self._words_at: tuple[Span | None, frozenset[str]] = (None, frozenset())
        self._near_digits: tuple[frozenset[str], str] | None = None
        self.whole = whole

    @property
    def lower(self) -> str:
        """The text in lower case, with the same offsets (for finding words with str.find)."""
        if self._lower is None:
            low = self.text.lower()
            if len(low) != len(self.text):  # "İ" lowers to two characters: keep such letters as they are
                low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in self.text)
            self._lower = low
        return self._lower

    def words(self, lo: int, hi: int) -> frozenset[str]:
        """The words of text[lo:hi], lower case ("she's" and "she", "parents'" and "parents")."""
        key = (lo, hi)
        if self._words_at[0] == key:
            return self._words_at[1]
        found = _WORD_RE.findall(self.lower, lo, hi)
        words = frozenset(found).union(w.strip("'’") for w in found if w[0] in "'’" or w[-1] in "'’")
        self._words_at = (key, words)  # the cues of one sentence ask for it several times
        return words

    @property
    def near_digits(self) -> tuple[frozenset[str], str]:
        """(the words, and the lower-case text) of the stretches around digits: a check whose
        labels ("passport", "born", "Street") are not there does not run (nor compile) at all."""
        if self._near_digits is None:
            low = self.lower
            text = "\n".join(low[lo:hi] for lo, hi in self.digit_windows)
            self._near_digits = (frozenset(_WORD_RE.findall(text)), text)
        return self._near_digits

    def mentions(self, words: frozenset[str], stems: tuple[str, ...] = ()) -> bool:
        """Whether one of `words` (or a word holding one of `stems`) is near a digit."""
        if self.whole is not None:
            w = self.whole
            return not w.near_words.isdisjoint(words) or any(stem in t for t in w.near_texts for stem in stems)
        near, text = self.near_digits
        return not near.isdisjoint(words) or any(stem in text for stem in stems)

    def take(self, spans: list[Span]) -> None:
        """Blank out spans already reported, so that no later check reports them again."""
        if spans:
            self.text = mask(self.text, sorted(spans))
            self._lower = None
            self._words_at = (None, frozenset())

    def finditer(self, pattern: re.Pattern | Pattern, spans: list[Span] | None = None):
        """Matches of `pattern` inside the digit windows (or `spans`)."""
        for lo, hi in self.digit_windows if spans is None else spans:
            yield from pattern.finditer(self.text, lo, hi)

    def sentence(self, start: int, end: int, reach: int = 200) -> Span:
        """Bounds of the sentence (or line) around text[start:end], at most `reach` either side."""
        text = self.text
        lo = max(0, start - reach)
        found = lo
        for m in _SENTENCE_END_RE.finditer(text, lo, start):
            found = m.end()
        hi_limit = min(len(text), end + reach)
        after = _SENTENCE_END_RE.search(text, end, hi_limit)
        return found, (after.end() if after else hi_limit)

    def before(self, start: int, reach: int) -> str:
        return self.text[max(0, start - reach) : start]

    def after(self, end: int, reach: int) -> str:
        return self.text[end : end + reach]


class Pattern:
    """A regular expression compiled on first use (through `re`'s own cache of compiled
    patterns): importing the package compiles nothing, and a text compiles only the patterns its
    checks reach (a post without digits never compiles the number patterns). Used like a
    compiled pattern: `Pattern(r"...").finditer(text, lo, hi)`."""

    __slots__ = ("source", "flags")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags

    def __getattr__(self, name: str):
        return getattr(re.compile(self.source, self.flags), name)


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing found: where, what exactly ("a US Social Security number"), and the value it
    stands for however it is written (an address without obfuscation, a number as E.164)."""

    start: int
    end: int
    detail: str = ""
    value: str = ""


class Taken:
    """Non-overlapping spans already claimed, for overlap tests in O(log n) (a long text can hold
    thousands of matches; comparing each with every other would take minutes)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start)
        if i and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> bool:
        """Claim [start, end) unless it overlaps a claimed span; whether it was claimed."""
        if self.overlaps(start, end):
            return False
        i = bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True
