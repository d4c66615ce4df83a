"""The guideline engine: `analyze(text, purpose)` checks a post against the rules of humane posting.

One module per family of checks (purpose, readability, clickbait, shouting, personal_info,
language for obscenity and hate, length); this module runs them, applies the writer's settings
(rules or categories off, other severities, allowed words) and returns a `Report` whose findings
are sorted by (start, end, rule) and whose spans always lie inside the text.

Importing this package is cheap: the check modules load on the first `analyze` call, the
syllable table on the first readability score. Call `warm_up()` (from a thread) to pay those
costs early.

A draft being edited is analysed by its own `Incremental` (incremental.py): it keeps each
paragraph's results and re-checks only what an edit touched, and gives exactly the Report of
`analyze` (tests/test_guidelines_incremental.py). `analyze` itself keeps nothing between calls and
checks the whole text at once (cheaper than by paragraph when nothing can be re-used).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from operator import attrgetter
from typing import Any

from .model import CATEGORIES, SEVERITIES, Finding, Readability, Report, Severity
from .settings import DEFAULT_SETTINGS, GuidelineSettings, RuleSetting

__all__ = [
    "analyze",
    "Incremental",
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


_loaded = False


def loaded() -> bool:
    """Whether the checks and their data are loaded (by `warm_up()`, or by analysing some text):
    from then on an analysis costs what the text needs, not what loading does."""
    return _loaded


def warm_up() -> None:
    """Load everything the first `analyze` would (check modules, word lists, the syllable table
    and pyphen, the clickbait model). Thread-safe; the TUI calls it in a worker thread at start-up."""
    from . import language, personal_info, purpose, readability, shouting, syllables  # noqa: F401

    language.lexicon()
    syllables.warm_up()
    from . import clickbait, length  # noqa: F401

    clickbait_warm_up = getattr(clickbait, "warm_up", None)
    if clickbait_warm_up is not None:
        clickbait_warm_up()
    global _loaded
    _loaded = True


def enabled(settings: GuidelineSettings, category: str) -> bool:
    """Whether any rule of `category` could still report (the category or one of its rules is on)."""
    if settings.rule(category).enabled:
        return True
    prefix = category + "."
    return any(key.startswith(prefix) and value.enabled for key, value in settings.rules.items())


def run_check(name: str, fn: Callable[[], list[Finding]], out: list[Finding]) -> None:
    try:
        out.extend(fn())
    except Exception:
        if STRICT:
            raise
        log.exception("guideline check %s failed; its findings are left out", name)


def as_strings(text: object, purpose: object, content_warning: object) -> tuple[str, str | None, str]:
    """The text, purpose and content warning as strings, whatever a caller handed in (None: "")."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if purpose is not None and not isinstance(purpose, str):
        purpose = str(purpose)
    return text, purpose, content_warning if isinstance(content_warning, str) else ""


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
    text, purpose, content_warning = as_strings(text, purpose, content_warning)
    settings = settings or DEFAULT_SETTINGS
    forget_kept()

    def clickbait_check() -> list[Finding]:
        from . import clickbait

        return clickbait.check(text)

    def shouting_check() -> list[Finding]:
        from . import shouting

        return shouting.check(text)

    def personal_info_check() -> list[Finding]:
        from . import personal_info

        return personal_info.check(text, settings.phone_region, settings.allow)

    def language_check(wanted: list[str]) -> list[Finding]:
        from . import language

        return language.check(text, settings.allow, wanted)

    def measure() -> tuple[int, int, Readability | None]:
        from . import readability

        return readability.measure(text)

    return run_families(
        text, purpose, settings, platforms, limits, content_warning,
        clickbait=clickbait_check,
        shouting=shouting_check,
        personal_info=personal_info_check,
        language=language_check,
        length=_length_findings,
        measure=measure,
    )


def forget_kept() -> None:
    """Drop what readability keeps of the last text (an analysis starts afresh, so timings never
    ride on an old result); nothing to do while it is not loaded."""
    readability = sys.modules.get(f"{__name__}.readability")
    if readability is not None:
        readability.forget()


def _length_findings(*args: Any, **kwargs: Any) -> list[Finding]:
    from . import length

    return length.findings(*args, **kwargs)


def run_families(
    text: str,
    purpose: str | None,
    settings: GuidelineSettings,
    platforms: Sequence[str],
    limits: Mapping[str, int] | None,
    content_warning: str,
    *,
    clickbait: Callable[[], list[Finding]],
    shouting: Callable[[], list[Finding]],
    personal_info: Callable[[], list[Finding]],
    language: Callable[[list[str]], list[Finding]],
    length: Callable[..., list[Finding]],
    measure: Callable[[], tuple[int, int, Readability | None]],
) -> Report:
    """Every family of checks in order, each only when the writer's settings let it report, then
    the Report: the one story of `analyze` (the whole text at once) and of an open draft's
    `Incremental` (paragraph by paragraph), which differ only in how each family runs. `language`
    gets the categories wanted (obscenity, hate); `length` is `length.findings` or a tracker's."""
    from . import purpose as purpose_check

    found: list[Finding] = []
    on = partial(enabled, settings)
    if on("purpose"):
        run_check("purpose", lambda: purpose_check.check(text, purpose), found)
    if text and not text.isspace():
        # A blank text gives nothing to these checks: a new draft loads none of them (nor their
        # word lists and patterns) until there is a word to check.
        if on("clickbait"):
            run_check("clickbait", clickbait, found)
        if on("shouting"):
            run_check("shouting", shouting, found)
        if on("personal-info"):
            run_check("personal-info", personal_info, found)
        wanted = [c for c in ("obscenity", "hate") if on(c)]
        if wanted:
            run_check("language", partial(language, wanted), found)
        global _loaded
        _loaded = True
    else:
        measure = _nothing_to_measure
    if platforms and on("length"):
        run_length(length, text, platforms, limits, content_warning, found)
    return finish(text, settings, found, measure)


def _nothing_to_measure() -> tuple[int, int, Readability | None]:
    """What `readability.measure` gives for a blank text, without loading it."""
    return 0, 0, None


def run_length(
    findings: Callable[..., list[Finding]], text: str, platforms: Sequence[str], limits: Mapping[str, int] | None,
    content_warning: str, out: list[Finding],
) -> None:
    """The length findings for each of `platforms` (`findings`: `length.findings`, or an open draft's
    tracker's), each platform run as a check of its own."""
    for platform in dict.fromkeys(platforms):
        limit = (limits or {}).get(platform)
        run_check(f"length:{platform}", partial(findings, text, platform, limit, content_warning=content_warning), out)


def finish(
    text: str, settings: GuidelineSettings, found: list[Finding], measure: Callable[[], tuple[int, int, Readability | None]]
) -> Report:
    """The Report of one analysis (`analyze`, and an open draft's `Incremental`): the words, read time
    and readability from `measure()` ((words outside CJK, CJK characters, the score); a failure there
    leaves them out), the readability finding, and `found` with the writer's settings applied."""
    from . import readability

    words = cjk = 0
    score: Readability | None = None
    try:
        words, cjk, score = measure()
    except Exception:
        if STRICT:
            raise
        log.exception("read time or readability failed")
    if enabled(settings, "readability"):
        run_check("readability", lambda: readability.check(text, score, words + cjk), found)
    wpm = settings.words_per_minute
    return Report(
        findings=settle(found, text, settings),
        words=words + cjk,
        read_time_seconds=readability.seconds(words, cjk, wpm),
        readability=score,
        read_time_basis=readability.read_time_basis(wpm),
    )


def settle(found: list[Finding], text: str, settings: GuidelineSettings) -> list[Finding]:
    """Apply the settings, keep spans inside the text, drop duplicates, sort."""
    n = len(text)
    allow = {a.strip().casefold() for a in settings.allow if isinstance(a, str) and a.strip()}
    out: dict[tuple[int, int, str], Finding] = {}
    setting_of: dict[str, tuple[bool, Severity | None]] = {}  # rule -> (enabled, severity set for it)
    for f in found:
        known = setting_of.get(f.rule)
        if known is None:
            setting = settings.rule(f.rule)
            chosen = setting.severity if setting.severity in SEVERITIES else None
            known = setting_of[f.rule] = (setting.enabled, chosen)
        if not known[0]:
            continue
        start, end = f.start, f.end
        if not (0 <= start <= end <= n) or type(start) is not int or type(end) is not int:
            start = min(max(int(start), 0), n)
            end = min(max(int(end), start), n)
        if allow and f.category in _ALLOWABLE and " ".join(text[start:end].split()).casefold() in allow:
            continue
        severity: Severity = known[1] or f.severity
        if severity not in SEVERITIES:
            severity = "warning"
        if start != f.start or end != f.end or severity != f.severity:
            f = Finding(f.rule, f.category, severity, start, end, f.message)
        out.setdefault((start, end, f.rule), f)
    return sorted(out.values(), key=_ORDER)


_ORDER = attrgetter("start", "end", "rule")


def clear_cache() -> None:
    """Nothing is kept between calls of `analyze` (a draft being edited keeps its results in its
    own `Incremental`); kept so that older callers still work."""


def __getattr__(name: str) -> Any:
    if name == "Incremental":  # the module loads on first use: `import composer.guidelines` stays cheap
        from .incremental import Incremental

        return Incremental
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
