"""Personal information: phone numbers, e-mail addresses, street addresses, payment cards, IBANs.

Each finding is a `warning`: revealing personal information about anyone is not OK, and the writer
should make sure it is theirs to share. The patterns are strict on purpose, so that order numbers,
years, prices, versions, dates, times, IP addresses, @mentions and links stay quiet:
- cards must pass the Luhn check and start like a real card network's number;
- IBANs must have their country's length and pass the mod-97 check;
- phone numbers must look written as phone numbers (country code, area code in brackets, or
  digit groups in a phone shape); a bare run of digits counts only after "call", "phone",
  "text me"... and nothing counts right after "order", "invoice", "ref", "ISBN", "#"...
"""

from __future__ import annotations

import re

from .model import Finding
from .readability import entities, mask

_WHAT = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "address": "a street address",
    "card": "a payment card number",
    "iban": "a bank account number (IBAN)",
}


def _message(kind: str) -> str:
    if kind == "card":
        return (
            "This looks like a payment card number. Revealing personal or financial details is not "
            "OK: make sure it is yours to share, and never post a card number in public."
        )
    return (
        f"This looks like {_WHAT[kind]}. Revealing personal information about anyone is not OK: "
        "make sure it is yours to share, or leave it out."
    )


def _finding(kind: str, start: int, end: int) -> Finding:
    return Finding(f"personal-info.{kind}", "personal-info", "warning", start, end, _message(kind))


# -- e-mail -----------------------------------------------------------------------------------

EMAIL_RE = re.compile(
    r"(?<![\w.+%@-])[\w+%-]+(?:\.[\w+%-]+)*@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
    r"\.[^\W\d_]{2,24}(?![\w@])"
)

# -- payment cards ------------------------------------------------------------------------------

CARD_RE = re.compile(r"(?<![\w.,/-])\d(?:[ -]?\d){12,18}(?![\w-]|[.,]\d)")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_network(digits: str) -> bool:
    """Whether the number starts like a card of a major network with a matching length."""
    n = len(digits)
    two, four, six = int(digits[:2]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":
        return n in (13, 16, 19)  # Visa
    if 51 <= two <= 55 or 222100 <= six <= 272099:
        return n == 16  # Mastercard
    if two in (34, 37):
        return n == 15  # American Express
    if four == 6011 or two == 65 or 644 <= int(digits[:3]) <= 649 or 622126 <= six <= 622925:
        return 16 <= n <= 19  # Discover
    if 3528 <= four <= 3589:
        return 16 <= n <= 19  # JCB
    if two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305:
        return 14 <= n <= 19  # Diners Club
    if two == 62:
        return 16 <= n <= 19  # UnionPay
    if digits[:4] in ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"):
        return 12 <= n <= 19  # Maestro
    return False


def _cards(text: str, windows: Windows) -> list[tuple[int, int]]:
    spans = []
    for m in _iter(CARD_RE, text, windows):
        raw = m.group()
        seps = {ch for ch in raw if not ch.isdigit()}
        if len(seps) > 1:
            continue
        digits = raw.replace(" ", "").replace("-", "")
        if luhn_ok(digits) and _card_network(digits):
            spans.append((m.start(), m.end()))
    return spans


# -- IBAN ---------------------------------------------------------------------------------------

IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}
"""Length of each country's IBAN (SWIFT IBAN registry)."""

IBAN_RE = re.compile(r"(?<![\w-])([A-Za-z]{2})(\d{2})((?:[ -]?[A-Za-z0-9]){11,30})")


def iban_ok(iban: str) -> bool:
    """Mod-97 check of an IBAN written without spaces (ISO 13616)."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged.upper())
    return int(digits) % 97 == 1


def _ibans(text: str, windows: Windows) -> list[tuple[int, int]]:
    spans = []
    for m in _iter(IBAN_RE, text, windows):
        country = m.group(1).upper()
        length = IBAN_LENGTHS.get(country)
        if length is None:
            continue
        # take exactly the country's number of characters, then require the token to end there
        needed = length - 4
        pos = m.start(3)
        count = 0
        end = pos
        while end < len(text) and count < needed:
            ch = text[end]
            if ch.isascii() and ch.isalnum():
                count += 1
            elif ch not in " -" or (end + 1 < len(text) and text[end + 1] in " -"):
                break
            end += 1
        if count != needed or (end < len(text) and text[end].isalnum() and text[end].isascii()):
            continue
        iban = (m.group(1) + m.group(2) + text[pos:end]).replace(" ", "").replace("-", "")
        if not iban[4:].isascii() or not iban_ok(iban):
            continue
        spans.append((m.start(), end))
    return spans


# -- phone numbers -----------------------------------------------------------------------------

_SEP = r"[ .\-\u00a0]"
INTL_RE = re.compile(
    r"(?<![\w+])(?:\+|00(?=[1-9]))\d{1,3}(?:" + _SEP + r"?\(0?\d{1,4}\)|" + _SEP + r"?\d{1,5}){2,6}(?![\w+]|[.,]\d)"
)
NANP_RE = re.compile(
    r"(?<![\w+.\-/$€£#])(?:1" + _SEP + r"?)?(?:\(\s?[2-9]\d{2}\s?\)" + _SEP + r"?|[2-9]\d{2}(" + _SEP + r"?))"
    r"[2-9]\d{2}" + _SEP + r"?\d{4}(?![\w\-/]|[.,]\d)"
)
TRUNK_RE = re.compile(
    r"(?<![\w+.\-/$€£#])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ .\-/\u00a0]?\d{2,8}){1,4}(?![\w\-/]|[.,]\d)"
)
"""National numbers with a leading trunk 0: 020 7946 0958, 06 12 34 56 78, 030/1234567."""

PHONE_CONTEXT = re.compile(
    r"(?:\b(?:call|calls|calling|ring|phone|phones|tel|telephone|cell|mobile|mob|text|texts|sms|"
    r"whatsapp|signal|telegram|fax|number|numbers|num|nr|contact|reach|dial|hotline|landline|"
    r"tél|téléphone|portable|telefon|handy|teléfono|móvil|telefono|cellulare)\b|[📞☎📱])"
    r"[^\n]{0,24}$",
    re.IGNORECASE,
)
NOT_PHONE_CONTEXT = re.compile(
    r"(?:\b(?:order|orders|invoice|ref|reference|tracking|ticket|case|id|isbn|issn|doi|serial|sku|"
    r"part|model|confirmation|booking|receipt|transaction|txn|account|acct|customer|patent|"
    r"version|build|release|pr|issue|bug|commit|item|product|batch|lot|policy|claim|"
    r"bestellung|rechnung|commande|facture|pedido)\b[^\n]{0,12}|#\s*|\bno\.?\s*|№\s*)$",
    re.IGNORECASE,
)


def _digit_count(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def _looks_like_date(s: str) -> bool:
    return re.fullmatch(r"\d{1,4}([./\-])\d{1,2}\1\d{1,4}", s) is not None


def _phones(text: str, region: str, windows: Windows) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def inside_longer_number(start: int, end: int) -> bool:
        """`3704 0044 0532 0130 01`: groups of a longer number (an account, a code), not a phone."""
        if start >= 2 and text[start - 1] in " .-":
            k = start - 1
            while k > max(0, start - 24) and text[k - 1].isalnum():
                k -= 1
            if any(ch.isdigit() for ch in text[k : start - 1]):
                return True
        return end + 1 < len(text) and text[end] in " .-" and text[end + 1].isdigit()

    def context(start: int) -> tuple[bool, bool]:
        before = text[max(0, start - 40) : start]
        return PHONE_CONTEXT.search(before) is not None, NOT_PHONE_CONTEXT.search(before) is not None

    for m in _iter(INTL_RE, text, windows):
        raw = m.group()
        n = _digit_count(raw) - (2 if raw.startswith("00") else 0)
        if not 8 <= n <= 15:
            continue
        if raw.startswith("00") and not re.search(_SEP, raw):
            continue  # 0049301234567 without spaces: a bare number, not a written phone number
        if inside_longer_number(m.start(), m.end()):
            continue
        pos, neg = context(m.start())
        if neg and not pos:
            continue
        spans.append((m.start(), m.end()))
        taken.append((m.start(), m.end()))

    nanp_first = region.upper() in ("US", "CA", "PR", "GU", "VI", "AS", "MP", "") or region.upper() in _NANP_ISLANDS
    patterns = (NANP_RE, TRUNK_RE) if nanp_first else (TRUNK_RE, NANP_RE)
    for pattern in patterns:
        for m in _iter(pattern, text, windows):
            start, end = m.start(), m.end()
            if not free(start, end):
                continue
            raw = m.group()
            if inside_longer_number(start, end):
                continue
            n = _digit_count(raw)
            separated = any(not ch.isdigit() for ch in raw)
            pos, neg = context(start)
            if neg and not pos:
                continue
            if pattern is TRUNK_RE:
                if not 9 <= n <= 12 or _looks_like_date(raw):
                    continue
                groups = re.findall(r"\d+", raw)
                if separated and len({ch for ch in raw if not ch.isdigit() and ch not in "()"}) > 1 and "(" not in raw:
                    continue  # 0123-456 789: mixed separators, not how phone numbers are written
                if len(groups) > 1 and all(len(g) == 1 for g in groups[1:]):
                    continue
            if not separated and not pos:
                continue  # a bare run of digits is a phone number only when the text says so
            spans.append((start, end))
            taken.append((start, end))
    return spans


_NANP_ISLANDS = frozenset("AG AI BB BM BS DM DO GD JM KN KY LC MS SX TC TT VC VG".split())

# -- street addresses --------------------------------------------------------------------------

_STREET_TYPES = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter"
    r"|Way|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Crescent|Cres|Close|Gardens|Grove|Mews"
    r"|Row|Alley|Trail|Plaza|Walk|Hill"
)
US_ADDRESS_RE = re.compile(
    r"(?<![\w#$€£.,/-])\d{1,5}[A-Za-z]?(?:-\d{1,4})?,?"
    r"((?:[ ](?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?)?"
    r"(?:[ ](?:[A-Z][a-zA-Z'’.-]*|\d{1,3}(?:st|nd|rd|th))){1,4})"
    r"[ ](?:" + _STREET_TYPES + r")\b(?![-'’])\.?(?![ ][A-Z][a-z]+[ ][a-z])"
    r"(?:,?[ ](?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|#)\.?[ ]?#?[\w-]{1,6}\b)?"
)
_NOT_STREET_WORDS = frozenset(
    """The That This These Those Of To And Or But You Your Yours Will Can Could Would Should May
    Might Must Things Ways Reasons People Times Days Years Months Weeks Hours Minutes Tips Tricks
    Steps Who Which What Why How When Where We They I My Our Their His Her For With In On At Is
    Are Was Were Be Been Do Does Did Make Makes Made Get Gets Got Best Worst Top New Ideas Lessons
    Rules Signs Facts Books Songs Films Movies Questions Mistakes Habits Kids Dogs Cats Men Women""".split()
)
EU_SUFFIX_RE = re.compile(
    r"(?<![\w-])[A-ZÄÖÜÅÆØ][\wäöüßåæø-]*?(?i:straße|strasse|str\.|weg|gasse|platz|allee|straat|laan"
    r"|gracht|plein|kade|vej|gade|gatan|gata|vägen|veien)[ ]\d{1,4}[a-zA-Z]?(?![\w-])"
)
FR_RE = re.compile(
    r"(?<![\w#$€£.,/-])\d{1,4}(?:[ ]?(?:bis|ter))?,?[ ](?i:rue|avenue|boulevard|bd|place|chemin|allée"
    r"|impasse|quai|cours|route)[ ](?:d[eu]s?[ ]|de[ ]la[ ]|de[ ]l['’]|d['’]|la[ ]|le[ ])?[A-ZÉÈ][\w'’-]+"
)
SOUTH_RE = re.compile(
    r"(?<![\w-])(?:Calle|C/|Avenida|Avda\.|Paseo|Plaza|Via|Viale|Piazza|Corso|Rua|Travessa|Largo)[ ]"
    r"(?:d[eiao]l?[ ]|de[ ]la[ ]|dos[ ]|das[ ])?[A-Z][\w'’-]+(?:[ ][A-Z][\w'’-]+)?,?[ ](?:n[º°o.][ ]?)?\d{1,4}(?![\w-])"
)


_TITLE_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


def _in_title_case_line(text: str, start: int, end: int) -> bool:
    """The match sits in a line written in Title Case (a headline: "19 Firsts All Close Mums And
    Daughters Go Through"), judged by at least four other words on the line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > 400:
        return False
    others = _TITLE_WORD_RE.findall(text, line_start, start) + _TITLE_WORD_RE.findall(text, end, line_end)
    if len(others) < 4:
        return False
    return sum(w[0].isupper() for w in others) >= 0.75 * len(others)


def _addresses(text: str, windows: Windows) -> list[tuple[int, int]]:
    spans = []
    for m in _iter(US_ADDRESS_RE, text, windows):
        words = m.group(1).split()
        if any(w.strip(".,") in _NOT_STREET_WORDS for w in words):
            continue
        if re.search(r"\bSt\.?$", m.group()) and re.match(r"\.?[ ][A-Z]", text[m.end() - (m.group().endswith(".")) :]):
            continue  # St. Louis, St Paul: a saint, not a street
        if _in_title_case_line(text, m.start(), m.end()):
            continue
        spans.append((m.start(), m.end()))
    for pattern in (EU_SUFFIX_RE, FR_RE, SOUTH_RE):
        spans.extend((m.start(), m.end()) for m in _iter(pattern, text, windows))
    return spans


# -- all together ------------------------------------------------------------------------------


Windows = list[tuple[int, int]]

_DIGITS_RE = re.compile(r"\d+")
_WINDOW_REACH = 100
"""How far around a digit (or an @) a match can reach: every pattern here holds a digit (or an
@), so the patterns only run near them. On a long essay this is several times faster than
running each pattern over the whole text."""


_SPACE_RE = re.compile(r"\s")


def _windows(text: str, anchors: list[tuple[int, int]]) -> Windows:
    """Merged stretches of `text` around `anchors` (sorted), widened to whitespace so that no
    word is cut. Linear in the text: no character is walked over twice."""
    n = len(text)
    out: Windows = []
    for a, b in anchors:
        if out and b + _WINDOW_REACH <= out[-1][1]:
            continue
        lo = max(0, a - _WINDOW_REACH)
        if out and lo <= out[-1][1]:
            lo = out[-1][0]
        else:
            floor = out[-1][1] if out else 0
            while lo > floor and not text[lo - 1].isspace():
                lo -= 1
        hi = min(n, b + _WINDOW_REACH)
        if hi < n and not text[hi].isspace():
            m = _SPACE_RE.search(text, hi)
            hi = m.start() if m else n
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _iter(pattern: re.Pattern, text: str, windows: Windows):
    for lo, hi in windows:
        yield from pattern.finditer(text, lo, hi)


def check(text: str, region: str = "US") -> list[Finding]:
    """Findings for personal information in `text`. `region`: ISO country code for numbers
    written without a country code (decides which national format is tried first)."""
    findings: list[Finding] = []
    links, ats, tags = entities(text)
    work = mask(text, sorted([*links, *ats, *tags]))

    if "@" in work:
        at_windows = _windows(work, [(m.start(), m.end()) for m in re.finditer("@", work)])
        emails = [(m.start(), m.end()) for m in _iter(EMAIL_RE, work, at_windows)]
        findings.extend(_finding("email", s, e) for s, e in emails)
        if emails:
            work = mask(work, emails)

    runs = [(m.start(), m.end()) for m in _DIGITS_RE.finditer(work)]
    if not runs:
        return findings
    windows = _windows(work, runs)
    if sum(b - a for a, b in runs) >= 8:
        cards = _cards(work, windows)
        findings.extend(_finding("card", s, e) for s, e in cards)
        if cards:
            work = mask(work, cards)
        ibans = _ibans(work, windows)
        findings.extend(_finding("iban", s, e) for s, e in ibans)
        if ibans:
            work = mask(work, ibans)
        findings.extend(_finding("phone", s, e) for s, e in _phones(work, region or "US", windows))
    findings.extend(_finding("address", s, e) for s, e in _addresses(work, windows))
    return findings
