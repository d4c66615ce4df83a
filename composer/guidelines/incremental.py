"""The checks of one open draft, kept between keystrokes: `Incremental().analyze(text, ...)`.

The composer holds one `Incremental` per open draft and hands it every version of the text; it
gives exactly the Report `analyze` gives (tests/test_guidelines_incremental.py), at a cost that
follows the edit rather than the length of the draft:

* The text is kept as its paragraphs (each with the blank lines after it, so they tile the text).
  An edit is found by comparing the new text with the last one (`textdiff.changed_window`, a few
  memcmp calls), and only the paragraphs it touches (and one either side) are split again.
* What each paragraph gives on its own (word counts, the readability figures, the clickbait
  context's facts, where a run of capitals may go on) is worked out once per paragraph. What
  depends on the text around a blank line (whether a phrase, a pattern or a number's context
  could run over it) is worked out once per blank line, again only near an edit.
* Each family of checks runs on units: paragraphs, joined where the family could see across the
  blank line between them. A unit's findings are kept with the paragraph that starts it (or, for
  units of several paragraphs, by their text), and re-used while the unit and what the family
  depends on (the clickbait context, the allow list, the digits of the whole text) stay the same.
* Length (and each account's budget) comes from a `length.Tracker`, which re-plans a thread only
  from the edit on.

Nothing is kept at module level: everything lives on the object and goes with it, sized to the
draft (the paragraphs it has now). Thread-safe: one analysis at a time per object.
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from composer.textdiff import changed_window

from .model import Finding, Readability, Report
from .settings import DEFAULT_SETTINGS, GuidelineSettings

if TYPE_CHECKING:
    from .length import Measure, Tracker

log = logging.getLogger(__name__)

_BLANK_LINES_RE = re.compile(r"\n\n+")
_DIGIT_RE = re.compile(r"\d")
_TEXT = attrgetter("text")
SEAM_REACH = 800
"""Seams (blank lines) within this many characters of an edit are judged again: the widest any
family looks across one (personal information's QUIET_REACH)."""
CLICKBAIT_SEAM_REACH = 160
"""How far either side of a blank line the clickbait patterns are tried for a match across it."""


def paragraphs(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Spans of the paragraphs of `text`, each with the blank lines after it (so they tile it)."""
    out, pos = [], 0
    for m in _BLANK_LINES_RE.finditer(text):
        out.append((base + pos, base + m.end()))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((base + pos, base + len(text)))
    return out


_Kept = tuple[Any, list[Finding], int, "list[Finding] | None"]


class _Para:
    """One paragraph and what it gives on its own (each worked out on first use)."""

    __slots__ = ("text", "counts", "prose", "facts", "edges", "digits", "clickbait", "language", "shouting", "personal")

    def __init__(self, text: str) -> None:
        self.text = text
        self.counts: tuple[int, int] | None = None
        self.prose: Any = None
        self.facts: tuple[bool, bool, bool] | None = None
        self.edges: tuple[bool, bool] | None = None
        self.digits: bool | None = None
        # per family: (what the result depends on besides the text, the paragraph's findings,
        # the offset they were last shifted to, and the shifted findings)
        self.clickbait: _Kept | None = None
        self.language: _Kept | None = None
        self.shouting: _Kept | None = None
        self.personal: _Kept | None = None


class _Seam:
    """What one blank line allows: may the paragraphs either side be checked apart, per family
    (None: not judged yet; each is judged when a family first needs it)."""

    __slots__ = ("clickbait", "language", "personal", "link")

    def __init__(self) -> None:
        self.clickbait: bool | None = None
        self.language: bool | None = None
        self.personal: bool | None = None
        self.link: bool | None = None
        """A pointer to a link ("link in bio") runs over this blank line."""


_SLOTS = {"clickbait": "clickbait", "language": "language", "shouting": "shouting", "personal": "personal",
          "personal-numbered": "personal"}


def _shifted(findings: list[Finding], offset: int) -> list[Finding]:
    if not offset:
        return findings
    return [Finding(f.rule, f.category, f.severity, f.start + offset, f.end + offset, f.message) for f in findings]


class Incremental:
    """The guideline checks of one draft, re-using what an edit left as it was."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._text: str | None = None
        self._paras: list[_Para] = []
        self._starts: list[int] = []
        self._seams: list[_Seam] = []
        """Seam i: the blank line between paragraph i and i + 1."""
        self._joined: dict[tuple, list[Finding]] = {}
        """Findings of units of several paragraphs, by (family, unit text, dependencies)."""
        self._prose_joined: dict[tuple, Any] = {}
        self._nears: dict[tuple, tuple[int, frozenset[str], str]] = {}
        self._keys: dict[str, Any] = {}
        self._length: Tracker | None = None

    @property
    def length(self) -> Tracker:
        """The draft's length tracker (made, and the length module loaded, on first use)."""
        if self._length is None:
            from . import length

            self._length = length.Tracker()
        return self._length

    def budget(self, text: str, platform: str, limit: int | None = None, *, content_warning: str = "") -> tuple[Measure, int]:
        """`self.length.budget(...)`: the open draft hands this object to `run_analysis` as its
        tracker, so that a draft with no account chosen never loads the length module."""
        return self.length.budget(text, platform, limit, content_warning=content_warning)

    # -- public ----------------------------------------------------------------------------

    def analyze(
        self,
        text: str,
        purpose: str | None = None,
        *,
        settings: GuidelineSettings | None = None,
        platforms: Sequence[str] = (),
        limits: Mapping[str, int] | None = None,
        content_warning: str = "",
    ) -> Report:
        """`guidelines.analyze(text, ...)`, the same Report, re-using what the last text had."""
        from . import as_strings

        text, purpose, content_warning = as_strings(text, purpose, content_warning)
        with self._lock:
            return self._analyze(text, purpose, settings or DEFAULT_SETTINGS, platforms, limits, content_warning)

    # -- keeping the paragraphs -----------------------------------------------------------------

    def _update(self, text: str) -> None:
        old = self._text
        if old == text:
            return
        if old is None or not self._paras:
            self._paras = [_Para(text[s:e]) for s, e in paragraphs(text)]
            self._starts = list(accumulate(map(len, map(_TEXT, self._paras[:-1])), initial=0))
            self._seams = [_Seam() for _ in range(len(self._paras) - 1)]
            self._text = text
            return
        s, old_e, new_e = changed_window(old, text)
        starts = self._starts
        n_old = len(old)
        a = max(0, bisect_right(starts, max(0, s - 1)) - 2)
        b = min(len(starts), bisect_right(starts, min(old_e, n_old - 1) if n_old else 0) + 1)
        lo = starts[a]
        hi_old = starts[b] if b < len(starts) else n_old
        hi_new = hi_old + (len(text) - n_old)
        paras = self._paras
        kept: dict[str, _Para | None] = {p.text: p for p in paras[a:b]}  # neighbours split again are as they were
        fresh = []
        for x, y in paragraphs(text[lo:hi_new], lo):
            piece = text[x:y]
            fresh.append(kept.pop(piece, None) or _Para(piece))
        seams = self._seams
        # seam j lies between paragraphs j and j+1: those touching a replaced paragraph go
        left, right = seams[: max(0, a - 1)], seams[b:]
        paras[a:b] = fresh
        self._seams = seams = left + [_Seam() for _ in range(len(paras) - 1 - len(left) - len(right))] + right
        self._starts = starts = list(accumulate(map(len, map(_TEXT, paras[:-1])), initial=0))
        self._text = text
        # seams near the edit are judged again (what they look at either side may have changed)
        first = bisect_right(starts, s - SEAM_REACH)
        last = bisect_right(starts, new_e + SEAM_REACH)
        for j in range(max(0, first - 1), min(len(seams), last)):
            seams[j] = _Seam()

    def _judge(self, j: int, family: str) -> bool:
        """Whether `family` may check the paragraphs either side of seam j apart (for "link":
        whether a pointer to a link runs over it)."""
        text = self._text or ""
        cut = self._starts[j + 1]
        if family == "clickbait":
            from . import clickbait

            before = text[max(0, cut - CLICKBAIT_SEAM_REACH) : cut]
            return not clickbait.crosses(before, text[cut : cut + CLICKBAIT_SEAM_REACH])
        if family == "language":
            from . import language

            return language.apart(text, cut)
        if family == "personal":
            from . import personal_info

            return personal_info.quiet(text, cut)
        from . import clickbait

        return clickbait.link_across(text, cut)

    def _seam_values(self, family: str) -> list[bool]:
        """Each seam's value for `family`, judging the seams not judged yet."""
        get = attrgetter(family)
        seams = self._seams
        values = list(map(get, seams))
        if None in values:
            for j in [j for j, v in enumerate(values) if v is None]:
                values[j] = value = self._judge(j, family)
                setattr(seams[j], family, value)
        return values

    @staticmethod
    def _multi(apart: list[bool]) -> list[tuple[int, int]]:
        """(first, last + 1) of each unit of several paragraphs (where seams do not part them)."""
        multi: list[list[int]] = []
        for j in [j for j, v in enumerate(apart) if not v]:
            if multi and multi[-1][1] == j + 1:
                multi[-1][1] = j + 2
            else:
                multi.append([j, j + 2])
        return [(a, b) for a, b in multi]

    def _each(
        self, family: str, key: Any, apart: list[bool], check: Callable[[str], list[Finding]],
        joined: dict[tuple, list[Finding]],
    ) -> list[Finding]:
        """Findings of `family` over the whole text: each unit (paragraphs joined where `apart`
        says a seam does not part them) checked by `check`, its findings kept while the unit and
        `key` (what else the result depends on) stay the same."""
        multi = self._multi(apart)
        return self._collect(family, key, None, multi, check, joined)

    def _collect(
        self, family: str, key: Any, singles: list[int] | None, multi: list[tuple[int, int]],
        check: Callable[[str], list[Finding]], joined: dict[tuple, list[Finding]],
    ) -> list[Finding]:
        """The findings of the paragraphs `singles` (None: every paragraph outside `multi`), each
        a unit alone, and of the units `multi`."""
        paras, starts = self._paras, self._starts
        kept = self._keys.get(family)
        if kept is not None and kept == key:
            key = kept  # the same object, so that kept results are recognised by identity
        self._keys[family] = key
        slot = _SLOTS[family]
        get = attrgetter(slot)
        if singles is None:
            inside = {i for first, end in multi for i in range(first, end)} if multi else set()
            values = list(map(get, paras))
            index: Sequence[int] = range(len(paras))
        else:
            inside = set()
            values = [get(paras[i]) for i in singles]
            index = singles
        out: list[Finding] = []
        for i in [i for i, v in zip(index, values) if v is None or v[0] is not key or v[1]]:
            if i in inside:
                continue
            p = paras[i]
            v = get(p)
            if v is None or v[0] is not key:
                v = (key, check(p.text), 0, None)
                setattr(p, slot, v)
            if v[1]:
                at = starts[i]
                if v[2] != at or v[3] is None:  # shifted once per place the paragraph is at
                    v = (key, v[1], at, _shifted(v[1], at))
                    setattr(p, slot, v)
                out.extend(v[3])
        for first, end in multi:
            members = tuple(paras[first:end])
            jkey = (family, members, key)
            found = self._joined.get(jkey)
            if found is None:
                found = check("".join(q.text for q in members))
            joined[jkey] = found
            if found:
                out.extend(_shifted(found, starts[first]))
        return out

    # -- the analysis -------------------------------------------------------------------------

    def _analyze(
        self, text: str, purpose: str | None, settings: GuidelineSettings, platforms: Sequence[str],
        limits: Mapping[str, int] | None, content_warning: str,
    ) -> Report:
        from . import forget_kept, run_families

        forget_kept()
        self._update(text)
        # This text's units of several paragraphs, filled as the families run; until the report is
        # made, self._joined holds the last text's, to be re-used where a unit did not change.
        joined: dict[tuple, list[Finding]] = {}
        allow = settings.allow

        def language_check(wanted: list[str]) -> list[Finding]:
            key = (tuple(allow), tuple(wanted))
            from . import language

            return self._each(
                "language", key, self._seam_values("language"), lambda t: language.check(t, allow, wanted), joined
            )

        report = run_families(
            text, purpose, settings, platforms, limits, content_warning,
            clickbait=lambda: self._clickbait(joined),
            shouting=lambda: self._shouting(joined),
            personal_info=lambda: self._personal(settings, joined),
            language=language_check,
            length=lambda *args, **kwargs: self.length.findings(*args, **kwargs),
            measure=self._readability,
        )
        self._joined = joined
        return report

    def _per_paragraph(self, attr: str, compute: Callable[[str], Any]) -> list[Any]:
        """Each paragraph's `attr` (one of `_Para`'s kept results), computed from its text where the
        paragraph does not have it yet, and kept."""
        paras = self._paras
        values = list(map(attrgetter(attr), paras))
        if None in values:
            for i in [i for i, v in enumerate(values) if v is None]:
                values[i] = compute(paras[i].text)
                setattr(paras[i], attr, values[i])
        return values

    def _clickbait(self, joined: dict[tuple, list[Finding]]) -> list[Finding]:
        from . import clickbait

        facts = self._per_paragraph("facts", clickbait.facts)
        link = any(map(itemgetter(0), facts)) or any(self._seam_values("link"))
        speaks = any(map(itemgetter(1), facts))
        words = sum(map(itemgetter(2), facts))
        ctx = clickbait.Context(link, speaks, words > 1)
        return self._each("clickbait", ctx, self._seam_values("clickbait"), lambda t: clickbait.check_part(t, ctx), joined)

    def _shouting(self, joined: dict[tuple, list[Finding]]) -> list[Finding]:
        from . import shouting

        edges = self._per_paragraph("edges", shouting.edges)
        # a run of capitals cannot go over a blank line after a paragraph that closes, or
        # before one that opens (see shouting.edges)
        apart = [a[1] or b[0] for a, b in zip(edges, edges[1:])]
        return self._each("shouting", None, apart, shouting.check, joined)

    def _personal(self, settings: GuidelineSettings, joined: dict[tuple, list[Finding]]) -> list[Finding]:
        from . import personal_info

        paras = self._paras
        multi = self._multi(self._seam_values("personal"))
        digits = self._per_paragraph("digits", lambda text: _DIGIT_RE.search(text) is not None)
        numbered = [i for i, d in enumerate(digits) if d]
        inside = {i for first, end in multi for i in range(first, end)} if multi else set()
        numbered_multi = [(a, b) for a, b in multi if any(digits[a:b])]
        numbered_singles = [i for i in numbered if i not in inside]
        # the gates of the whole text: its digits, and the words around them (units are cut
        # only where no digit is near, so the whole's windows are the units' windows)
        total = 0
        words: set[str] = set()
        texts: list[str] = []
        nears: dict[tuple, tuple[int, frozenset[str], str]] = {}
        for first, end in [(i, i + 1) for i in numbered_singles] + numbered_multi:
            members = tuple(paras[first:end])
            near = self._nears.get(members)
            if near is None:
                near = personal_info.near_digits("".join(p.text for p in members))
            nears[members] = near
            total += near[0]
            words |= near[1]
            if near[2]:
                texts.append(near[2])
        self._nears = nears
        whole = personal_info.Whole(total, frozenset(words), tuple(texts))
        region, allow = settings.phone_region, tuple(settings.allow)

        def check(t: str) -> list[Finding]:
            return personal_info.check(t, region, allow, whole=whole)

        if numbered:
            skip = set(numbered_singles)
            plain = [i for i in range(len(paras)) if i not in skip and i not in inside]
        else:
            plain = None
        out = self._collect(
            "personal", allow, plain, [(a, b) for a, b in multi if not any(digits[a:b])], check, joined
        )
        if numbered:
            out.extend(self._collect("personal-numbered", (allow, whole), numbered_singles, numbered_multi, check, joined))
        return out

    def _readability(self) -> tuple[int, int, Readability | None]:
        from . import readability

        paras = self._paras
        counts = self._per_paragraph("counts", readability.counts)
        words = sum(map(itemgetter(0), counts))
        cjk = sum(map(itemgetter(1), counts))
        if words + cjk < readability.MIN_READABILITY_WORDS:
            return words, cjk, None
        prose = self._per_paragraph("prose", readability.prose_stats)
        # A paragraph whose prose does not end a sentence (it ends with ":" or ",") runs on into
        # the next one in textstat's sentence split: those are scored together.
        closes = list(map(itemgetter(6), prose))
        joined: dict[tuple, Any] = {}
        if all(closes):
            units = prose
        else:
            units, begin = [], 0
            for i in [i for i, c in enumerate(closes) if not c]:
                if i < begin:
                    continue  # inside the run just scored
                units.extend(prose[begin:i])
                end = i
                while end < len(paras) and not closes[end]:
                    end += 1
                end = min(end + 1, len(paras))
                members = tuple(paras[i:end])
                stats = self._prose_joined.get(members)
                if stats is None:
                    stats = readability.prose_stats("".join(p.text for p in members))
                joined[members] = stats
                units.append(stats)
                begin = end
            units.extend(prose[begin:])
        self._prose_joined = joined
        try:
            # the figures are sums over the units (integers): summed here once
            score = readability.readability_from(words + cjk, [readability.ProseStats(map(sum, zip(*units)))])
        except Exception:
            score = None
        return words, cjk, score
