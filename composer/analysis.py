"""One pass of the checks on a draft: the guideline report plus each account's length budget.

The composer's sidebar shows it (inline for a short post, in a thread worker for a long one), the
publish gate (`composer.publish.check_publish`) decides on it, and tests and benchmarks call it
directly. No Textual here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from composer.words import account_label

if TYPE_CHECKING:  # the guideline engine is imported on the first analysis, after the first frame
    from composer.config import AccountConfig
    from composer.guidelines.length import Tracker
    from composer.guidelines.model import Finding, Report
    from composer.guidelines.settings import GuidelineSettings

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


def measure(
    text: str, targets: Sequence[Target], content_warning: str = "", tracker: Tracker | None = None
) -> tuple[Budget, ...]:
    """Each account's budget, with every limit its platform sets (length.measure(...).fits):
    Bluesky's 3,000 bytes and Threads' 5 links as well as the character count. A content warning
    counts against the post and its thread parts where the platform counts it (the registry's
    `content_warning_counts`; the length rules read it). `tracker`: the open draft's length plans
    (`Incremental().length`), so that a keystroke does not re-plan the thread."""
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
    tracker: Tracker | None = None,
) -> Analysis:
    """Analyse `text` for the sidebar; `checked` names the accounts chosen for this draft (their
    platforms add length findings); `targets` are all accounts, for the budgets. `analyzer`
    replaces `composer.guidelines.analyze` (same signature): the snapshot tests pin the findings
    so that a reworded message elsewhere does not redraw every screenshot. An open draft passes
    its `guidelines.Incremental`'s `analyze` and its `length` tracker, which re-use what the last
    text had."""
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
        if analyzer is None:
            from composer.guidelines import analyze

            analyzer = analyze

        report = analyzer(
            text,
            purpose or None,
            settings=settings,
            platforms=tuple(platforms),
            limits=limits or None,
            content_warning=content_warning,
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
    )


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
