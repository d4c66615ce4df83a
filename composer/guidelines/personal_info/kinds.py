"""The kinds of personal information: rule id, severity, and what to tell the writer about each.

Identifiers and financial numbers are errors (publishing stops); the rest are warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from ..model import Finding, Severity


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    """The rule id is `personal-info.<name>`."""
    severity: Severity
    what: str
    """What it looks like, as in "This looks like {what}"."""
    why: str
    """Why it matters and what to do, one sentence."""


KINDS: MappingProxyType[str, Kind] = MappingProxyType({
    k.name: k
    for k in (
        Kind(
            "phone", "warning", "a phone number",
            "in public it brings calls, texts and scams to whoever answers, for as long as the post is "
            "copied; make sure it is yours to share, or leave it out.",
        ),
        Kind(
            "email", "warning", "an e-mail address",
            "public addresses are harvested for spam and phishing; make sure it is yours to share, or "
            "leave it out.",
        ),
        Kind(
            "address", "warning", "a street address tied to a person",
            "a home address lets anyone turn up at the door; make sure it is yours to share, or name "
            "the town only.",
        ),
        Kind(
            "date-of-birth", "warning", "a date of birth with a person",
            "with a name it lets anyone open accounts or pass security questions in that name; make "
            "sure it is yours to share.",
        ),
        Kind(
            "schedule", "warning", "where a person will be and when (a school or workplace with a time)",
            "it tells a stranger where to wait for them, or for their child; leave out the place or "
            "the time.",
        ),
        Kind(
            "coordinates", "warning", "exact coordinates of a person",
            "they show where to find them right now; share a town, not a spot, unless it is yours "
            "to share.",
        ),
        Kind(
            "ip-address", "warning", "someone's IP address",
            "it points to their home or workplace and lets others attack their connection; leave it "
            "out unless it is yours and you mean it.",
        ),
        Kind(
            "card", "error", "a payment card number (it passes the card checksum)",
            "anyone who reads it can try to spend with it; never post one, so publishing stops until "
            "it is gone.",
        ),
        Kind(
            "iban", "error", "a bank account number (an IBAN that passes its check digits)",
            "with a name it is enough to set up fraudulent direct debits; send it privately, so "
            "publishing stops until it is gone.",
        ),
        Kind(
            "bank-account", "error", "bank details (an account number with its bank or branch code)",
            "together they let others take payments or pose as the account holder; send them "
            "privately, so publishing stops until they are gone.",
        ),
        Kind(
            "national-id", "error", "a national identity number",
            "with a name it lets anyone open credit, claim benefits or file taxes as that person; "
            "never post one, so publishing stops until it is gone.",
        ),
        Kind(
            "passport", "error", "a passport number",
            "with a name and a date of birth it is enough to book travel or pass identity checks as "
            "that person; never post one, so publishing stops until it is gone.",
        ),
    )
})


def message(kind: str, detail: str = "") -> str:
    """`This looks like a national identity number (a US Social Security number): with a name ...`"""
    k = KINDS[kind]
    what = f"{k.what} ({detail})" if detail else k.what
    return f"This looks like {what}: {k.why}"


def finding(kind: str, start: int, end: int, detail: str = "") -> Finding:
    k = KINDS[kind]
    return Finding(f"personal-info.{kind}", "personal-info", k.severity, start, end, message(kind, detail))
