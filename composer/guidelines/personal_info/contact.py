"""Ways to reach someone: e-mail addresses (plain, and written to dodge filters: "name dot surname
at example dot org", "user [at] example [dot] com") and phone numbers, judged by Google's
libphonenumber (`phonenumbers`, imported only when the text holds a number that could be one).
"""

from __future__ import annotations

import re

from . import libphone
from .scan import Hit, Pattern, Scan, Taken, windows

# -- e-mail ------------------------------------------------------------------------------------

EMAIL_RE = Pattern(
    r"(?<![\w.+%@-])[\w+%-]+(?:\.[\w+%-]+)*@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
    r"\.[^\W\d_]{2,24}(?![\w@])"
)

ROLE_ADDRESSES = frozenset(
    """info contact contacts press hello help support sales office admin administrator webmaster
    postmaster hostmaster noreply no-reply donotreply team jobs careers enquiries inquiries feedback
    privacy abuse security billing accounts marketing media events news newsletter service
    customerservice bookings booking reservations tickets orders kontakt presse redaktion contacto
    prensa informacion contato imprensa contatto redazione bonjour hola ciao secretariat reception
    library museum""".split()
)
"""Mailboxes of an organisation, published to be written to: not a person's address."""

_AT_WORDS = ("at", "arroba", "arobase", "chiocciola", "apenstaartje", "klammeraffe")
_AT_WORD = "(?:" + "|".join(_AT_WORDS) + ")"
_DOT_WORD = r"(?:dot|punkt|punto|point|punt|ponto)"
_BRACKET_AT = r"\s?[\[({<]\s?(?:" + _AT_WORD + r"|@)\s?[\])}>]\s?"
_BRACKET_DOT = r"\s?[\[({<]\s?(?:" + _DOT_WORD + r"|\.)\s?[\])}>]\s?"
_SPELLED_DOT = r"\s(?i:" + _DOT_WORD + r")\s"
_DOT = r"(?:\.|" + _BRACKET_DOT + "|" + _SPELLED_DOT + ")"
_LABEL = r"[A-Za-z0-9](?:[\w-]*[A-Za-z0-9])?"
_TLD = (
    r"(?i:com|org|net|edu|gov|info|biz|io|co|me|app|dev|xyz|online|email|mail|eu|uk|de|fr|es|it|nl|be|ch|at|se|no"
    r"|dk|fi|pl|pt|br|mx|ar|cl|pe|in|au|nz|za|ng|ke|jp|kr|cn|hk|tw|sg|ru|ua|tr|ie|ca|us|cz|sk|hu|ro|gr"
    r"|il|ae|sa|eg|ma|ph|id|my|th|vn)"
)
LOCAL_BEFORE_RE = Pattern(r"(?<![\w.'’@-])" + _LABEL + r"(?:" + _DOT + _LABEL + r")*\Z")
"""The local part, ending where the "at" begins (searched in the few characters before it)."""
DOMAIN_AFTER_RE = Pattern(
    _LABEL + r"(?:" + _DOT + _LABEL + r")*" + _DOT + _TLD + r"(?![\w@]|\.\w|\s?[\[({<]\s?(?i:" + _DOT_WORD + r"))"
)
"""The domain, starting right after the "at"."""
BRACKET_AT_RE = Pattern(r"[\[({<]\s?(?:" + _AT_WORD + r"|@)\s?[\])}>]")
MAIL_PROVIDERS = frozenset(
    "gmail googlemail yahoo hotmail outlook live icloud me proton protonmail aol gmx web yandex mail "
    "orange free laposte wanadoo libero uol bol terra qq 163 naver".split()
)
_EMAIL_CUE_RE = Pattern(
    r"(?i:e-?mail|mail|correo|courriel|adresse|address|dirección|endereço|indirizzo|write|écri|escrib|"
    r"schreib|contact|kontakt|reach|gmail)[^\n]{0,30}$"
)


def _deobfuscate(s: str) -> str:
    s = re.sub(_BRACKET_AT + "|" + r"\s@\s?|@\s|\s(?i:" + _AT_WORD + r")\s", "@", s)
    return re.sub(_BRACKET_DOT + "|" + _SPELLED_DOT, ".", s)


def _local(address: str) -> str:
    return address.split("@", 1)[0].split("+", 1)[0].casefold()


def _at_signs(scan: Scan) -> list[tuple[int, int]]:
    """Where an "at" is written out or set apart: "[at]", "(at)", " @ ", " at ", " arroba "..."""
    text = scan.text
    out = []
    for m in BRACKET_AT_RE.finditer(text):
        start, end = m.start(), m.end()
        out.append((start - (start > 0 and text[start - 1] == " "), end + (text[end : end + 1] == " ")))
    pos = text.find("@")
    while pos >= 0:
        if text[pos + 1 : pos + 2].isspace():
            out.append((pos - 1 if pos and text[pos - 1] == " " else pos, pos + 2))
        elif pos and text[pos - 1] == " ":
            out.append((pos - 1, pos + 1))
        pos = text.find("@", pos + 1)
    low = scan.lower
    for word in _AT_WORDS:
        needle = f" {word} "
        pos = low.find(needle)
        while pos >= 0:
            out.append((pos, pos + len(needle)))
            pos = low.find(needle, pos + 1)
    return sorted(out)


_DOT_WORDS = frozenset(("dot", "punkt", "punto", "point", "punt", "ponto"))


def _domain_may_follow(low: str, at: int) -> bool:
    """A cheap look before the domain pattern: "example.com" or "example dot com" comes next
    (most " at "s in prose are followed by neither)."""
    words = low[at : at + 80].split(None, 2)
    if not words:
        return False
    first = words[0].rstrip(".,;:!?)")
    if "." in first or any(ch in first for ch in "[({<"):
        return True  # example.com, example[dot]com, example(dot)de
    return len(words) > 1 and (words[1] in _DOT_WORDS or words[1][:1] in "[({<")  # example dot com, example [dot] com


def _obfuscated(scan: Scan, start: int, local: str, at: str, domain: str) -> bool:
    if "@" in at or any(ch in at for ch in "[({<"):
        return True  # "user [at] example", "user @ example.com": written as an address on purpose
    spelled_dot = re.search(_SPELLED_DOT + "|" + _BRACKET_DOT, domain) is not None
    if at.strip() == "AT" and spelled_dot:
        return True  # "tom AT example DOT net"
    name_like = re.search(r"[._\d]|" + _SPELLED_DOT, local) is not None
    provider = re.split(_DOT, domain)[0].casefold() in MAIL_PROVIDERS
    cue = _EMAIL_CUE_RE.search(scan.text, max(0, start - 40), start) is not None
    if not (spelled_dot or provider):
        return name_like and cue  # "rob.smith at example.com" only where the text speaks of mail
    return name_like or cue


def emails(scan: Scan) -> list[Hit]:
    text = scan.text
    out: list[Hit] = []
    taken = Taken()
    if "@" in text:
        at_windows = windows(text, [(m.start(), m.end()) for m in re.finditer("@", text)])
        for m in scan.finditer(EMAIL_RE, at_windows):
            if _local(m.group()) not in ROLE_ADDRESSES and taken.add(m.start(), m.end()):
                out.append(Hit(m.start(), m.end(), "", m.group()))
    for at_start, at_end in _at_signs(scan):
        if taken.overlaps(at_start, at_end) or not _domain_may_follow(scan.lower, at_end):
            continue
        domain = DOMAIN_AFTER_RE.match(text, at_end)
        if domain is None:
            continue
        local = LOCAL_BEFORE_RE.search(text, max(0, at_start - 80), at_start)
        if local is None:
            continue
        written = text[local.start() : domain.end()]
        if not _obfuscated(scan, local.start(), local.group(), text[at_start:at_end], domain.group()):
            continue
        plain = _deobfuscate(written)
        if _local(plain) in ROLE_ADDRESSES or not taken.add(local.start(), domain.end()):
            continue
        out.append(Hit(local.start(), domain.end(), "written to dodge filters, which people and harvesters read just the same", plain))
    return out


# -- phone numbers -----------------------------------------------------------------------------

CANDIDATE_RE = Pattern(
    r"(?<![A-Za-z0-9_+.,/#$€£¥₹\\-])"
    r"(?:\+|00)?(?:\(\s?\d{1,4}\s?\)|\d)(?:[ \-./\u00a0]{0,2}(?:\(\s?\d{1,5}\s?\)|\d)){5,20}"
    r"(?![A-Za-z0-9]|[.,]\d|-\d)"
)
"""A run of digits that could be written as a phone number (7 to 15 digits, checked after)."""

FALLBACK_REGIONS = (
    "US", "GB", "IN", "BR", "MX", "DE", "FR", "ES", "IT", "AU", "JP", "NL", "AR", "CO", "PH", "ID",
    "NG", "ZA", "KR", "TR", "PL", "PT", "RU", "UA", "IE", "NZ", "KE", "SG", "BE", "CH", "AT", "SE",
    "NO", "DK", "FI", "CL", "PE", "CN", "HK", "TW", "IL",
)
"""Regions whose national formats are tried, after the writer's own, for numbers written without
a country code: a number counts there only when it is valid and grouped as that country writes it.
Roughly by how many people post from each (each region's rules load on first use, ~1 ms)."""

PHONE_CUE_RE = Pattern(
    r"(?:(?<![\w'’])(?:call|calls|calling|ring|phone|phones|tel|telephone|cell|cellphone|mobile|mob|"
    r"text|texts|sms|whatsapp|zap|signal|telegram|viber|fax|number|num|contact|reach|dial|landline|"
    r"tél|téléphone|portable|appelle|appelez|appeler|telefon|telefonnummer|handy|handynummer|"
    r"anrufen|ruf|ruft|nummer|teléfono|telefono|móvil|movil|celular|llama|llamadme|llámame|"
    r"márquenle|marca|número|numero|telefone|ligue|liga|chama|cellulare|chiama|chiamatelo|"
    r"chiamami|bel|telefoon|mobiel|ring|звоните|телефон|номер|연락처|전화)(?![\w'’])[^\n]{0,30}"
    r"|[📞☎📱]|携帯|電話)[^\n]{0,12}$",
    re.IGNORECASE,
)
NOT_PHONE_CUE_RE = Pattern(
    r"(?:(?<![\w'’])(?:order|orders|invoice|ref|reference|tracking|ticket|case|id|isbn|issn|doi|serial|"
    r"sku|part|model|confirmation|booking|receipt|transaction|txn|account|acct|customer|patent|"
    r"version|build|release|pr|issue|bug|commit|item|product|batch|lot|policy|claim|meeting|passcode|"
    r"pin|code|zoom|lotto|loto|lottery|winning|gagnants|population|bestellung|rechnung|commande|"
    r"facture|pedido|pedidos|fatura|nota|bestellnummer|rechnungsnummer|auftragsnummer|kundennummer|"
    r"sendungsnummer|artikelnummer|seriennummer|vorgangsnummer|iban|bic|swift|routing|sort|"
    r"isin|ean|upc|barcode|vin)(?![\w'’])[^\n]{0,14}|#\s*|\bno\.?\s*|n[º°]\s*|№\s*)$",
    re.IGNORECASE,
)
ORGANISATION_CUE_RE = Pattern(
    r"(?<![\w'’])(?:hotline|helpline|help line|customer service|customer care|support line|switchboard|"
    r"reception|box office|freephone|toll[- ]free|bookings|reservations|servicenummer|kundenservice|"
    r"standard|accueil|atención al cliente|atendimento|numero verde)(?![\w'’])",
    re.IGNORECASE,
)
_AFTER_NOT_PHONE_RE = Pattern(
    r"\s?(?:%|‰|€|\$|£|¥|₹|(?:EUR|USD|GBP|CHF|JPY|BRL|MXN|INR|kr|zł|Kč)\b|"
    r"(?i:people|persons|inhabitants|residents|visitors|views|users|followers|subscribers|votes|copies|"
    r"downloads|steps|words|cases|deaths|km|miles|kg|tonnes|tons|bytes|euros?|dollars?|pounds?|"
    r"yen|rupees?|reais|pesos?|einwohner|habitants|habitantes|abitanti|pessoas|personas|mensen|"
    r"mal|times|fois|veces|vezes|volte)\b)"
)
_DATE_RE = Pattern(r"\d{1,4}([./\-])\d{1,2}\1\d{1,4}")
_YEAR_RANGE_RE = Pattern(r"(?:1[89]|20)\d\d\s?[-–/]\s?(?:1[89]|20)\d\d")
_GROUPS_RE = Pattern(r"\d+")
_SEPS_RE = Pattern(r"[^\d()+]+")


def _not_a_phone_shape(raw: str) -> bool:
    """Dates, year ranges, thousands, decimals, versions and IPv4 addresses written with digits."""
    if _DATE_RE.fullmatch(raw) or _YEAR_RANGE_RE.fullmatch(raw):
        return True
    groups = _GROUPS_RE.findall(raw)
    seps = set(_SEPS_RE.findall(raw))
    if len(groups) >= 3 and len(seps) == 1 and all(len(g) == 3 for g in groups[1:]):
        sep = next(iter(seps))
        if len(groups[0]) <= 2 or sep.strip() in (".", ",", "'"):
            return True  # 8 336 817, 1.234.567: a count, not a phone number
    if "." in seps and "(" not in raw:
        if any(len(g) == 1 for g in groups[1:]) or (
            len(groups) == 4 and all(len(g) <= 3 and int(g) <= 255 for g in groups)
        ):
            return True  # 10.0.19041.1, 192.168.0.1
        if len(groups) == 2 and len(groups[1]) >= 3 and seps == {"."}:
            return True  # 3.14159265
    return False


def _boundaries(written: str, skip: int) -> frozenset[int]:
    """Where digit groups start in `written`, counted in digits after the first `skip` digits."""
    out = set()
    seen = 0
    gap = False
    for ch in written:
        if ch.isdigit():
            if gap and seen > skip:
                out.add(seen - skip)
            seen += 1
            gap = False
        elif seen:
            gap = True
    return frozenset(out)


def _grouped_as_written_there(pn, number, raw: str, region: str) -> bool:
    """Whether `raw` is grouped as `region` writes its numbers (libphonenumber's national or
    international format), or as "trunk prefix + area code, then the rest"."""
    nsn = pn.national_significant_number(number)
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) == len(nsn):
        skip = 0
    elif raw.lstrip().startswith(("+", "00")):
        skip = len(digits) - len(nsn)
    else:
        prefix = pn.ndd_prefix_for_region(region, True) or ""
        if not (prefix and digits.startswith(prefix) and digits[len(prefix):] == nsn):
            return False
        skip = len(prefix)
        if len(_GROUPS_RE.findall(raw)) == 2:
            return True  # 0151 23456789: trunk and area code, then the subscriber number
    written = _boundaries(raw, skip)
    if not written:
        return False
    for fmt in (pn.PhoneNumberFormat.NATIONAL, pn.PhoneNumberFormat.INTERNATIONAL):
        shown = pn.format_number(number, fmt)
        shown_digits = sum(ch.isdigit() for ch in shown)
        if written <= _boundaries(shown, shown_digits - len(nsn)):
            return True
    return False


def _trunk_as_written(pn, number, raw: str) -> bool:
    """Whether `raw` has the trunk prefix its region writes before national numbers ("0" of
    "020 ..." in Britain; none in the US or Italy): "347 123 4567" is not a British number."""
    nsn = pn.national_significant_number(number)
    shown = [ch for ch in pn.format_number(number, pn.PhoneNumberFormat.NATIONAL) if ch.isdigit()]
    trunk = "".join(shown[: len(shown) - len(nsn)])
    return not trunk or "".join(ch for ch in raw if ch.isdigit()).startswith(trunk)


def _inside_longer_number(text: str, start: int, end: int) -> bool:
    """`3704 0044 0532 0130 01`: groups of a longer number (an account, a code), not a phone."""
    if start >= 2 and text[start - 1] in " .-":
        k = start - 1
        while k > max(0, start - 24) and text[k - 1].isalnum():
            k -= 1
        if any(ch.isdigit() for ch in text[k : start - 1]):
            return True
    return end + 1 < len(text) and text[end] in " .-" and text[end + 1].isdigit()


_LABEL_TAIL_RE = Pattern(r"(?i:[\w'’]+\s+(?:number|no\.?|nr\.?|num|nummer|numéro|número|numero)(?![\w'’]))")


def _phone_cue(before: str) -> tuple[bool, bool]:
    """(a phone word comes last before the number, a not-a-phone word does); in "serial
    number" the word "number" belongs to the label that says it is not a phone."""
    pos = PHONE_CUE_RE.search(before)
    neg = NOT_PHONE_CUE_RE.search(before)
    if pos and neg:
        if pos.start() > neg.start() and not _LABEL_TAIL_RE.match(before, neg.start()):
            return True, False
        return False, True
    return pos is not None, neg is not None


def phones(scan: Scan, region: str) -> list[Hit]:
    """Each phone number, with its E.164 form as the value."""
    text = scan.text
    candidates = []
    for m in scan.finditer(CANDIDATE_RE):
        raw = m.group()
        n = sum(ch.isdigit() for ch in raw)
        intl = raw.startswith(("+", "00"))
        if not 7 <= n - (2 if raw.startswith("00") else 0) <= 15 or _not_a_phone_shape(raw):
            continue
        if _inside_longer_number(text, m.start(), m.end()):
            continue
        if _AFTER_NOT_PHONE_RE.match(text, m.end()) or text[max(0, m.start() - 2) : m.start()].strip() in ("$", "€", "£", "¥", "₹"):
            continue
        before = text[max(0, m.start() - 48) : m.start()]
        cue, not_cue = _phone_cue(before)
        if not_cue and not cue:
            continue
        if ORGANISATION_CUE_RE.search(before):
            continue
        separated = any(not ch.isdigit() for ch in raw.lstrip("+"))
        if not separated and not cue and not (intl and raw.startswith("+")):
            continue  # a bare run of digits is a phone number only when the text says so
        candidates.append((m, raw, cue, intl))
    if not candidates:
        return []

    pn = libphone.load()  # ~9 ms: only once a text holds a number that could be a phone

    region = (region or "US").upper()
    regions = (region, *[r for r in FALLBACK_REGIONS if r != region])
    out: list[Hit] = []
    for m, raw, cue, intl in candidates:
        number = _judge(pn, raw, cue, intl, region, regions)
        if number is None:
            continue
        out.append(Hit(m.start(), m.end(), "", pn.format_number(number, pn.PhoneNumberFormat.E164)))
    return out


def _organisations_line(pn, number) -> bool:
    """Toll-free, shared-cost, premium-rate and universal access numbers: an organisation's line."""
    t = pn.PhoneNumberType
    return pn.number_type(number) in (t.TOLL_FREE, t.SHARED_COST, t.PREMIUM_RATE, t.UAN)


def _parse(pn, raw: str, region: str | None):
    try:
        return pn.parse(raw, region)
    except pn.NumberParseException:
        return None


def _valid(pn, number) -> bool:
    """libphonenumber's `is_valid_number`, asked only of numbers of a possible length: a number of
    the wrong length for its country code is never valid, and asking costs loading the metadata of
    every region that shares the code (25 for +1: about 20 ms when a British number is read as
    American)."""
    return pn.is_possible_number(number) and pn.is_valid_number(number)


def _judge(pn, raw: str, cue: bool, intl: bool, region: str, regions: tuple[str, ...]):
    """The number `raw` stands for, or None when it is not a person's phone number."""
    if intl:
        number = _parse(pn, "+" + raw[2:] if raw.startswith("00") else raw, None)
        if number is None or not pn.is_possible_number(number) or _organisations_line(pn, number):
            return None
        if _valid(pn, number) or cue or len(_GROUPS_RE.findall(raw)) > 1:
            return number  # +44 7700 900077 (a range kept for drama) is still written as a number
        return None
    number = _parse(pn, raw, region)
    if number is not None and _valid(pn, number) and _trunk_as_written(pn, number, raw):
        return None if _organisations_line(pn, number) else number  # the writer's region: any grouping
    # Other regions, in order, each as it groups its numbers. Where the text says it is a phone
    # number, the right length there is enough (555-123-4567, 07700 900461: ranges no one is given).
    for r in regions:
        candidate = _parse(pn, raw, r)
        if candidate is None:
            continue
        if _valid(pn, candidate):
            if not _organisations_line(pn, candidate) and _grouped_as_written_there(pn, candidate, raw, r):
                return candidate
        elif (
            cue
            and pn.is_possible_number(candidate)
            and not _free_phone_prefix(pn, candidate)
            and (r == region or _grouped_as_written_there(pn, candidate, raw, r))
        ):
            return candidate
    return None


def _free_phone_prefix(pn, number) -> bool:
    """1-800-..., 0800 ...: the prefixes of free and premium lines, for numbers the metadata does
    not know (a made-up number in a toll-free range is still an organisation's line)."""
    nsn = pn.national_significant_number(number)
    if number.country_code == 1:
        return nsn[:3] in ("800", "833", "844", "855", "866", "877", "888", "900")
    return nsn.startswith(("800", "808", "1800", "900"))
