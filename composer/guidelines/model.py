"""The data the guideline engine returns: findings with exact spans, and a report.

Pure data, no Textual, no I/O. Every other layer (CLI, sidebar, publishing) reads these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["info", "warning", "error"]
"""How much a finding matters: `error` blocks publishing; `warning` is shown before sending."""

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")

CATEGORIES: tuple[str, ...] = (
    "purpose",
    "clickbait",
    "personal-info",
    "obscenity",
    "hate",
    "shouting",
    "length",
    "readability",
    "images",
)
"""Every finding belongs to exactly one of these (DESIGN.md)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the writer should know about, pointing at the exact characters that caused it."""

    rule: str
    """Stable id, `<category>.<name>`, e.g. `clickbait.curiosity-gap`; what config settings name."""
    category: str
    severity: Severity
    start: int
    """Character offset into the analysed text (inclusive)."""
    end: int
    """Character offset (exclusive): `text[start:end]` is the flagged span. Whole-post: 0, len(text)."""
    message: str
    """Why it matters and what to do instead, in one or two plain sentences."""

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Readability:
    """Readability figures from textstat (English formulas)."""

    reading_ease: float
    """Flesch reading ease: higher is easier; 60-70 is plain English."""
    grade: float
    """Flesch-Kincaid grade level: the school year a reader needs."""

    def to_dict(self) -> dict[str, float]:
        return {"reading_ease": self.reading_ease, "grade": self.grade}


@dataclass(frozen=True, slots=True)
class Report:
    """What `analyze` returns for one text."""

    findings: list[Finding] = field(default_factory=list)
    """Sorted by (start, end, rule)."""
    words: int = 0
    read_time_seconds: int = 0
    readability: Readability | None = None
    """None when the text is too short to score meaningfully."""
    read_time_basis: str = ""
    """How the read time was estimated, in words (shown in the sidebar and `humane check`)."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def by_category(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category]

    def to_dict(self) -> dict[str, object]:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "words": self.words,
            "read_time_seconds": self.read_time_seconds,
            "read_time_basis": self.read_time_basis,
            "readability": self.readability.to_dict() if self.readability else None,
        }
