"""Financial numbers: payment cards (Luhn and the card networks' prefixes), IBANs (length per
country and mod-97), and bank details that are not an IBAN: an account number together with a UK
sort code, a US routing number (ABA checksum), a German BLZ, an Australian BSB, an Indian IFSC, a
Brazilian agência, a BIC; and Mexican CLABEs (check digit).
"""

from __future__ import annotations

import re
from types import MappingProxyType

from .scan import Hit, Pattern, Scan

# -- payment cards ------------------------------------------------------------------------------

CARD_RE = Pattern(r"(?<![\w.,/-])\d(?:[ -]?\d){12,18}(?![\w-]|[.,]\d)")


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


def _card_network(digits: str) -> str:
    """The network whose numbers start like this one with this length, or ""."""
    n = len(digits)
    two, four, six = int(digits[:2]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":
        return "Visa" if n in (13, 16, 19) else ""
    if 51 <= two <= 55 or 222100 <= six <= 272099:
        return "Mastercard" if n == 16 else ""
    if two in (34, 37):
        return "American Express" if n == 15 else ""
    if four == 6011 or two == 65 or 644 <= int(digits[:3]) <= 649 or 622126 <= six <= 622925:
        return "Discover" if 16 <= n <= 19 else ""
    if 3528 <= four <= 3589:
        return "JCB" if 16 <= n <= 19 else ""
    if two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305:
        return "Diners Club" if 14 <= n <= 19 else ""
    if two == 62:
        return "UnionPay" if 16 <= n <= 19 else ""
    if digits[:4] in ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"):
        return "Maestro" if 12 <= n <= 19 else ""
    return ""


def cards(scan: Scan) -> list[Hit]:
    spans = []
    for m in scan.finditer(CARD_RE):
        raw = m.group()
        if len({ch for ch in raw if not ch.isdigit()}) > 1:
            continue
        digits = raw.replace(" ", "").replace("-", "")
        network = _card_network(digits)
        if network and luhn_ok(digits):
            spans.append(Hit(m.start(), m.end(), f"{network}, passing the card checksum"))
    return spans


# -- IBAN ---------------------------------------------------------------------------------------

IBAN_LENGTHS = MappingProxyType({
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
})
"""Length of each country's IBAN (SWIFT IBAN registry)."""

IBAN_RE = Pattern(r"(?<![\w-])([A-Za-z]{2})(\d{2})((?:[ -]?[A-Za-z0-9]){11,30})")


def iban_ok(iban: str) -> bool:
    """Mod-97 check of an IBAN written without spaces (ISO 13616)."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged.upper())
    return int(digits) % 97 == 1


def ibans(scan: Scan) -> list[Hit]:
    text = scan.text
    spans = []
    for m in scan.finditer(IBAN_RE):
        length = IBAN_LENGTHS.get(m.group(1).upper())
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
        spans.append(Hit(m.start(), end))
    return spans


# -- bank details that are not an IBAN ---------------------------------------------------------

_NUMBER_WORD = r"(?:\s*(?:no\.?|number|nr\.?|num\.?|#|n[º°o]\.?|nummer|numéro|número|numero))?"
_IS = r"\s*(?:is|es|est|ist|é|è|:|-|=)?\s*:?\s*#?\s*"
ACCOUNT_RE = Pattern(
    r"(?<![\w/])(?P<label>(?P<bank>bank\s+|bankkonto|banco\s+)?(?:account|acct|acc|a/c|kontonummer|konto|kto|"
    r"conta(?:\s+corrente|\s+poupança)?|cuenta|compte|rekening(?:nummer)?|conto(?:\s+corrente)?|numer\s+konta)"
    + _NUMBER_WORD + _IS + r")(?P<number>\d(?:[ -]?\d){3,19})(?![\w-]|[.,]\d)",
    re.IGNORECASE,
)
BANK_CODE_RE = Pattern(
    r"(?P<sort>(?<![\w-])\d{2}-\d{2}-\d{2}(?![\w-])|(?i:sort(?:\s*code)?)\s*:?\s*\d{2}[ -]?\d{2}[ -]?\d{2}(?!\d))"
    r"|(?i:routing|aba|rtn)" + _NUMBER_WORD + _IS + r"(?P<aba>\d{9})(?!\d)"
    r"|(?i:blz)\s*:?\s*\d{3}\s?\d{3}\s?\d{2}(?!\d)"
    r"|(?i:bsb)\s*:?\s*\d{3}[ -]?\d{3}(?!\d)"
    r"|(?i:ifsc)?\s*:?\s*(?<![A-Za-z])[A-Z]{4}0[A-Z0-9]{6}(?![A-Za-z0-9])"
    r"|(?i:ag(?:ência|encia|\.))\s*:?\s*\d{3,5}(?:-\d)?(?!\d)"
    r"|(?i:transit)" + _NUMBER_WORD + _IS + r"\d{5}(?!\d)"
    r"|(?i:bic|swift)\s*:?\s*[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Za-z0-9])"
)
"""A bank's or branch's code: public alone, bank details next to an account number."""
CLABE_RE = Pattern(r"(?i:clabe)" + _IS + r"(?P<number>\d(?:[ ]?\d){17})(?!\d)")


def aba_ok(digits: str) -> bool:
    """The ABA routing number checksum (weights 3, 7, 1)."""
    d = [int(c) for c in digits]
    return len(d) == 9 and (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def clabe_ok(digits: str) -> bool:
    weights = (3, 7, 1) * 6
    total = sum((int(c) * w) % 10 for c, w in zip(digits[:17], weights))
    return len(digits) == 18 and (10 - total % 10) % 10 == int(digits[17])


ACCOUNT_WORDS = frozenset(
    "account acct acc konto kontonummer kto conta cuenta compte rekening rekeningnummer conto konta clabe bankkonto".split()
)
"""Bank details need one of these words near the digits."""


def bank_accounts(scan: Scan) -> list[Hit]:
    text = scan.text
    out: list[Hit] = []
    if not scan.mentions(ACCOUNT_WORDS, ("a/c",)):
        return out
    for m in scan.finditer(CLABE_RE):
        if clabe_ok(m.group("number").replace(" ", "")):
            out.append(Hit(m.start("number"), m.end("number"), "a Mexican CLABE"))
    for m in scan.finditer(ACCOUNT_RE):
        start, end = m.start("number"), m.end("number")
        if m.group("bank"):
            out.append(Hit(start, end, "a bank account number"))
            continue
        lo, hi = scan.sentence(start, end, reach=100)
        best = None
        for code in BANK_CODE_RE.finditer(text, lo, hi):
            if code.start() < end and start < code.end():
                continue
            if code.group("aba") and not aba_ok(code.group("aba")):
                continue
            if best is None or abs(code.start() - start) < abs(best.start() - start):
                best = code
        if best is not None:
            out.append(Hit(min(start, best.start()), max(end, best.end())))
    return out
