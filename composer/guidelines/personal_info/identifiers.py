"""National identity numbers, with their real structure and check digits, and passport numbers
where the text names them.

Found without a label (the structure and check digits are telling enough): US Social Security
numbers written 3-2-4 in the issued ranges, UK National Insurance numbers (allocated prefixes,
suffix A-D), Brazilian CPF, Spanish DNI/NIE, French NIR, Italian codice fiscale, Swedish
personnummer, Finnish HETU, Chinese resident ID, Mexican CURP, Indian Aadhaar (4-4-4, Verhoeff).
Found after their name: unseparated SSNs, Canadian SIN, Dutch BSN, Polish PESEL, German Steuer-ID,
Indian PAN, and any "ID number" / "national ID" / "DNI" / "cédula" with a number.
"""

from __future__ import annotations

import datetime
import re
from types import MappingProxyType

from .financial import luhn_ok
from .scan import Hit, Pattern, Scan, Taken

_NOT_ID_BEFORE_RE = Pattern(
    r"(?i:\b(?:part|model|order|item|sku|ref|reference|invoice|ticket|tracking|serial|case|product|"
    r"article|artículo|artikel|pedido|commande|bestellung|user|session|transaction|device|app|post)"
    r"\b[^\n]{0,12}|#\s*)$"
)

# -- US Social Security number -----------------------------------------------------------------

SSN_RE = Pattern(r"(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-]|[.,]\d)")
SSN_NAMED_RE = Pattern(r"(?i:\bssn|social\s+security(?:\s+(?:number|no\.?|#))?)\s*(?:is|:|#)?\s*(\d{9})(?!\d)")


def ssn_ok(area: str, group: str, serial: str) -> bool:
    """Issued ranges: area 001-899 but not 666, group 01-99, serial 0001-9999."""
    a = int(area)
    return 0 < a < 900 and a != 666 and group != "00" and serial != "0000"


# -- UK National Insurance number --------------------------------------------------------------

NI_RE = Pattern(
    r"(?<![\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])( ?)(\d{2})\2(\d{2})\2(\d{2})\2([A-D])(?![\w])"
)
NI_UNALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# -- Brazil, Spain, France, Italy ---------------------------------------------------------------

CPF_RE = Pattern(r"(?<![\w.-])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w-]|[.,]\d)")
CPF_NAMED_RE = Pattern(r"(?i:\bcpf)\s*(?:é|:|n[º°o]\.?)?\s*(\d{11})(?!\d)")
DNI_RE = Pattern(r"(?<![\w-])(?:(\d{8})|([XYZ])-?(\d{7}))-?([A-Z])(?![\w-])")
NIR_RE = Pattern(
    r"(?<![\w])([12])\s?(\d{2})\s?(0[1-9]|1[0-2]|[2-9]\d)\s?(\d{2}|2[AB])\s?(\d{3})\s?(\d{3})\s?(\d{2})(?![\w])"
)
CF_RE = Pattern(r"(?<![\w])[A-Z]{6}[\dLMNPQRSTUV]{2}[ABCDEHLMPRST][\dLMNPQRSTUV]{2}[A-Z][\dLMNPQRSTUV]{3}[A-Z](?![\w])")

# -- Nordic, China, Mexico, India ---------------------------------------------------------------

SE_RE = Pattern(r"(?<![\w-])(?:19|20)?(\d{2})(\d{2})(\d{2})([-+])(\d{4})(?![\w-])")
HETU_RE = Pattern(r"(?<![\w-])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-FHJ-NPR-Y])(?![\w-])")
CN_RE = Pattern(r"(?<![\w])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\w])")
CURP_RE = Pattern(r"(?<![\w])[A-Z][AEIOUX][A-Z]{2}\d{6}[HM][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d(?![\w])")
_YEAR_RE = Pattern(r"(?:19|20)\d\d")
AADHAAR_RE = Pattern(r"(?<![\w-])([2-9]\d{3})([ -])(\d{4})\2(\d{4})(?![\w-]|[ -]\d)")

# -- named: a label, then the number ------------------------------------------------------------

_IS = r"\s*(?:number|no\.?|nr\.?|num\.?|#|n[º°o]\.?|nummer|numéro|número|numero)?\s*(?:is|es|est|ist|é|è|är|är:|:|-)?\s*:?\s*"
NAMED_RE = Pattern(
    r"(?<![\w])(?P<label>"
    r"(?P<sin>sin|social\s+insurance|nas|assurance\s+sociale)"
    r"|(?P<bsn>bsn|burgerservicenummer|sofinummer|sofi-nummer)"
    r"|(?P<pesel>pesel)"
    r"|(?P<steuer>steuer-?id|steueridentifikationsnummer|idnr|steuernummer)"
    r"|(?P<pan>pan(?:\s+card)?)"
    r"|(?P<aadhaar>aadhaar|aadhar|uidai|आधार)"
    r"|(?P<generic>(?:national|personal|identity|id)\s+(?:id|card|number|no\.?)|id-?card|"
    r"personal(?:ausweis|ausweisnummer)|ausweisnummer|ausweis|dni|nie|nif|cédula|cedula|curp|"
    r"carte\s+d['’]identité|numéro\s+d['’]identité|documento\s+de\s+identidad|carta\s+d['’]identità|"
    r"tfn|tax\s+file|ppsn?|personnummer|personnr|fødselsnummer|henkilötunnus|身份证号?)"
    r")" + _IS + r"(?P<value>[A-Z0-9](?:[ -]?[A-Z0-9]){5,19})(?![\w-])",
    re.IGNORECASE,
)

ID_LABELS = frozenset(
    """ssn social sin nas insurance assurance bsn burgerservicenummer sofinummer sofi pesel idnr
    steuernummer steueridentifikationsnummer pan aadhaar aadhar uidai आधार national personal identity
    id dni nie nif cédula cedula curp identité identidad identità tfn tax pps ppsn personnummer
    personnr fødselsnummer henkilötunnus cpf""".split()
)
"""A labelled identifier needs one of these words near its digits."""
ID_LABEL_STEMS = ("steuer", "ausweis", "身份证")

# -- passports ------------------------------------------------------------------------------------

PASSPORT_STEMS = ("passport", "passeport", "pasaporte", "passaporte", "passaporto", "paspoort", "reisepass",
                  "paszport", "pass-nr", "pass nr", "passnr", "passnummer", "pass number", "паспорт", "护照", "パスポート")

PASSPORT_RE = Pattern(
    r"(?<![\w])(?:passport|passeport|pasaporte|passaporte|passaporto|paspoort|reisepass|paszport|"
    r"pass(?:-|\s)?(?:nr|nummer|number)|паспорт|护照|パスポート)\w*" + _IS + r"(?P<value>[A-Z0-9]{6,10})(?![\w-])",
    re.IGNORECASE,
)


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _cpf_ok(digits: str) -> bool:
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    d = [int(c) for c in digits]
    for n in (9, 10):
        r = sum((n + 1 - i) * d[i] for i in range(n)) * 10 % 11 % 10
        if r != d[n]:
            return False
    return True


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni_ok(m: re.Match) -> bool:
    number = m.group(1) or str("XYZ".index(m.group(2))) + m.group(3)
    return _DNI_LETTERS[int(number) % 23] == m.group(4)


def _nir_ok(m: re.Match) -> bool:
    dept = m.group(4).replace("2A", "19").replace("2B", "18")
    body = m.group(1) + m.group(2) + m.group(3) + dept + m.group(5) + m.group(6)
    return 97 - int(body) % 97 == int(m.group(7))


_CF_ODD = MappingProxyType(dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
                    6, 8, 12, 14, 16, 10, 22, 25, 24, 23])))


def _cf_ok(code: str) -> bool:
    total = 0
    for i, ch in enumerate(code[:15]):
        total += _CF_ODD[ch] if i % 2 == 0 else (int(ch) if ch.isdigit() else ord(ch) - 65)
    return chr(65 + total % 26) == code[15]


def _hetu_ok(m: re.Match) -> bool:
    number = int(m.group(1) + m.group(2) + m.group(3) + m.group(5))
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[number % 31] == m.group(6)


def _cn_ok(code: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(code[:17], weights))
    return "10X98765432"[total % 11] == code[17].upper()


_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_ok(digits: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[i % 8][int(ch)]]
    return c == 0


def _bsn_ok(digits: str) -> bool:
    if len(digits) != 9:
        return False
    total = sum(int(c) * w for c, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def _pesel_ok(digits: str) -> bool:
    if len(digits) != 11:
        return False
    total = sum(int(c) * w for c, w in zip(digits, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)))
    return (10 - total % 10) % 10 == int(digits[10])


def _steuer_id_ok(digits: str) -> bool:
    """ISO 7064 MOD 11,10, the German tax id's check digit."""
    if len(digits) != 11 or digits[0] == "0":
        return False
    product = 10
    for ch in digits[:10]:
        total = (int(ch) + product) % 10 or 10
        product = (total * 2) % 11
    return (11 - product) % 10 == int(digits[10])


def _named(m: re.Match) -> str | None:
    """What the labelled number is, if it passes that identifier's check; None if it does not."""
    value = m.group("value")
    digits = re.sub(r"[ -]", "", value)
    if m.group("sin"):
        return "a Canadian Social Insurance Number" if len(digits) == 9 and digits.isdigit() and luhn_ok(digits) else None
    if m.group("bsn"):
        return "a Dutch BSN" if _bsn_ok(digits) else None
    if m.group("pesel"):
        return "a Polish PESEL" if digits.isdigit() and _pesel_ok(digits) else None
    if m.group("steuer"):
        return "a German tax ID" if digits.isdigit() and (len(digits) in (10, 11, 13)) else None
    if m.group("pan"):
        return "an Indian PAN" if re.fullmatch(r"[A-Z]{5}\d{4}[A-Z]", digits.upper()) else None
    if m.group("aadhaar"):
        return "an Indian Aadhaar number" if len(digits) == 12 and digits.isdigit() and verhoeff_ok(digits) else None
    if sum(ch.isdigit() for ch in digits) < 5:
        return None
    return "an identity document number"


def national_ids(scan: Scan) -> list[Hit]:
    text = scan.text
    out: list[Hit] = []
    taken = Taken()

    def add(start: int, end: int, detail: str) -> None:
        if taken.add(start, end):
            out.append(Hit(start, end, detail))

    def plain(start: int) -> bool:
        return _NOT_ID_BEFORE_RE.search(text, max(0, start - 30), start) is None

    if scan.mentions(ID_LABELS, ID_LABEL_STEMS):
        for m in scan.finditer(NAMED_RE):
            if _NOT_ID_BEFORE_RE.search(text, max(0, m.start() - 30), m.start()):
                continue
            detail = _named(m)
            if detail:
                add(m.start("value"), m.end("value"), detail)
        for m in scan.finditer(SSN_NAMED_RE):
            g = m.group(1)
            if ssn_ok(g[:3], g[3:5], g[5:]):
                add(m.start(1), m.end(1), "a US Social Security number")
        for m in scan.finditer(CPF_NAMED_RE):
            if _cpf_ok(m.group(1)):
                add(m.start(1), m.end(1), "a Brazilian CPF")
    for m in scan.finditer(SSN_RE):
        if ssn_ok(m.group(1), m.group(3), m.group(4)) and plain(m.start()):
            add(m.start(), m.end(), "a US Social Security number")
    for m in scan.finditer(NI_RE):
        if m.group(1) not in NI_UNALLOCATED and plain(m.start()):
            add(m.start(), m.end(), "a UK National Insurance number")
    for m in scan.finditer(CPF_RE):
        if _cpf_ok(re.sub(r"\D", "", m.group())) and plain(m.start()):
            add(m.start(), m.end(), "a Brazilian CPF")
    for m in scan.finditer(DNI_RE):
        if _dni_ok(m) and plain(m.start()):
            add(m.start(), m.end(), "a Spanish DNI" if m.group(1) else "a Spanish NIE")
    for m in scan.finditer(NIR_RE):
        if _nir_ok(m) and plain(m.start()):
            add(m.start(), m.end(), "a French social security number (NIR)")
    for m in scan.finditer(CF_RE):
        if _cf_ok(m.group()):
            add(m.start(), m.end(), "an Italian codice fiscale")
    for m in scan.finditer(SE_RE):
        yy, mm, dd = int(m.group(1)), int(m.group(2)), int(m.group(3))
        ten = m.group(1) + m.group(2) + m.group(3) + m.group(5)
        if _valid_date(2000 + yy, mm, dd) and luhn_ok(ten) and plain(m.start()):
            add(m.start(), m.end(), "a Swedish personnummer")
    for m in scan.finditer(HETU_RE):
        if _valid_date(2000 + int(m.group(3)), int(m.group(2)), int(m.group(1))) and _hetu_ok(m):
            add(m.start(), m.end(), "a Finnish personal identity code")
    for m in scan.finditer(CN_RE):
        code = m.group()
        if _valid_date(int(code[6:10]), int(code[10:12]), int(code[12:14])) and _cn_ok(code):
            add(m.start(), m.end(), "a Chinese resident identity number")
    for m in scan.finditer(CURP_RE):
        code = m.group()
        if _valid_date(2000 + int(code[4:6]), int(code[6:8]), int(code[8:10])):
            add(m.start(), m.end(), "a Mexican CURP")
    for m in scan.finditer(AADHAAR_RE):
        if all(_YEAR_RE.fullmatch(g) for g in (m.group(1), m.group(3), m.group(4))):
            continue  # 2019 2020 2021: years
        if verhoeff_ok(m.group(1) + m.group(3) + m.group(4)) and plain(m.start()):
            add(m.start(), m.end(), "an Indian Aadhaar number")
    return out


def passports(scan: Scan) -> list[Hit]:
    out: list[Hit] = []
    if not scan.mentions(frozenset(), PASSPORT_STEMS):
        return out
    for m in scan.finditer(PASSPORT_RE):
        value = m.group("value")
        digits = sum(ch.isdigit() for ch in value)
        if digits >= 2 and not _YEAR_RE.fullmatch(value):  # German passports mix letters and digits
            out.append(Hit(m.start("value"), m.end("value")))
    return out
