"""The anchor-regex reader: which words a clickbait pattern can start with.

A pattern is tried only at the words it can start with (see `index.py`), so the cost of the
check grows with the text, not with the number of patterns times its length. `anchor` reads the
start of a pattern to find those words; what it cannot follow it leaves to a full scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

START = r"(?:^|(?<=\n)|(?<=[.!?…:;]\s)|(?<=[.!?…:;]\s\s)|(?<=[.!?…:;][\"”’)]\s))\s*[\"“‘']?"
"""The start of a sentence (of the text, a line, or after sentence punctuation and a space)."""


class Alt(NamedTuple):
    """One alternative of a rule, matched only where its first word can start (see `anchor`)."""

    body: str
    """The pattern without its sentence-start condition: matched at a word start."""
    at_start: bool
    """The match must open a sentence."""
    source: str
    """The whole pattern, as a plain scan would use it (tests compare the two)."""


def _top_level(src: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth before it) of each character of src from i that is not
    escaped and not inside a character class."""
    depth, in_class = 0, False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            yield i, c, depth
            depth += (c == "(") - (c == ")")
        i += 1


def group_end(src: str, i: int) -> int:
    """Index just past the group that opens at src[i] == "(", honouring escapes and classes."""
    for j, c, depth in _top_level(src, i):
        if c == ")" and depth == 1:
            return j + 1
    raise ValueError("unbalanced pattern")


def branches(body: str) -> list[str]:
    """Split a group body at its top-level "|"."""
    out, start = [], 0
    for i, c, depth in _top_level(body):
        if c == "|" and depth == 0:
            out.append(body[start:i])
            start = i + 1
    out.append(body[start:])
    return out


def strip_opening(src: str) -> str:
    """`src` without what a match starts with that is not a word: a word boundary, lookbehinds,
    the opening of a named group."""
    for prefix in (r"\b", r"(?<![\w'’])"):
        if src.startswith(prefix):
            src = src[len(prefix) :]
    while src.startswith(("(?<!", "(?<=")):
        src = src[group_end(src, 0) :]
    if src.startswith("(?P<"):
        src = src[src.index(">") + 1 :]
    return src


WORD_END = ("\\s", "\\b", "['’]", "[\"", "(?!", "(?=", "\\.", " ", ",", ":", "!", "?", "%", "=")


def anchor(src: str) -> frozenset[str] | None:
    """The anchor keys of every word a match of `src` can start with, or None if the pattern can
    start in a way this small reader does not follow (it is then scanned). A key is "=word" for
    a whole word, the first three letters for a longer literal that a pattern continues
    ("won" for won't, wont), or "<d>" for a number."""
    src = strip_opening(src)
    if src.startswith("(?:"):
        end = group_end(src, 0)
        runs_on = src[end : end + 2].lstrip("?*")[:1].isalpha()
        if runs_on and not all(b.endswith(("\\s+", "\\s*")) for b in branches(src[3 : end - 1])):
            return None  # the group runs on into a word ("(?:un)?till"): cannot key it
        keys: set[str] = set()
        for branch in branches(src[3 : end - 1]):
            sub = anchor(branch)
            if sub is None:
                return None
            keys |= sub
        if src[end : end + 1] in ("?", "*") or src[end:].startswith("{0,"):
            rest = anchor(src[end:].lstrip("?*").split("}", 1)[-1] if src[end] == "{" else src[end + 1 :].lstrip("?"))
            if rest is None:
                return None
            keys |= rest  # the group is optional: the match may start after it
        return frozenset(keys)
    if src.startswith("\\d") or src[:1].isdigit():
        return frozenset({"<d>"})
    n = 0
    while n < len(src) and src[n].isalpha():
        n += 1
    if n == 0:
        return None
    word = src[:n].lower()
    after = src[n:]
    if after[:1] in ("?", "*", "+", "{"):  # the last letter is optional or repeated: key what follows
        return frozenset({word[:3]}) if n - 1 >= 3 else None
    if after.startswith("(?:") and all(b.startswith("\\s") for b in branches(after[3 : group_end(after, 0) - 1])):
        return frozenset({"=" + word})  # "reply(?:\s+with)?": the word ends where the group starts
    if after == "" or (after.startswith(WORD_END) and not after.startswith("['’]?")):
        return frozenset({"=" + word})
    if after.startswith("['’]?"):
        m = re.match(r"[a-z]+", after[5:])
        tail = after[5 + m.end() :] if m else ""
        if m and (tail == "" or (tail.startswith(WORD_END) and not tail.startswith("['’]?"))):
            return frozenset({"=" + word, "=" + word + m.group()})  # it's / its
    if n < 3:
        return None  # a short literal that a group or class continues: cannot key it
    return frozenset({word[:3]})


def rx(*alternatives: str) -> tuple[Alt, ...]:
    out = []
    for a in alternatives:
        at_start = a.startswith(START)
        out.append(Alt(a[len(START) :] if at_start else a, at_start, a))
    return tuple(out)

