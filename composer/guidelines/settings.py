"""Settings the guideline engine accepts (read from config.toml by `composer.config`).

Lives here, not in config.py, because the guidelines layer must not import config (DESIGN.md layers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .model import Severity

DEFAULT_WORDS_PER_MINUTE = 238
"""Brysbaert 2019 (J. Memory & Language 109:104047): silent reading of English non-fiction."""


@dataclass(frozen=True, slots=True)
class RuleSetting:
    """A user's override for one rule id (`clickbait.curiosity-gap`) or a whole category (`clickbait`)."""

    enabled: bool = True
    severity: Severity | None = None
    """None keeps the rule's own default severity."""


@dataclass(frozen=True, slots=True)
class GuidelineSettings:
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)
    """Keys are rule ids or categories; the most specific key wins."""
    words_per_minute: int = DEFAULT_WORDS_PER_MINUTE
    phone_region: str = "US"
    """Default region for phone numbers written without a country code (ISO 3166 alpha-2)."""
    allow: tuple[str, ...] = ()
    """Words or phrases (lower case) the writer has allowed: never flagged by the word lists, nor as
    personal information (a number or address matches however it is written)."""

    def rule(self, rule_id: str) -> RuleSetting:
        """The setting that applies to `rule_id`: exact id, else its category, else the default."""
        if rule_id in self.rules:
            return self.rules[rule_id]
        category = rule_id.split(".", 1)[0]
        return self.rules.get(category, RuleSetting())


DEFAULT_SETTINGS = GuidelineSettings()
