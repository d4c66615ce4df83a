"""Splitting a text into the parts of a thread (`split_thread`).

A text that fits comes back as `[text]`, untouched. Otherwise it is cut at paragraph breaks when
one falls in the last two thirds of a part's budget, else at a line break or sentence end in the
last half, else at the last space (or between two CJK characters), and only as a last resort, for
a single word longer than a part, between grapheme clusters. Never inside a URL, a mention, a
hashtag or a grapheme cluster. The whitespace at a cut is dropped; nothing else is. When
`numbered`, each part ends with " i/k", counted in its budget. A URL alone longer than a part
stays whole, in a part of its own that is over the limit (`findings` reports it as an error): a
broken link is worse than a refused post the writer was warned about. A content warning that
counts goes on every part, so it leaves less room in each.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from operator import attrgetter

import regex

from .layout import Layout
from .rules import DEFAULT_URL_COST, INF, Rules, measure_with, text_of
from .rules import rules as rules_for

# Blank space a thread may be cut at: white space except the no-break spaces (U+00A0, U+2007,
# U+202F), which writers use precisely to keep "10 km" or "M. Dupont" together.
_WS = r"[^\S\u00a0\u2007\u202f]"
_SENTENCE = regex.compile(
    rf"(?r){_WS}*\n{_WS}*"
    rf"|(?<=[.!?…‼⁇⁈⁉。！？][\"'”’»)\]」』）】]*){_WS}+(?![\s\p{{Ll}}])"
    r"|(?<=[。！？][」』）】\"'”’]*)(?![\s」』）】\"'”’])"
)
"""A line break, or the space after a sentence's end (not before a lower-case word: "e.g. the")."""
_WORD = regex.compile(
    rf"(?r){_WS}+"
    r"|(?<=[\p{Han}\p{Hiragana}\p{Katakana}、，。！？])(?=[\p{Han}\p{Hiragana}\p{Katakana}])"
)
"""Blank space, or the point between two CJK characters (Chinese and Japanese use no spaces)."""
_SPACE = regex.compile(_WS)
_NONSPACE = regex.compile(r"\S")
_LAST_NONSPACE = regex.compile(r"(?r)\S")
_LOOKAHEAD = 64
"""How far past a part's end a whitespace run that starts inside it is looked for."""


@dataclass(frozen=True, slots=True)
class Part:
    start: int
    end: int
    oversize: bool = False
    """A URL (or cluster) alone longer than a part's budget: kept whole, over the limit."""


class _Splitter:
    def __init__(self, layout: Layout) -> None:
        self.lay = layout
        self.text = layout.text
        self.rules = layout.rules
        self.seen = 0
        """How far into the text the current part's choice has looked (exclusive): where an
        edit can no longer change it (see `_Split.resume`)."""

    def see(self, x: int) -> None:
        if x > self.seen:
            self.seen = x

    def skip_space(self, x: int) -> int:
        m = _NONSPACE.search(self.text, x)
        self.see(m.end() if m else self.lay.n)
        return self.lay.down(m.start()) if m else self.lay.n

    def trim_end(self, s: int, x: int) -> int:
        self.see(x)
        m = _LAST_NONSPACE.search(self.text, s, x)
        return self.lay.up(m.end()) if m else s

    def plan(
        self, budgets: tuple[int, ...], suffix: str, resume: Resume | None = None
    ) -> tuple[list[Part], list[int]]:
        """The parts, and for each how far its choice looked (`seen`). `resume`: the plan of the
        text before one edit, whose parts are kept wherever the edit cannot change them."""
        lay = self.lay
        start = self.skip_space(0)
        content_end = self.trim_end(start, lay.n)
        parts: list[Part] = []
        horizons: list[int] = []
        s = start
        if resume is not None:
            parts, horizons, s = resume.head(start, content_end)
        while s < content_end:
            self.seen = s
            part = self.next_part(s, content_end, budgets, suffix)
            if part.end <= s:  # defensive: a part always moves on
                part = self.smallest(s, content_end)
            self.see(part.end)
            parts.append(part)
            s = self.skip_space(part.end)
            if s < part.end:  # never go back (cannot happen: part ends on a boundary)
                s = part.end
            horizons.append(self.seen)
            if resume is not None and resume.tail(s, content_end, parts, horizons):
                break
        if not parts:
            return [Part(start, content_end)], [lay.n]
        return parts, horizons

    def next_part(self, s: int, content_end: int, budgets: tuple[int, ...], suffix: str) -> Part:
        tight = budgets
        for _ in range(8):
            part, checked = self.choose(s, content_end, tight)
            if part.oversize:
                return part
            piece = self.text[part.start : part.end] + suffix
            if checked and piece.isascii() and "\r" not in piece:
                return part
            got = self.rules.measure(piece)
            over = [max(got[d] - self.rules.limits[d], 0) for d in range(len(got))]
            if not any(over):
                return part
            # The additive plan was off (context-dependent clusters or entities, bytes of single
            # characters): tighten and retry. Every unit of the main count costs at least one
            # unit of any other length dimension, so cutting the main budget by the worst
            # overflow is enough when the plan is off by no more than that.
            tight = (tight[0] - max(over),) + tuple(b - o for b, o in zip(tight[1:], over[1:]))
        return self.smallest(s, content_end)

    def smallest(self, s: int, content_end: int) -> Part:
        """One atom or character: the least a part can hold."""
        k = self.lay.atom_at(s)
        end = self.lay.ends[k] if k is not None else s + 1
        self.see(end + 1)
        return Part(s, min(end, content_end) if end > s else s + 1, oversize=True)

    def choose(self, s: int, content_end: int, budgets: tuple[int, ...]) -> tuple[Part, bool]:
        """The next part from s, and whether its plain-ASCII cost is exact (no hard cut)."""
        lay = self.lay
        k = bisect_right(lay.starts, s) - 1
        if k >= 0 and lay.starts[k] < s < lay.ends[k]:
            return self.oversize(s, content_end, budgets), False  # resuming inside a cut word
        e = lay.reach(s, budgets)
        self.see(e + 1)
        if e >= content_end:
            return Part(s, content_end), True
        if e <= s:
            return self.oversize(s, content_end, budgets), False
        main = budgets[0]
        hi = min(lay.n, e + _LOOKAHEAD)
        self.see(hi + 1)
        a = self.paragraph_break(s, e, hi)
        if a is None or lay.cost(0, s, a) < main // 3:
            a = self.last_break(_SENTENCE, s + 1, hi, s, e)
            if a is None or lay.cost(0, s, a) < main // 2:
                a = self.last_break(_WORD, s + 1, hi, s, e)
                if a is not None and lay.cost(0, s, a) < main // 2 and self.next_word_too_long(a, budgets):
                    a = None  # a short part then a word that must be cut anyway: cut it here
        if a is None:  # last resort: between grapheme clusters
            return Part(s, max(self.trim_end(s, e), lay.down(s + 1)) if e < lay.n else e), False
        return Part(s, a), True

    def paragraph_break(self, s: int, e: int, hi: int) -> int | None:
        """The end of the last paragraph (a blank run holding two line breaks) within (s, e]."""
        text = self.text
        i = text.rfind("\n", s + 1, hi)
        while i > s:
            m = _LAST_NONSPACE.search(text, s, i)
            run_start = m.end() if m else s
            m = _NONSPACE.search(text, i, hi)
            run_end = m.start() if m else hi
            if run_start <= e and text.count("\n", run_start, run_end) >= 2:
                a = self.lay.down(self.trim_end(s, run_start))
                return a if a > s else None
            i = text.rfind("\n", s + 1, run_start)
        return None

    def last_break(self, pattern: regex.Pattern[str], lo: int, hi: int, s: int, e: int) -> int | None:
        if lo > e:
            return None
        for m in pattern.finditer(self.text, lo, hi):
            if m.start() > e:
                continue
            a = self.lay.down(self.trim_end(s, m.start()) if m.end() > m.start() else m.start())
            if a > s:
                return a
            return None
        return None

    def next_word_too_long(self, a: int, budgets: tuple[int, ...]) -> bool:
        w = self.skip_space(a)
        m = _SPACE.search(self.text, w)
        word_end = m.start() if m else self.lay.n
        reach = self.lay.reach(w, budgets)
        self.see(max(word_end, reach) + 2)
        return reach < word_end

    def oversize(self, s: int, content_end: int, budgets: tuple[int, ...]) -> Part:
        """Nothing fits from s: the atom there is bigger than a part."""
        lay = self.lay
        k = bisect_right(lay.starts, s) - 1
        if k < 0 or lay.ends[k] <= s:
            return self.smallest(s, content_end)  # the budget cannot hold a single character
        kind, end = lay.kinds[k], lay.ends[k]
        self.see(end + 1)
        if kind in ("mention", "hashtag"):
            # Not a real handle or tag at that length: cut it between grapheme clusters.
            cuts = [s] + [s + m.end() for m in regex.finditer(r"\X", self.text[s:end])]
            lo, hi = 0, len(cuts) - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                piece = self.rules.piece(self.text[s : cuts[mid]])
                if all(piece[d] <= budgets[d] for d in range(len(piece))):
                    lo = mid
                else:
                    hi = mid - 1
            if lo > 0:
                return Part(s, cuts[lo])
        return Part(s, end, oversize=True)


def part_budgets(rules: Rules, reserve: int) -> tuple[int, ...]:
    return tuple(
        lim - over - (reserve if base else 0) for lim, over, base in zip(rules.limits, rules.overhead, rules.bases)
    )


class Resume:
    """The numbered plan of a text before one edit, for planning the text after it: parts whose
    choice looked no further than the line before the edit are kept, planning resumes from the
    first other one, and stops as soon as a part starts where an old part started after the
    edited lines (shifted by the edit): from there on every choice reads the same text, so the
    old parts follow, shifted."""

    __slots__ = ("digits", "parts", "horizons", "zs", "ze_old", "delta", "content_end", "by_start")

    def __init__(self, digits, parts, horizons, zs, ze_old, ze_new, content_end_old):
        self.digits, self.parts, self.horizons = digits, parts, horizons
        self.zs, self.ze_old, self.delta = zs, ze_old, ze_new - ze_old
        self.content_end = content_end_old
        self.by_start = None

    def head(self, start: int, content_end: int) -> tuple[list[Part], list[int], int]:
        """The parts kept, their horizons and where planning resumes."""
        j = 0
        if content_end >= self.zs:  # (else the edit cut the end of the content: plan it all)
            for h in self.horizons:
                if h + _MARGIN > self.zs:
                    break
                j += 1
        if j == 0 or j >= len(self.parts):
            return [], [], start
        return self.parts[:j], self.horizons[:j], self.parts[j].start

    def tail(self, s: int, content_end: int, parts: list[Part], horizons: list[int]) -> bool:
        """Append the old parts from `s` on, if the plan has come back in line with them."""
        old = s - self.delta
        if old < self.ze_old or content_end - self.delta != self.content_end:
            return False
        i = bisect_left(self.parts, old, key=_START)  # parts are in order of their starts
        if i >= len(self.parts) or self.parts[i].start != old:
            return False
        d = self.delta
        parts += [Part(p.start + d, p.end + d, p.oversize) for p in self.parts[i:]]
        horizons += [h + d for h in self.horizons[i:]]
        return True


_START = attrgetter("start")
_MARGIN = 8
"""Characters of slack between what a part's choice looked at and an edit it is kept across."""


def split_parts(
    layout: Layout, numbered: bool, resume: Resume | None = None, texts: bool = True
) -> tuple[list[str], list[Part], tuple | None]:
    """(part texts, parts, and for a numbered plan (digits, parts, horizons, content end) to resume from).
    `texts=False`: the part texts are not made (the list is empty; the parts say how many)."""
    rules, text = layout.rules, layout.text
    splitter = _Splitter(layout)
    start = splitter.skip_space(0)
    end = splitter.trim_end(start, layout.n)
    if start > 0 or end < layout.n:
        trimmed = text[start:end]
        if measure_with(rules, trimmed).fits:  # only blank space at either end was too much
            return [trimmed], [Part(start, end)], None
    if not numbered:
        parts = splitter.plan(part_budgets(rules, 0), "")[0]
        return [text[p.start : p.end] for p in parts], parts, None
    # Start from a guess of the part count (parts 70% full: cutting at paragraphs and sentences
    # leaves room), so that the plan usually runs once; a guess too small is corrected by
    # planning again, one too big only reserves a digit more than needed.
    total = layout.prefix(0, layout.n)
    per_part = max(1, rules.limits[0] - rules.overhead[0] - 4)
    digits = len(str(max(1, -(-total * 100 // (per_part * 70)))))
    while True:
        placeholder = " " + "9" * digits + "/" + "9" * digits
        again = resume if resume is not None and resume.digits == digits else None
        parts, horizons = splitter.plan(part_budgets(rules, len(placeholder)), placeholder, again)
        record = (digits, parts, horizons, end)
        if len(parts) == 1:
            return [text[parts[0].start : parts[0].end]], parts, record
        if len(str(len(parts))) <= digits:
            break
        digits = len(str(len(parts)))
    k = len(parts)
    if not texts:
        return [], parts, record
    return [f"{text[p.start : p.end]} {i}/{k}" for i, p in enumerate(parts, 1)], parts, record


def split_thread(
    text: str,
    platform: str,
    limit: int | None = None,
    numbered: bool = True,
    *,
    content_warning: str = "",
    url_cost: int | None = DEFAULT_URL_COST,
) -> list[str]:
    """Split `text` into thread parts that each fit `platform` (see the module doc for the rules).

    A text that fits comes back as `[text]` unchanged. `content_warning` (where it counts) is the one each
    part will carry. Deterministic."""
    rules = rules_for(platform, limit, content_warning, url_cost)
    text = text_of(text)
    if rules.limits[0] >= INF or measure_with(rules, text).fits:
        return [text]
    return split_parts(Layout(text, rules), numbered)[0]
