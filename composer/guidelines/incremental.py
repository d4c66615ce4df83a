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
from functools import partial
from itertools import accumulate
from typing import Any

from composer.textdiff import changed_window

from .model import Finding, Readability, Report
from .settings import DEFAULT_SETTINGS, GuidelineSettings

log = logging.getLogger(__name__)

_BLANK_LINES_RE = re.compile(r"\n\n+")
_DIGIT_RE = re.compile(r"\d")
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


class _Para:
    """One paragraph and what it gives on its own (each worked out on first use)."""

    __slots__ = ("text", "counts", "prose", "facts", "edges", "digits", "found")

    def __init__(self, text: str) -> None:
        self.text = text
        self.counts: tuple[int, int] | None = None
        self.prose: Any = None
        self.facts: tuple[bool, bool, bool] | None = None
        self.edges: tuple[bool, bool] | None = None
        self.digits: bool | None = None
        self.found: dict[str, tuple[Any, list[Finding]]] = {}
        """family -> (what the result depends on besides the text, findings of the unit it starts)"""


class _Seam:
    """What one blank line allows: may the paragraphs either side be checked apart, per family."""

    __slots__ = ("clickbait", "language", "personal", "link")

    def __init__(self, clickbait: bool | None, language: bool | None, personal: bool, link: bool) -> None:
        self.clickbait = clickbait
        self.language = language
        self.personal = personal
        self.link = link
        """A pointer to a link ("link in bio") runs over this blank line."""


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
        self._seams: list[_Seam | None] = []
        """Seam i: the blank line between paragraph i and i + 1."""
        self._joined: dict[tuple, list[Finding]] = {}
        """Findings of units of several paragraphs, by (family, unit text, dependencies)."""
        self._prose_joined: dict[str, Any] = {}
        self._nears: dict[str, tuple[int, frozenset[str], str]] = {}
        self._language_ready = False
        self._clickbait_ready = False
        from . import length

        self.length = length.Tracker()

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
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if purpose is not None and not isinstance(purpose, str):
            purpose = str(purpose)
        content_warning = content_warning if isinstance(content_warning, str) else ""
        with self._lock:
            return self._analyze(text, purpose, settings or DEFAULT_SETTINGS, platforms, limits, content_warning)

    # -- keeping the paragraphs -----------------------------------------------------------------

    def _update(self, text: str) -> None:
        old = self._text
        if old == text:
            return
        if old is None or not self._paras:
            self._paras = [_Para(text[s:e]) for s, e in paragraphs(text)]
            self._starts = list(accumulate((len(p.text) for p in self._paras[:-1]), initial=0))
            self._seams = [None] * (len(self._paras) - 1)
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
        self._seams = seams = left + [None] * (len(paras) - 1 - len(left) - len(right)) + right
        self._starts = starts = list(accumulate((len(p.text) for p in paras[:-1]), initial=0))
        self._text = text
        # seams near the edit are judged again (what they look at either side may have changed)
        first = bisect_right(starts, s - SEAM_REACH)
        last = bisect_right(starts, new_e + SEAM_REACH)
        for j in range(max(0, first - 1), min(len(seams), last)):
            seams[j] = None

    def _seam(self, j: int) -> _Seam:
        seam = self._seams[j]
        if seam is None:
            from . import clickbait, personal_info

            text = self._text or ""
            cut = self._starts[j + 1]
            self._seams[j] = seam = _Seam(
                None, None, personal_info.quiet(text, cut), clickbait.link_across(text, cut)
            )
        return seam

    def _apart(self, family: str, j: int) -> bool:
        seam = self._seam(j)
        value = getattr(seam, family)
        if value is None:
            text = self._text or ""
            cut = self._starts[j + 1]
            if family == "clickbait":
                from . import clickbait

                before = text[max(0, cut - CLICKBAIT_SEAM_REACH) : cut]
                value = not clickbait.crosses(before, text[cut : cut + CLICKBAIT_SEAM_REACH])
            else:
                from . import language

                value = language.apart(text, cut)
            setattr(seam, family, value)
        return value

    def _units(self, apart: Callable[[int], bool]) -> list[tuple[int, int]]:
        """(first, last + 1) paragraph indices of each unit."""
        out = []
        begin = 0
        for j in range(len(self._paras) - 1):
            if apart(j):
                out.append((begin, j + 1))
                begin = j + 1
        out.append((begin, len(self._paras)))
        return out

    def _each(
        self, family: str, key: Any, units: list[tuple[int, int]], check: Callable[[str], list[Finding]],
        joined: dict[tuple, list[Finding]],
    ) -> list[Finding]:
        paras, starts = self._paras, self._starts
        out: list[Finding] = []
        for i, k in units:
            p = paras[i]
            if k == i + 1:
                kept = p.found.get(family)
                if kept is not None and kept[0] == key:
                    found = kept[1]
                else:
                    found = check(p.text)
                    p.found[family] = (key, found)
            else:
                p.found.pop(family, None)
                unit = "".join(q.text for q in paras[i:k])
                jkey = (family, unit, key)
                found = self._joined.get(jkey)  # type: ignore[assignment]
                if found is None:
                    found = check(unit)
                joined[jkey] = found
            if found:
                out.extend(_shifted(found, starts[i]))
        return out

    # -- the analysis -------------------------------------------------------------------------

    def _analyze(
        self, text: str, purpose: str | None, settings: GuidelineSettings, platforms: Sequence[str],
        limits: Mapping[str, int] | None, content_warning: str,
    ) -> Report:
        from . import _enabled, _run, _settle, language, readability
        from . import purpose as purpose_check

        readability.forget()
        self._update(text)
        found: list[Finding] = []
        joined: dict[tuple, list[Finding]] = {}
        on = partial(_enabled, settings)

        if on("purpose"):
            _run("purpose", lambda: purpose_check.check(text, purpose), found)
        if on("clickbait"):
            _run("clickbait", lambda: self._clickbait(joined), found)
        if on("shouting"):
            _run("shouting", lambda: self._shouting(joined), found)
        if on("personal-info"):
            _run("personal-info", lambda: self._personal(settings, joined), found)
        wanted = [c for c in ("obscenity", "hate") if on(c)]
        if wanted:
            allow, key = settings.allow, (tuple(settings.allow), tuple(wanted))
            _run(
                "language",
                lambda: self._each(
                    "language", key, self._units(partial(self._apart, "language")),
                    lambda t: language.check(t, allow, wanted), joined,
                ),
                found,
            )
        if platforms and on("length"):
            for platform in dict.fromkeys(platforms):
                limit = (limits or {}).get(platform)
                _run(
                    f"length:{platform}",
                    partial(self.length.findings, text, platform, limit, content_warning=content_warning),
                    found,
                )
        self._joined = joined

        words = cjk = 0
        score: Readability | None = None
        try:
            words, cjk, score = self._readability()
        except Exception:
            from . import STRICT

            if STRICT:
                raise
            log.exception("read time or readability failed")
        if on("readability"):
            _run("readability", lambda: readability.check(text, score, words + cjk), found)
        wpm = settings.words_per_minute
        return Report(
            findings=_settle(found, text, settings),
            words=words + cjk,
            read_time_seconds=readability._seconds(words, cjk, wpm),
            readability=score,
            read_time_basis=readability.read_time_basis(wpm),
        )

    def _clickbait(self, joined: dict[tuple, list[Finding]]) -> list[Finding]:
        from . import clickbait

        link = speaks = False
        words = 0
        for p in self._paras:
            f = p.facts
            if f is None:
                f = p.facts = clickbait.facts(p.text)
            link = link or f[0]
            speaks = speaks or f[1]
            words += f[2]
        if not link:
            link = any(self._seam(j).link for j in range(len(self._paras) - 1))
        ctx = clickbait.Context(link, speaks, words > 1)
        units = self._units(partial(self._apart, "clickbait"))
        return self._each("clickbait", ctx, units, lambda t: clickbait.check_part(t, ctx), joined)

    def _shouting(self, joined: dict[tuple, list[Finding]]) -> list[Finding]:
        from . import shouting

        paras = self._paras
        for p in paras:
            if p.edges is None:
                p.edges = shouting.edges(p.text)

        def apart(j: int) -> bool:
            return paras[j].edges[1] or paras[j + 1].edges[0]  # type: ignore[index]

        return self._each("shouting", None, self._units(apart), shouting.check, joined)

    def _personal(self, settings: GuidelineSettings, joined: dict[tuple, list[Finding]]) -> list[Finding]:
        from . import personal_info

        units = self._units(lambda j: self._seam(j).personal)
        paras = self._paras
        # the gates of the whole text: its digits, and the words around them (units are cut
        # only where no digit is near, so the whole's windows are the units' windows)
        total = 0
        words: set[str] = set()
        texts: list[str] = []
        with_digits: list[bool] = []
        nears: dict[str, tuple[int, frozenset[str], str]] = {}
        for i, k in units:
            digits = False
            for p in paras[i:k]:
                if p.digits is None:
                    p.digits = _DIGIT_RE.search(p.text) is not None
                digits = digits or p.digits
            with_digits.append(digits)
            if digits:
                unit = paras[i].text if k == i + 1 else "".join(q.text for q in paras[i:k])
                near = self._nears.get(unit)
                if near is None:
                    near = personal_info.near_digits(unit)
                nears[unit] = near
                total += near[0]
                words |= near[1]
                if near[2]:
                    texts.append(near[2])
        self._nears = nears
        whole = personal_info.Whole(total, frozenset(words), tuple(texts))
        region, allow = settings.phone_region, tuple(settings.allow)
        out: list[Finding] = []
        plain = [u for u, d in zip(units, with_digits) if not d]
        numbered = [u for u, d in zip(units, with_digits) if d]
        out.extend(
            self._each("personal", allow, plain, lambda t: personal_info.check(t, region, allow, whole=whole), joined)
        )
        out.extend(
            self._each(
                "personal", (allow, whole), numbered, lambda t: personal_info.check(t, region, allow, whole=whole),
                joined,
            )
        )
        return out

    def _readability(self) -> tuple[int, int, Readability | None]:
        from . import readability

        paras = self._paras
        words = cjk = 0
        for p in paras:
            c = p.counts
            if c is None:
                c = p.counts = readability._counts(p.text)
            words += c[0]
            cjk += c[1]
        if words + cjk < readability.MIN_READABILITY_WORDS:
            return words, cjk, None
        # A paragraph whose prose does not end a sentence (it ends with ":" or ",") runs on into
        # the next one in textstat's sentence split: those are scored together.
        units: list = []
        joined: dict[str, Any] = {}
        begin: int | None = None
        for i, p in enumerate(paras):
            own = p.prose
            if own is None:
                own = p.prose = readability.prose_stats(p.text)
            if begin is None and own[6]:
                units.append(own)
            elif begin is None:
                begin = i
            elif own[6]:
                units.append(self._joined_prose(paras, begin, i + 1, joined))
                begin = None
        if begin is not None:
            units.append(self._joined_prose(paras, begin, len(paras), joined))
        self._prose_joined = joined
        try:
            score = readability.readability_from(words + cjk, units)
        except Exception:
            score = None
        return words, cjk, score

    def _joined_prose(self, paras: list[_Para], i: int, k: int, joined: dict[str, Any]) -> Any:
        from . import readability

        unit = "".join(p.text for p in paras[i:k])
        stats = self._prose_joined.get(unit)
        if stats is None:
            stats = readability.prose_stats(unit)
        joined[unit] = stats
        return stats
