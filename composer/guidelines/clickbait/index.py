"""The word index of the clickbait patterns: each pattern is tried only where its first two words
can stand, and compiled the first time it is tried.

A cold check of one post compiles only the few patterns whose first two words it contains (a
dictionary look-up per word, no regex), instead of all of them; the `PatternIndex` object owns
the compiled patterns, so whoever holds it holds the cache.
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from .anchors import START, Alt, anchor, branches, group_end
from .rules import Rule

WORD_KEY = re.compile(r"(?<![^\W_])(?:\d|[^\W\d_]+)")
"""At each word start: a digit, or the word's letters (see `anchors.anchor` for the keys)."""
_GAP = re.compile(r"\s+")
_PLAIN_WORD = re.compile(r"[a-z]+")
_OPENERS = "\"“‘'(["
_ENDERS = ".!?…:;"
_CLOSERS = "\"”’')]"


class Entry(NamedTuple):
    """One alternative in the index."""

    rule: int
    """Index of its rule in RULES."""
    alt: Alt
    second: frozenset[str] | None
    """Keys of the word that must follow the first one (after white space), or None: any."""


def second_keys(src: str) -> frozenset[str] | None:
    """The anchor keys of the second word of a match of `src`, when its first word is one plain
    word or a group of plain words followed by white space (`\\s+`); else None (not filtered)."""
    if len(branches(src)) > 1:
        return None  # alternatives at the top level: each may start differently
    for prefix in (r"\b", r"(?<![\w'’])"):
        if src.startswith(prefix):
            src = src[len(prefix) :]
    while src.startswith(("(?<!", "(?<=")):
        src = src[group_end(src, 0) :]
    if src.startswith("(?P<"):
        src = src[src.index(">") + 1 :]
    if src.startswith("(?:"):
        end = group_end(src, 0)
        if not all(_PLAIN_WORD.fullmatch(b) for b in branches(src[3 : end - 1])):
            return None
        rest = src[end:]
    else:
        m = _PLAIN_WORD.match(src)
        if m is None:
            return None
        rest = src[m.end() :]
    if not rest.startswith(r"\s+") or rest[3:4] in ("?", "*", "{", "|", ")"):
        return None
    return anchor(rest[3:])


def word_keys(word: str) -> tuple[str, ...]:
    """The keys a word (lowercase letters, or a digit) is found under."""
    if word.isdigit():
        return ("<d>",)
    return ("=" + word, word[:3]) if len(word) >= 3 else ("=" + word,)


def opens_sentence(text: str, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence: at the start of the text or a line, or after
    sentence punctuation and a space (an opening quote may stand between)."""
    i = pos
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0 or text[i - 1] == "\n":
        return True
    if not text[i - 1].isspace():
        return False
    while i > 0 and text[i - 1].isspace():
        if text[i - 1] == "\n":
            return True
        i -= 1
    if i == 0:
        return True
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _ENDERS


def span(m: re.Match[str]) -> tuple[int, int]:
    """The flagged span of a match: its first named group that matched, else the whole match."""
    for name, value in m.groupdict().items():
        if value is not None:
            return m.span(name)
    return m.span()


def _split(entries: list[Entry]) -> tuple[list[Entry], dict[str, list[Entry]]]:
    free: list[Entry] = []
    by_second: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.second is None:
            free.append(entry)
        else:
            for k in sorted(entry.second):
                by_second.setdefault(k, []).append(entry)
    return free, by_second


class PatternIndex:
    """Every alternative of `rules`, by the keys of the words it can start with."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.anywhere: dict[str, list[Entry]] = {}
        self.at_start: dict[str, list[Entry]] = {}
        self.scanned: list[Entry] = []
        self._compiled: dict[str, re.Pattern[str]] = {}
        for i, rule in enumerate(rules):
            for alt in rule.pattern:
                entry = Entry(i, alt, second_keys(alt.pattern) if alt.keys is not None else None)
                if alt.keys is None:
                    self.scanned.append(entry)
                    continue
                for key in alt.keys:
                    (self.at_start if alt.at_start else self.anywhere).setdefault(key, []).append(entry)
        self._keyed = {
            key: tuple(
                (_split(table[key]), opening)
                for table, opening in ((self.anywhere, False), (self.at_start, True))
                if key in table
            )
            for key in sorted({*self.anywhere, *self.at_start})
        }
        """Key -> ((entries any second word may follow, the others by the key of their second
        word), whether they must open a sentence), for each table that has the key."""

    def regex(self, pattern: str) -> re.Pattern[str]:
        """`pattern` compiled (case-insensitive), once."""
        compiled = self._compiled.get(pattern)
        if compiled is None:
            compiled = self._compiled[pattern] = re.compile(pattern, re.IGNORECASE)
        return compiled

    def compile_all(self) -> None:
        """Compile every pattern now (warm-up)."""
        for entries in (*self.anywhere.values(), *self.at_start.values(), self.scanned):
            for entry in entries:
                self.regex(entry.alt.pattern)

    def matches(self, text: str, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, re.Match[str]]]:
        """(rule index, match) for every alternative that matches `text` at a word starting in
        text[start:stop] (all words when stop is None)."""
        low = text.lower()
        lowered = len(low) == len(text)  # lower() lengthens a few letters ("İ"): then word by word
        source = low if lowered else text
        keyed = self._keyed
        for m in WORD_KEY.finditer(source, start, len(text) if stop is None else stop):
            word = m.group() if lowered else m.group().lower()
            if word.isdigit():
                found: tuple = (keyed.get("<d>"),)
            else:
                whole = keyed.get("=" + word)
                part = keyed.get(word[:3]) if len(word) >= 3 else None
                if whole is None and part is None:
                    continue
                found = (whole, part)
            pos = m.start()
            follow: tuple[str, ...] | None = None
            for pair in found:
                if pair is None:
                    continue
                for (free, by_second), opening in pair:
                    if opening and not opens_sentence(text, pos):
                        continue
                    tried = free
                    if by_second:
                        if follow is None:
                            follow = self._follow(source, m, lowered)
                        picked = [e for k in follow for e in by_second.get(k, ())]
                        if picked:
                            tried = list(dict.fromkeys(free + picked)) if free else picked
                    for entry in tried:
                        hit = self.regex(entry.alt.pattern).match(text, pos)
                        if hit is not None:
                            yield entry.rule, hit
        for entry in self.scanned:
            for hit in self.regex(entry.alt.pattern).finditer(text, start):
                if stop is None or hit.start() < stop:
                    yield entry.rule, hit

    @staticmethod
    def _follow(source: str, m: re.Match[str], lowered: bool) -> tuple[str, ...]:
        """The keys of the word after the one matched by `m`, if only white space stands between."""
        gap = _GAP.match(source, m.end())
        if gap is None:
            return ()
        nxt = WORD_KEY.match(source, gap.end())
        if nxt is None:
            return ()
        return word_keys(nxt.group() if lowered else nxt.group().lower())

    def crosses(self, before: str, after: str) -> bool:
        """Whether a pattern tried on `before + after` (the text either side of a blank line,
        `before` ending with it) matches from `before` into the blank line or past it."""
        window = before + after
        content_end = len(before.rstrip("\n"))
        return any(m.end() > content_end for _, m in self.matches(window, 0, len(before)))
