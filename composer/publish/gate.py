"""Whether a draft may go out to the chosen accounts, and if not, why: `check_publish`, the one
gate both faces use (the command line's `humane post`, the composer's publish panel)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

from composer.analysis import Analysis, run_analysis, targets
from composer.drafts.model import Draft, split_ref

if TYPE_CHECKING:
    from composer.config import Config
    from composer.guidelines.length import Tracker
    from composer.guidelines.model import Finding, Report

Blocker = Literal[
    "config", "unknown-accounts", "no-accounts", "nothing-chosen", "reply-elsewhere", "empty", "checks",
    "guidelines", "already-published",
]
BLOCKERS: tuple[str, ...] = get_args(Blocker)
"""Why a draft may not go out, in the order the gate asks."""


@dataclass(frozen=True, slots=True)
class PublishCheck:
    """Whether a draft may go out to the chosen accounts, and if not, why (the first reason)."""

    accounts: tuple[str, ...]
    blocker: Blocker | None = None
    message: str = ""
    """Why not, in plain words (a face may say it its own way: the composer points at its panel)."""
    analysis: Analysis | None = None
    """The checks as run for these accounts (their length rules and limits included); None when the
    gate stopped before running them."""
    published: Mapping[str, str | None] = field(default_factory=dict)
    """Chosen accounts the draft already went out to (name -> URL): a publish leaves them alone."""

    @property
    def ok(self) -> bool:
        return self.blocker is None

    @property
    def report(self) -> Report | None:
        return None if self.analysis is None else self.analysis.report

    @property
    def errors(self) -> list[Finding]:
        return [] if self.analysis is None else list(self.analysis.report.errors)

    @property
    def warnings(self) -> list[Finding]:
        return [] if self.analysis is None else list(self.analysis.report.warnings)


def check_publish(
    draft: Draft,
    accounts: Sequence[str],
    config: Config,
    *,
    body: str | None = None,
    purpose: str | None = None,
    config_error: str = "",
    revision: int = 0,
    analyzer: Callable[..., Report] | None = None,
    tracker: Tracker | None = None,
) -> PublishCheck:
    """The one publish gate, for the command line and the composer alike: may `draft` go out to
    `accounts` (names from config.toml)? `body` and `purpose` are the text as the writer sees it
    now (default: the draft's). The guideline checks run with the length rules and limits of the
    chosen accounts; an error finding stops the publish, warnings do not. `analyzer` and
    `tracker`: an open draft's `guidelines.Incremental` (see `analysis.run_analysis`)."""
    names = tuple(dict.fromkeys(accounts))

    def blocked(blocker: Blocker, message: str, analysis: Analysis | None = None) -> PublishCheck:
        return PublishCheck(names, blocker, message, analysis)

    if config_error:
        return blocked("config", f"Accounts are unavailable until config.toml is fixed: {config_error}")
    unknown = [n for n in names if n not in config.accounts]
    if unknown:
        known = ", ".join(sorted(config.accounts)) or "none yet; add one with `humane accounts add`"
        where = f" in {config.path}" if config.path else ""
        which = ", ".join(repr(n) for n in unknown)
        return blocked("unknown-accounts", f"no account named {which}{where} (accounts: {known}).")
    if not config.accounts:
        return blocked("no-accounts", "There are no accounts yet: add one with `humane accounts add`.")
    if not names:
        return blocked("nothing-chosen", "Choose at least one account to publish to.")
    if draft.reply_to:
        ref = split_ref(draft.reply_to)
        if ref is None:
            return blocked("reply-elsewhere", f"reply_to = {draft.reply_to!r} is not a reply's ref (ACCOUNT:ID from "
                           "`humane replies`); fix it or remove the line.")
        others = [n for n in names if n != ref[0]]
        if others:
            return blocked("reply-elsewhere", f"This draft answers a reply on {ref[0]}; it can go out there only "
                           f"(not to {', '.join(others)}).")
    text = draft.body if body is None else body
    if not text.strip():
        return blocked("empty", "The draft is empty; write something first.")
    analysis = run_analysis(
        revision,
        text,
        draft.purpose if purpose is None else purpose,
        targets=targets(config.accounts.values()),
        checked=names,
        settings=config.guidelines,
        content_warning=draft.content_warning,
        analyzer=analyzer,
        images=draft.images,
        draft_path=draft.path,
        tracker=tracker,
    )
    if analysis.problem:
        return blocked("checks", f"{analysis.problem} Nothing was sent.", analysis)
    errors = analysis.report.errors
    if errors:
        count = f"{len(errors)} guideline error{'s' if len(errors) != 1 else ''}"
        return blocked("guidelines", f"Not published: {count} to fix first.", analysis)
    published = {n: d.url for n in names if (d := draft.deliveries.get(n)) is not None and d.status == "sent"}
    if published and len(published) == len(names):
        where = ", ".join(f"{n} ({url})" if url else n for n, url in published.items())
        return PublishCheck(names, "already-published", f"Already published to {where}.", analysis, published)
    return PublishCheck(names, None, "", analysis, published)
