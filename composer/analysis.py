"""One pass of the checks on a draft: the guideline report plus each account's length budget.

The composer's sidebar shows it (inline for a short post, in a thread worker for a long one), the
publish gate (`composer.publish.check_publish`) decides on it, and tests and benchmarks call it
directly. No Textual here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from composer.words import account_label

if TYPE_CHECKING:  # the guideline engine is imported on the first analysis, after the first frame
    from pathlib import Path

    from composer.config import AccountConfig
    from composer.drafts.model import ImageRef
    from composer.guidelines.length import Measure
    from composer.guidelines.model import Finding, Report
    from composer.guidelines.settings import GuidelineSettings

class Budgeting(Protocol):
    """Measures the text for each account: a `length.Tracker`, or an open draft's `Incremental`
    (which makes its tracker on first use)."""

    def budget(self, text: str, platform: str, limit: int | None = None, *, content_warning: str = "") -> tuple[Measure, int]: ...


LONG_DRAFT_CHARS = 2_000
"""From this length on, the analysis runs in a thread worker instead of on the event loop."""


@dataclass(frozen=True, slots=True)
class Target:
    """An account the draft may go to, as far as length is concerned."""

    account: str
    platform: str
    limit: int | None = None
    """The account's own limit (a server's announced one), or None for the platform's default."""
    label: str = ""
    """How to show the account: its name, and the handle where known."""


def targets(accounts: Iterable[AccountConfig]) -> list[Target]:
    """The accounts of config.toml as targets, with the limit a server announced at login
    (`max_chars` in the account's options) where there is one."""
    out = []
    for acc in accounts:
        limit = acc.options.get("max_chars") if isinstance(acc.options, Mapping) else None
        out.append(
            Target(acc.name, acc.platform, limit if isinstance(limit, int) and limit > 0 else None, account_label(acc))
        )
    return out


@dataclass(frozen=True, slots=True)
class Budget:
    """How a draft fits one account."""

    account: str
    platform: str
    count: int
    limit: int | None
    """None: the platform sets no limit (Micropub)."""
    parts: int = 1
    """How many thread parts the draft will take there."""
    fits: bool = True
    """Within every limit of the platform: characters, and Bluesky's bytes or Threads' links."""
    over_what: str = ""
    """When it does not fit, the limit overrun most: "" (characters), "bytes" or "links"."""

    @property
    def left(self) -> int | None:
        return None if self.limit is None else self.limit - self.count


@dataclass(frozen=True, slots=True)
class Analysis:
    revision: int
    text: str
    purpose: str
    report: Report
    budgets: tuple[Budget, ...] = ()
    seconds: float = 0.0
    problem: str = ""
    """Set when a check failed unexpectedly: the sidebar says so plainly instead of crashing."""
    checked: tuple[str, ...] = field(default=())
    """The accounts whose length findings are included."""
    images: int = 0
    """How many images the draft carries (their findings are in the report, category `images`)."""


def measure(
    text: str, targets: Sequence[Target], content_warning: str = "", tracker: Budgeting | None = None
) -> tuple[Budget, ...]:
    """Each account's budget, with every limit its platform sets (length.measure(...).fits):
    Bluesky's 3,000 bytes and Threads' 5 links as well as the character count. A content warning
    counts against the post and its thread parts where the platform counts it (the registry's
    `content_warning_counts`; the length rules read it). `tracker`: the open draft's length plans
    (an open draft's `Incremental`), so that a keystroke does not re-plan the thread."""
    if not targets:
        return ()  # no account yet: nothing to measure (and the length module stays unloaded)
    from composer.media.plan import strip_marker

    text = strip_marker(text)  # the [images] line is never sent: it does not count
    if not text and not content_warning:
        return _empty_budgets(targets)
    from composer.guidelines import length

    budgets = []
    for t in targets:
        try:
            if tracker is not None:
                m, parts = tracker.budget(text, t.platform, t.limit, content_warning=content_warning)
            else:
                m = length.measure(text, t.platform, t.limit, content_warning=content_warning)
                parts = 1
                if not m.fits:
                    parts = max(1, len(length.split_thread(text, t.platform, limit=t.limit, content_warning=content_warning)))
        except Exception:  # a platform the length module does not know: no meter, no crash
            continue
        binding = m.binding or ""
        budgets.append(
            Budget(t.account, t.platform, m.count, m.limit, parts, m.fits, "" if binding == "count" else binding)
        )
    return tuple(budgets)


def _empty_budgets(targets: Sequence[Target]) -> tuple[Budget, ...]:
    """The budgets of nothing written: 0 of each account's limit, in one part (what the length rules
    give for an empty post; a new draft so does not load them, nor their Unicode tables)."""
    from composer import registry

    return tuple(
        Budget(t.account, t.platform, 0, t.limit if t.limit is not None else registry.PLATFORMS[t.platform].counting.limit)
        for t in targets
        if t.platform in registry.PLATFORMS
    )


def run_analysis(
    revision: int,
    text: str,
    purpose: str,
    *,
    targets: Sequence[Target] = (),
    checked: Sequence[str] = (),
    settings: GuidelineSettings | None = None,
    content_warning: str = "",
    analyzer: Callable[..., Report] | None = None,
    images: Sequence[ImageRef] = (),
    draft_path: Path | None = None,
    tracker: Budgeting | None = None,
) -> Analysis:
    """Analyse `text` for the sidebar; `checked` names the accounts chosen for this draft (their
    platforms add length findings); `targets` are all accounts, for the budgets. `analyzer`
    replaces `composer.guidelines.analyze` (same signature): the snapshot tests pin the findings
    so that a reworded message elsewhere does not redraw every screenshot. An open draft passes
    its `guidelines.Incremental`'s `analyze` and its `length` tracker, which re-use what the last
    text had. `images` (with the draft's file, which their paths are relative to) add the `images`
    findings; an `[images]` line is not counted or checked as text."""
    started = time.perf_counter()
    chosen = [t for t in targets if t.account in set(checked)]
    platforms: list[str] = []
    limits: dict[str, int] = {}
    for t in chosen:
        if t.platform not in platforms:
            platforms.append(t.platform)
        if t.limit is not None:
            limits[t.platform] = min(t.limit, limits.get(t.platform, t.limit))
    problem = ""
    try:
        report = check_text(
            text, purpose, settings=settings, platforms=platforms, limits=limits, content_warning=content_warning,
            analyzer=analyzer, images=images, draft_path=draft_path,
        )
    except Exception as err:  # never take the editor down with a check
        from composer.guidelines.model import Report

        report = Report()
        problem = f"The checks stopped on an unexpected error ({type(err).__name__}); your text is safe."
    try:
        budgets = measure(text, targets, content_warning, tracker)
    except Exception:
        budgets = ()
    return Analysis(
        revision=revision,
        text=text,
        purpose=purpose,
        report=report,
        budgets=budgets,
        seconds=time.perf_counter() - started,
        problem=problem,
        checked=tuple(checked),
        images=len(images),
    )


def check_text(
    text: str,
    purpose: str,
    *,
    settings: GuidelineSettings | None = None,
    platforms: Sequence[str] = (),
    limits: Mapping[str, int] | None = None,
    content_warning: str = "",
    analyzer: Callable[..., Report] | None = None,
    images: Sequence[ImageRef] = (),
    draft_path: Path | None = None,
) -> Report:
    """The guideline report on a post and its images (`humane check` and `run_analysis`): the
    text is checked without its `[images]` line (which is never sent), the findings given at
    their places in `text`, and the `images` findings added."""
    if analyzer is None:
        from composer.guidelines import analyze

        analyzer = analyze
    from composer.media.plan import marker_span

    span = marker_span(text)
    plain = text if span is None else text[: span[0]] + text[span[1]:]
    report = analyzer(
        plain,
        purpose or None,
        settings=settings,
        platforms=tuple(platforms),
        limits=dict(limits) if limits else None,
        content_warning=content_warning,
    )
    if span is not None:
        report = _shifted(report, span)
    if images:
        report = _with_images(report, text, images, draft_path, platforms, limits or {}, settings)
    return report


def _shifted(report: Report, span: tuple[int, int]) -> Report:
    """Findings on the text without its `[images]` line, put back at their places in the text."""
    from dataclasses import replace

    start, end = span
    width = end - start

    def at(offset: int) -> int:
        return offset + width if offset >= start and offset > 0 else offset

    moved = [replace(f, start=at(f.start), end=at(f.end) if f.end > f.start else at(f.start)) for f in report.findings]
    return replace(report, findings=moved)


def _with_images(
    report: Report,
    text: str,
    images: Sequence[ImageRef],
    draft_path: Path | None,
    platforms: Sequence[str],
    limits: Mapping[str, int],
    settings: GuidelineSettings | None = None,
) -> Report:
    """The report with the `images` findings added. The writer's rule settings apply to the
    advice only (`checks.ADVICE`); what would stop the images at the server, or send one without
    alt text, always stays an error."""
    from dataclasses import replace

    from composer import registry
    from composer.guidelines import length
    from composer.media import checks
    from composer.media.plan import split_with_marker

    parts: dict[str, list[str]] = {}
    for name in platforms:
        entry = registry.find(name)
        if entry is not None and entry.media is not None and len(images) > entry.media.max_images:
            limit = limits.get(name)

            def split(t: str, n: str = name, lim: int | None = limit) -> list[str]:
                return length.split_thread(t, n, limit=lim)

            try:
                parts[name] = split_with_marker(text, split)
            except Exception:
                continue
    found = checks.findings(text, images, draft_path, platforms=platforms, parts=parts)
    if settings is not None:
        kept = []
        for f in found:
            setting = settings.rule(f.rule) if f.rule in checks.ADVICE else None
            if setting is None:
                kept.append(f)
            elif setting.enabled:
                kept.append(replace(f, severity=setting.severity) if setting.severity else f)
        found = kept
    merged = sorted([*report.findings, *found], key=lambda f: (f.start, f.end, f.rule))
    return replace(report, findings=merged)


def finding_at(findings: Sequence[Finding], offset: int, text_length: int) -> Finding | None:
    """The most specific finding under the cursor: the shortest span holding `offset`, ignoring
    whole-post ones (they are always shown at the top of the sidebar)."""
    best = None
    for f in findings:
        whole = f.start <= 0 and f.end >= text_length
        if whole:
            continue
        if f.start <= offset <= f.end and f.end > f.start:
            if best is None or (f.end - f.start) < (best.end - best.start):
                best = f
    return best
