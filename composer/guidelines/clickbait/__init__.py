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

__all__ = [
    "CATEGORY", "MODEL_PATH", "Checker", "Context", "check", "check_part", "context", "crosses", "facts",
    "link_across", "warm_up",
]

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


def facts(paragraph: str) -> tuple[bool, bool, bool]:
    """(a link or a pointer to one, the writer speaking of themselves, words) of one paragraph:
    `context(post)` is made of these, for a post checked paragraph by paragraph (with
    `link_across` for a pointer such as "link in bio" written over a blank line)."""
    from . import features as F
    from .checker import LINK

    return LINK.search(paragraph) is not None, F.speaks_of_self(paragraph), F.TOKEN.search(paragraph) is not None


def link_across(text: str, cut: int, reach: int = 400) -> bool:
    """Whether a pointer to a link ("read more", "link in bio") runs over the blank line that
    ends at `cut` (looked for within `reach` characters either side)."""
    from .checker import LINK

    n = len(text)
    hi = min(n, cut + reach)
    for m in LINK.finditer(text, max(0, cut - reach), hi):
        if m.start() >= cut:
            break
        if m.end() > cut and (m.end() < hi or hi == n):
            return True
    return False


def warm_up() -> None:
    """Load the model and the pattern indexes now (e.g. on a thread at start-up); each pattern
    compiles the first time a text holds the words it can start with."""
    DEFAULT.warm_up()


def set_model(data: dict | None) -> None:
    """Use this model (a dict as in the shipped JSON) instead of the shipped one, e.g. to evaluate
    a model trained on part of the data; None goes back to the shipped model."""
    DEFAULT.set_model(data)
