"""Personal information as people reveal it: `check(text, region, allow)` returns one finding per
thing found, with a rule id per kind (`personal-info.phone`, `personal-info.national-id`, ...; see
`kinds.KINDS`). Identifiers and financial numbers are errors, the rest warnings.

contact: e-mail (also written to dodge filters) and phone numbers (libphonenumber, lazily);
financial: cards, IBANs, bank details; identifiers: national ids, passports; whereabouts: home
addresses, coordinates, IP addresses, school or work schedules; birth: dates of birth; cues: what
ties a place or a date to a person rather than to a public place; scan: the text being checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Finding
from . import birth, contact, financial, identifiers, libphone, whereabouts
from .financial import iban_ok, luhn_ok
from .kinds import KINDS, finding
from .scan import Hit, Pattern, Scan, Whole

__all__ = ["check", "KINDS", "iban_ok", "luhn_ok", "allow_key", "Whole", "near_digits", "quiet", "QUIET_REACH", "ADDRESS_REACH"]

_NOT_ALNUM_RE = Pattern(r"[\W_]+")


def allow_key(text: str) -> str:
    """How an allowed phrase and a flagged span are compared: letters and digits only, case
    folded ("+44 20 7946 0958" and "+44 (20) 7946-0958" are the same number)."""
    return _NOT_ALNUM_RE.sub("", text).casefold()


def check(text: str, region: str = "US", allow: Iterable[str] = (), *, whole: Whole | None = None) -> list[Finding]:
    """Findings for personal information in `text`. `region`: ISO country code of the writer,
    for phone numbers written without a country code (numbers of other countries are found when
    written as those countries write them). `allow`: what the writer has said is theirs to share;
    a finding whose words (or whose number or address, however written) are on it is left out.
    `whole`: when `text` is one part of a longer text, cut where no digit is near (see
    `guidelines.Incremental`), what the whole text's gates see, so the part's findings are those
    the whole text would give there."""
    scan = Scan(text, whole)
    found: list[tuple[str, Hit]] = []

    def add(kind: str, hits: list[Hit]) -> None:
        found.extend((kind, h) for h in hits)
        scan.take([(h.start, h.end) for h in hits])

    add("email", contact.emails(scan))
    digits = scan.digit_count if whole is None else whole.digit_count
    if digits >= 8:
        add("card", financial.cards(scan))
        add("iban", financial.ibans(scan))
        add("bank-account", financial.bank_accounts(scan))
    if digits >= 5:
        add("national-id", identifiers.national_ids(scan))
        add("ip-address", whereabouts.ip_addresses(scan))
    if digits >= 2:
        add("passport", identifiers.passports(scan))
    if digits >= 4:
        add("coordinates", whereabouts.coordinates(scan))
        add("date-of-birth", birth.dates_of_birth(scan))
    if digits >= 7:
        add("phone", contact.phones(scan, region or "US"))
    if digits:
        add("address", whereabouts.addresses(scan))
    add("schedule", whereabouts.schedules(scan))

    allowed = {allow_key(a) for a in allow if isinstance(a, str)} - {""}
    if allowed and any(kind == "phone" for kind, _ in found):
        allowed |= _phone_keys(allow, region or "US")
    return [
        finding(kind, h.start, h.end, h.detail)
        for kind, h in found
        if not allowed or (allow_key(text[h.start : h.end]) not in allowed and allow_key(h.value) not in allowed)
    ]


def _phone_keys(allow: Iterable[str], region: str) -> set[str]:
    """The allowed phrases that are phone numbers, as E.164 ("020 7946 0958" in GB: 442079460958)."""
    pn = libphone.load()

    keys = set()
    for a in allow:
        if isinstance(a, str) and sum(ch.isdigit() for ch in a) >= 7:
            try:
                number = pn.parse(a, region)
            except pn.NumberParseException:
                continue
            keys.add(allow_key(pn.format_number(number, pn.PhoneNumberFormat.E164)))
    return keys


def near_digits(text: str) -> tuple[int, frozenset[str], str]:
    """(digits, the words around them, the text around them) of `text`, as the gates of `check`
    see them: a part's share of a `Whole`."""
    scan = Scan(text)
    if not scan.digit_count:
        return 0, frozenset(), ""
    words, near = scan.near_digits
    return scan.digit_count, words, near


QUIET_REACH = 800
"""How far from a digit or a recurrence ("every ...") anything `check` decides can look: windows
around digits (100), the sentences around a match and the one before and after (2 x 200), cues
before a match (up to 80), a pick-up's place and person (120)."""
ADDRESS_REACH = 200
"""How far from an @ or a written-out "at" an e-mail address's check can look: the window around
the @ (100), the local part before it (80), a cue before that (40)."""

_DIGIT_ANCHOR_RE = Pattern(r"\d")
_AT_ANCHOR_RE = Pattern(r"@|[\[({<]\s?(?:at|arroba|arobase|chiocciola|apenstaartje|klammeraffe)\s?[\])}>]", re.I)
_AT_WORD_RE = Pattern(r"(?<!\w)(?:" + "|".join(contact._AT_WORDS) + r")(?!\w)")
_DOT_WORDS = frozenset(("dot", "punkt", "punto", "point", "punt", "ponto"))
_PLAUSIBLE_WORD_RE = Pattern(r"[\w'’-]+")


def quiet(text: str, cut: int) -> bool:
    """Whether `text` may be cut at `cut` (the end of a blank line) and each side checked alone,
    with the findings the whole text gives (the gates of the whole text handed in as `Whole`):
    nothing a finding is anchored on lies within reach of the cut (a digit or a recurrence within
    QUIET_REACH characters, an @ or a written-out "at" before an address within ADDRESS_REACH).
    Conservative: a written-out "at" counts when a word with a dot or a bracket, or a spelled dot,
    follows soon; a recurrence ("every ...") when a place and a person word are near."""
    n = len(text)
    lo, hi = max(0, cut - QUIET_REACH), min(n, cut + QUIET_REACH)
    if _DIGIT_ANCHOR_RE.search(text, lo, hi):
        return False
    near_lo, near_hi = max(0, cut - ADDRESS_REACH), min(n, cut + ADDRESS_REACH)
    if _AT_ANCHOR_RE.search(text, near_lo, near_hi):
        return False
    low = text[lo:hi].lower()
    for m in _AT_WORD_RE.finditer(low, near_lo - lo, near_hi - lo):
        following = low[m.end() : m.end() + 160].split(None, 6)[:6]
        words = [w for w in following if not ("@" in w or w.startswith("#") or "://" in w)][:2]
        if any(ch in word.rstrip(".,;:!?)") for word in words for ch in ".[({<") or any(
            word.strip(".,;:!?)") in _DOT_WORDS or word[:1] in "[({<" for word in words
        ):
            return False
    for needle in whereabouts._RECURRENCE_STARTS:
        pos = low.find(needle)
        while pos >= 0:
            near = set(_PLAUSIBLE_WORD_RE.findall(low, max(0, pos - 160), pos + len(needle) + 160))
            if not (near.isdisjoint(whereabouts.PLACE_WORDS) or near.isdisjoint(whereabouts.PERSON_WORDS)):
                return False
            pos = low.find(needle, pos + 1)
    return True
