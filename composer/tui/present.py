"""Plain words for figures: read time, readability, budgets, categories. No Textual here.

The sidebar helps the writer; it never scores them. So: no grades out of ten, no streaks, no
colours that flash; a figure and what it means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from composer import registry

if TYPE_CHECKING:
    from composer.guidelines.model import Readability

CATEGORY_TITLES: dict[str, str] = {
    "purpose": "Purpose",
    "hate": "Hate",
    "personal-info": "Personal information",
    "obscenity": "Obscenity",
    "clickbait": "Clickbait",
    "shouting": "Shouting",
    "length": "Length",
    "readability": "Readability",
    "images": "Images",
}
"""Category ids in the order the sidebar lists them: what harms others first."""

SEVERITY_MARKS = {"error": "✖", "warning": "▲", "info": "●"}
SEVERITY_WORDS = {"error": "blocks publishing", "warning": "worth a look", "info": "for your information"}

PLATFORM_LABELS: dict[str, str] = {p.name: p.label for p in registry.PLATFORMS.values()}
"""How each platform is named (from `composer.registry`)."""

ADD_ACCOUNT_COMMANDS = "\n".join(f"  {p.add_command()}" for p in registry.publishable())
"""How to add an account on each platform (README.md "Accounts and where each token comes from"
says where each token comes from)."""

SECRET_SOURCES = "\n".join(
    f"  {p.label}: {p.login.secret.where}" for p in registry.publishable() if p.login is not None
)
"""Where each platform's secret comes from, one line each."""


BROWSER_LOGINS = " and ".join(
    p.label for p in registry.publishable() if p.login is not None and p.login.secret.browser
)
"""The platforms whose login can go through the browser (the secret left empty), by name."""

EDITS_IN_PLACE = ", ".join(p.label for p in registry.publishable() if p.capabilities.edit)
"""The platforms that can edit a published post in place, by name."""


def platform_label(name: str) -> str:
    return registry.label(name)


def category_title(category: str) -> str:
    return CATEGORY_TITLES.get(category, category.replace("-", " ").capitalize())


def read_time(seconds: int) -> str:
    if seconds <= 0:
        return "nothing to read yet"
    if seconds < 60:
        return f"about {max(1, round(seconds))} s to read"
    minutes = seconds / 60
    if minutes < 10:
        whole, half = divmod(round(minutes * 2), 2)
        return f"about {whole}{'½' if half else ''} min to read"
    return f"about {round(minutes)} min to read"


READING_EASE_WORDS = ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "plain English"),
                      (50, "fairly hard"), (30, "hard"))
"""Flesch reading ease from this score up, in words (below the last: "very hard")."""


def reading_ease_words(ease: float) -> str:
    return next((said for floor, said in READING_EASE_WORDS if ease >= floor), "very hard")


def readability(r: Readability | None) -> str:
    if r is None:
        return "too short to judge readability"
    grade = max(0, round(r.grade))
    return f"{reading_ease_words(r.reading_ease)} (reading ease {r.reading_ease:.0f}, grade {grade})"


def words(n: int) -> str:
    return f"{n} word" if n == 1 else f"{n:,} words"


def budget(count: int, limit: int | None, parts: int) -> str:
    """'212 left', 'fits', or '58 over: a thread of 2'."""
    if limit is None:
        return f"{count:,} (no limit)"
    left = limit - count
    if left >= 0:
        return f"{left:,} left"
    return f"{-left:,} over: a thread of {parts}"


def meter(count: int, limit: int | None, width: int = 12) -> str:
    """A quiet bar: how much of one post's room the draft uses (full when it overflows)."""
    if not limit:
        return "─" * width
    filled = min(width, round(width * count / limit))
    return "█" * filled + "░" * (width - filled)


def excerpt(text: str, start: int, end: int, width: int = 28) -> str:
    """The flagged words, on one line, shortened for a list. Reads only as much of the span as
    the line needs (a finding on a whole long draft would otherwise split all of it)."""
    reach = 4 * width + 8
    while True:
        stop = min(end, start + reach)
        s = " ".join(text[start:stop].split())
        if len(s) > width or stop >= end:
            break
        reach *= 4
    if len(s) > width:
        s = s[: width - 1] + "…"
    return s
