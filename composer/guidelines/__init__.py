"""The guideline engine: `analyze(text, purpose)` checks a post against the rules of humane posting.

One module per family of checks (purpose, readability, clickbait, shouting, personal_info,
language for obscenity and hate, length); this module runs them, applies the writer's settings
(rules or categories off, other severities, allowed words) and returns a `Report` whose findings
are sorted by (start, end, rule) and whose spans always lie inside the text.

Importing this package is cheap: the check modules load on the first `analyze` call, the
syllable table on the first readability score. Call `warm_up()` (from a thread) to pay those
costs early.

Long texts are analysed by paragraph where a check allows it (see `_paragraphs`): clickbait,
obscenity and hate, words and readability keep each paragraph's result in a small LRU cache keyed
by the paragraph's text (and whatever of the whole post the check depends on), so a keystroke
re-checks one paragraph. Paragraphs are merged wherever a check could see across the blank line
between them, so the Report is exactly the one a full analysis gives (tests/test_guidelines_incremental.py).
Shouting, personal info, purpose and length look at the whole text every time.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from .model import CATEGORIES, SEVERITIES, Finding, Readability, Report
from .settings import DEFAULT_SETTINGS, GuidelineSettings, RuleSetting

__all__ = [
    "analyze",
    "warm_up",
    "Finding",
    "Readability",
    "Report",
    "GuidelineSettings",
    "RuleSetting",
    "CATEGORIES",
    "SEVERITIES",
]

log = logging.getLogger(__name__)

STRICT = False
"""Tests set this to let a failing check raise instead of being skipped and logged."""

# rule families whose findings the writer's allow list can silence (by the flagged words)
_ALLOWABLE = frozenset({"clickbait", "shouting", "obscenity", "hate", "personal-info"})


def warm_up() -> None:
    """Load everything the first `analyze` would (check modules, word lists, the syllable table
    and pyphen, the clickbait model). Thread-safe; the TUI calls it in a worker thread at start-up."""
    from . import language, personal_info, purpose, readability, shouting  # noqa: F401

    language.lexicon()
    readability.warm_up()
    from . import clickbait, length  # noqa: F401

    clickbait_warm_up = getattr(clickbait, "warm_up", None)
    if clickbait_warm_up is not None:
        clickbait_warm_up()


def _enabled(settings: GuidelineSettings, category: str) -> bool:
    """Whether any rule of `category` could still report (the category or one of its rules is on)."""
    if settings.rule(category).enabled:
        return True
    prefix = category + "."
    return any(key.startswith(prefix) and value.enabled for key, value in settings.rules.items())


def _run(name: str, fn: Callable[[], list[Finding]], out: list[Finding]) -> None:
    try:
        out.extend(fn())
    except Exception:
        if STRICT:
            raise
        log.exception("guideline check %s failed; its findings are left out", name)


def analyze(
    text: str,
    purpose: str | None = None,
    *,
    settings: GuidelineSettings | None = None,
    platforms: Sequence[str] = (),
    limits: Mapping[str, int] | None = None,
    content_warning: str = "",
) -> Report:
    """Check `text` against every guideline and return the findings with the figures.

    `purpose`: the post's stated purpose, if any. `platforms`: add the length findings for those
    platforms; `limits` overrides a platform's default limit (a Mastodon server's own). Never
    raises for any string; every finding's span lies inside `text`.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if purpose is not None and not isinstance(purpose, str):
        purpose = str(purpose)
    content_warning = content_warning if isinstance(content_warning, str) else ""
    settings = settings or DEFAULT_SETTINGS
    from . import language, personal_info, readability, shouting
    from . import purpose as purpose_check

    readability.forget()
    paragraphs = _paragraphs(text) if len(text) >= INCREMENTAL_MIN_CHARS else None
    found: list[Finding] = []
    on = lambda category: _enabled(settings, category)  # noqa: E731

    if on("purpose"):
        _run("purpose", lambda: purpose_check.check(text, purpose), found)
    if on("clickbait"):
        from . import clickbait

        if paragraphs is None:
            _run("clickbait", lambda: clickbait.check(text), found)
        else:
            _run("clickbait", lambda: _clickbait_by_paragraph(text, paragraphs), found)
    if on("shouting"):
        _run("shouting", lambda: shouting.check(text), found)
    if on("personal-info"):
        _run("personal-info", lambda: personal_info.check(text, settings.phone_region, settings.allow), found)
    wanted = [c for c in ("obscenity", "hate") if on(c)]
    if wanted:
        if paragraphs is None:
            _run("language", lambda: language.check(text, settings.allow, wanted), found)
        else:
            _run("language", lambda: _language_by_paragraph(text, paragraphs, settings.allow, wanted), found)
    if platforms and on("length"):
        from . import length

        for platform in dict.fromkeys(platforms):
            limit = (limits or {}).get(platform)
            _run(
                f"length:{platform}",
                partial(length.findings, text, platform, limit, content_warning=content_warning),
                found,
            )

    words = cjk = 0
    score: Readability | None = None
    try:
        if paragraphs is None:
            words, cjk = readability._counts(text)
            score = readability.readability(text, words + cjk)
        else:
            words, cjk, score = _readability_by_paragraph(text, paragraphs)
    except Exception:
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


def _settle(found: list[Finding], text: str, settings: GuidelineSettings) -> list[Finding]:
    """Apply the settings, keep spans inside the text, drop duplicates, sort."""
    n = len(text)
    allow = {a.strip().casefold() for a in settings.allow if isinstance(a, str) and a.strip()}
    out: dict[tuple[int, int, str], Finding] = {}
    for f in found:
        setting = settings.rule(f.rule)
        if not setting.enabled:
            continue
        start = min(max(int(f.start), 0), n)
        end = min(max(int(f.end), start), n)
        if allow and f.category in _ALLOWABLE and " ".join(text[start:end].split()).casefold() in allow:
            continue
        severity = setting.severity if setting.severity in SEVERITIES else f.severity
        if severity not in SEVERITIES:
            severity = "warning"
        if (start, end, severity) != (f.start, f.end, f.severity):
            f = Finding(f.rule, f.category, severity, start, end, f.message)
        out.setdefault((start, end, f.rule), f)
    return sorted(out.values(), key=lambda f: (f.start, f.end, f.rule))


# -- analysis by paragraph ----------------------------------------------------------------------

INCREMENTAL_MIN_CHARS = 4000
"""Texts at least this long are analysed by paragraph (shorter ones are cheaper whole)."""
CACHE_SIZE = 1024
"""Paragraph results kept (per check): an essay of a few hundred paragraphs, and then some."""

_BLANK_LINES_RE = re.compile(r"\n\n+")
_T = TypeVar("_T")
_cache: OrderedDict[tuple, Any] = OrderedDict()
_cache_lock = threading.Lock()
_seams: dict[tuple[str, str], bool] = {}
"""Clickbait seam decisions by the text either side of the blank line (160 characters each way,
so with short paragraphs one edit touches several): kept apart from the paragraph results, which
they would otherwise push out. Oldest first out; the GIL keeps the dict consistent."""


def clear_cache() -> None:
    """Forget every kept paragraph result, seam decision and length plan (tests, and
    benchmarks of a first analysis)."""
    with _cache_lock:
        _cache.clear()
        _seams.clear()
    length = sys.modules.get(__name__ + ".length")
    if length is not None:
        length.forget()


def _cached(key: tuple, compute: Callable[[], _T]) -> _T:
    with _cache_lock:
        value = _cache.get(key)
        if value is not None:
            _cache.move_to_end(key)
            return value
    value = compute()  # outside the lock: another thread may compute it too, with the same result
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE * 4:
            _cache.popitem(last=False)
    return value


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of `text`, each with the blank lines after it (so they tile it)."""
    out, pos = [], 0
    for m in _BLANK_LINES_RE.finditer(text):
        out.append((pos, m.end()))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((pos, len(text)))
    return out


def _join(spans: list[tuple[int, int]], apart: Callable[[int], bool]) -> list[tuple[int, int]]:
    """Merge neighbouring spans unless `apart(i)` says span i and span i+1 may be checked apart."""
    out = [spans[0]]
    for i in range(1, len(spans)):
        if apart(i - 1):
            out.append(spans[i])
        else:
            out[-1] = (out[-1][0], spans[i][1])
    return out


def _shifted(findings: list[Finding], offset: int) -> list[Finding]:
    if not offset:
        return list(findings)
    return [Finding(f.rule, f.category, f.severity, f.start + offset, f.end + offset, f.message) for f in findings]


def _readability_by_paragraph(text: str, paragraphs: list[tuple[int, int]]):
    """(words, CJK characters, readability) of `text`, summed from cached paragraphs."""
    from . import readability

    def counts(s: int, e: int) -> tuple[int, int]:
        chunk = text[s:e]
        return _cached(("counts", chunk), lambda: readability._counts(chunk))

    words = cjk = 0
    for s, e in paragraphs:  # split at blank space: word counts add up
        w, c = counts(s, e)
        words += w
        cjk += c
    if words + cjk < readability.MIN_READABILITY_WORDS:
        return words, cjk, None

    def stats(s: int, e: int):
        chunk = text[s:e]
        return _cached(("prose", chunk), lambda: readability.prose_stats(chunk))

    # A paragraph whose prose does not end a sentence (it ends with ":" or ",") runs on into the
    # next one in textstat's sentence split: those are scored together.
    units: list = []
    start: int | None = None
    for s, e in paragraphs:
        own = stats(s, e)
        if start is None and own[6]:
            units.append(own)  # a paragraph on its own: its stats are those just looked up
        elif own[6] and start is not None:
            units.append(stats(start, e))
            start = None
        elif start is None:
            start = s
    if start is not None:
        units.append(stats(start, paragraphs[-1][1]))
    try:
        score = readability.readability_from(words + cjk, units)
    except Exception:
        score = None
    return words, cjk, score


def _language_by_paragraph(text: str, paragraphs, allow: Sequence[str], wanted: list[str]) -> list[Finding]:
    from . import language

    risky = _language_risky

    # The last 8 tokens before the blank line and the first after it (of the 400 characters
    # either side, whatever paragraphs they are in: an idiom may run over two blank lines):
    # str.split() cuts at the same white space as language._TOKEN_RE (\S+).
    def apart(i: int) -> bool:
        # a phrase or an idiom ("a chink in the armour") could run over the blank line
        cut = paragraphs[i][1]
        if any(map(risky, text[max(0, cut - 400) : cut].rsplit(None, 8)[-8:])):
            return False
        return not any(map(risky, text[cut : cut + 400].split(None, 1)[:1]))

    allow_key = tuple(allow)
    wanted_key = tuple(wanted)
    out: list[Finding] = []
    for s, e in _join(paragraphs, apart):
        chunk = text[s:e]
        found = _cached(("language", chunk, allow_key, wanted_key), lambda: language.check(chunk, allow, wanted))  # noqa: B023 (called at once)
        out.extend(_shifted(found, s))
    return out


_SEAM_WORDS: frozenset[str] | None = None
_RISKY: dict[str, bool] = {}
"""Tokens already judged by `_language_risky` (prose repeats its words); cleared when large."""


def _language_seam_words() -> frozenset[str]:
    """Every word of a listed phrase, and the listed words an idiom excuses."""
    global _SEAM_WORDS
    if _SEAM_WORDS is None:
        from . import language

        lex = language.lexicon()
        words = set(language.IDIOMS)
        for first, entries in lex.phrases.items():
            words.add(first)
            for phrase, _entry in entries:
                words.update(phrase)
        _SEAM_WORDS = frozenset(words)
    return _SEAM_WORDS


def _language_risky(token: str) -> bool:
    """Whether a token at a paragraph's edge could be part of a phrase or idiom across the blank line."""
    known = _RISKY.get(token)
    if known is not None:
        return known
    from . import language

    seam = _language_seam_words()
    risky = False
    core = token.strip(language._STRIP).lstrip("#@")
    for part in [core, *language._SPLIT_RE.split(core)] if core else ():
        if not part:
            continue
        folded = language._fold(part)
        if folded in seam or language._collapse(folded) in seam:
            risky = True
        elif not folded.isalpha() and any(v in seam or language._collapse(v) in seam for v in language._variants(folded)):
            risky = True
        elif not folded.isascii():
            risky = True
        if risky:
            break
    if len(_RISKY) > 20000:
        _RISKY.clear()
    _RISKY[token] = risky
    return risky


_SEAM_REACH = 160
"""How far either side of a blank line the clickbait patterns are tried for a match across it."""


def _clickbait_by_paragraph(text: str, paragraphs) -> list[Finding]:
    from . import clickbait

    ctx = clickbait.context(text)

    def apart(i: int) -> bool:
        # no pattern matches across the blank line (tried on the text around it)
        # (whatever paragraphs the text either side is in: a match may run over two blank lines)
        cut = paragraphs[i][1]
        before, after = text[max(0, cut - _SEAM_REACH) : cut], text[cut : cut + _SEAM_REACH]
        key = (before, after)
        known = _seams.get(key)
        if known is None:
            known = _seams[key] = not clickbait.crosses(before, after)
            if len(_seams) > CACHE_SIZE * 4:
                _seams.pop(next(iter(_seams)), None)
        return known

    out: list[Finding] = []
    for s, e in _join(paragraphs, apart):
        chunk = text[s:e]
        found = _cached(("clickbait", chunk, ctx), lambda: clickbait.check_part(chunk, ctx))  # noqa: B023 (called at once)
        out.extend(_shifted(found, s))
    return out
