"""The clickbait check: copy that withholds, hypes, pressures or begs for engagement.

`check(text)` returns findings that point at the words that made them and say what to write
instead. Hand-written patterns (`rules.py`) find how bait copy is built; a small calibrated
model (`model.py`, `features.py`), trained on real social posts and headlines by
`bench/train_clickbait.py`, says how sure the check is, so that only confident judgements
warn and weaker ones are at most a quiet hint. How it decides: `checker.py`.

Pure Python, deterministic, never raises; the model and the patterns load on first use.
"""

from __future__ import annotations

from ..model import Finding
from .checker import CATEGORY, MODEL_PATH, Checker, Context, context

__all__ = ["CATEGORY", "MODEL_PATH", "Checker", "Context", "check", "check_part", "context", "crosses", "warm_up"]

DEFAULT = Checker()
"""The checker `check()` uses: it holds the loaded model and the compiled patterns."""


def check(text: str) -> list[Finding]:
    """Clickbait findings for `text`, sorted by (start, end, rule). Never raises."""
    return DEFAULT.check(text)


def check_part(text: str, ctx: Context) -> list[Finding]:
    """Findings for one or more whole paragraphs of a post whose `context(post)` is `ctx`."""
    return DEFAULT.check_part(text, ctx)


def crosses(before: str, after: str) -> bool:
    """Whether a pattern could match across the blank line between `before` and `after`, so the
    paragraphs either side must be checked together."""
    return DEFAULT.crosses(before, after)


def warm_up() -> None:
    """Load the model and compile every pattern now (e.g. on a thread at start-up)."""
    DEFAULT.warm_up()


def set_model(data: dict | None) -> None:
    """Use this model (a dict as in the shipped JSON) instead of the shipped one, e.g. to evaluate
    a model trained on part of the data; None goes back to the shipped model."""
    DEFAULT.set_model(data)
