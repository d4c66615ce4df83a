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
        words = list(WORD_KEY.finditer(source, start, len(text)))
        anywhere, at_start = self.anywhere, self.at_start
        for n, m in enumerate(words):
            pos = m.start()
            if stop is not None and pos >= stop:
                break
            word = m.group() if lowered else m.group().lower()
            follow: tuple[str, ...] | None = None
            for key in word_keys(word):
                for table, opening in ((anywhere, False), (at_start, True)):
                    entries = table.get(key)
                    if entries is None or (opening and not opens_sentence(text, pos)):
                        continue
                    for entry in entries:
                        if entry.second is not None:
                            if follow is None:
                                follow = self._follow(source, words, n, lowered)
                            if entry.second.isdisjoint(follow):
                                continue
                        hit = self.regex(entry.alt.pattern).match(text, pos)
                        if hit is not None:
                            yield entry.rule, hit
        for entry in self.scanned:
            for hit in self.regex(entry.alt.pattern).finditer(text, start):
                if stop is None or hit.start() < stop:
                    yield entry.rule, hit

    @staticmethod
    def _follow(source: str, words: list[re.Match[str]], n: int, lowered: bool) -> tuple[str, ...]:
        """The keys of the word after words[n], if only white space stands between them."""
        if n + 1 >= len(words):
            return ()
        here, nxt = words[n], words[n + 1]
        if nxt.start() == here.end() or not _GAP.fullmatch(source, here.end(), nxt.start()):
            return ()
        word = nxt.group() if lowered else nxt.group().lower()
        return word_keys(word)

    def crosses(self, before: str, after: str) -> bool:
        """Whether a pattern tried on `before + after` (the text either side of a blank line,
        `before` ending with it) matches from `before` into the blank line or past it."""
        window = before + after
        content_end = len(before.rstrip("\n"))
        return any(m.end() > content_end for _, m in self.matches(window, 0, len(before)))
