"""Shouting: runs of words in capitals (not acronyms), and !!!, ?!?! or ???.

A single word in capitals ("OK", "NASA", "PLEASE") never fires: emphasis on one word is fine and
acronyms are how things are named. A run fires when it holds at least two shouted words: words in
capitals that are not known acronyms, contain a vowel (HTTP, NYC and BBC do not) and no digit.
Links, @mentions and #hashtags are ignored.
"""

from __future__ import annotations

import re

from .model import Finding
from .readability import mask, special_spans

ACRONYMS = frozenset(
    """
    AI API APIS ASAP AFAIK AKA AM PM BTW CEO CEOS CFO COO CTO CIA EU EUR UK UN UNO US USA USD UAE
    NASA NATO NOAA ESA OPEC OECD UNESCO UNICEF UNHCR WHO WTO IMF FIFA UEFA NBA NFL NHL MLB NCAA PLOS
    ACLU AARP NAACP LGBT LGBTQ LGBTQI LGBTQIA IOU FAQ FAQS FOMO YOLO IMO IMHO IIRC TIL ELI
    OMG LOL LMAO ROFL TBH TLDR OP DIY EOD ETA AMA FYI GIF GIFS JPEG JPG PNG PDF PDFS SVG HTML CSS
    JSON YAML TOML XML HTTP HTTPS URL URLS URI UI UX GUI CLI OS IOS MACOS IDE SDK SQL NOSQL RAM ROM
    CPU GPU SSD USB LED LEDS LCD OLED TV PC PCS VPN DNS IP TCP UDP SSH SSL TLS IO AWS GCP IBM AMD
    ARM RISC CISC AT&T BBC CNN NPR PBS ABC CBS NBC NYT AP AFP ESPN HBO MIT UCLA NYU UCL ETH KTH
    RAF UFO UFOS NY NYC NYPD LA LAPD SF DC NJ OK OKAY COVID SARS MERS HIV AIDS DNA RNA MRI ICU ER ADHD OCD PTSD ASD ME CFS NHS CDC FDA EPA
    GOP DNC RNC SCOTUS POTUS FLOTUS PM MP MPS MEP MEPS EEA ECB GDP GDPR CCPA HIPAA NDA IPO ESG
    AGM HR PR QA QC KPI KPIS ROI B2B B2C SAAS PAAS IAAS SEO SEM CRM ERP ISO IEEE IETF RFC W3C ACM
    NGO NGOS UNIX LINUX GNU BSD FOSS OSS GPL MIT AGPL LGPL MPL RSS ATOM XMPP IRC AKA ID IDS PIN PINS
    ATM SIM SMS MMS GPS EV EVS AC DC UPS DHL FEDEX USPS ASCII UTF EOF RAID OAUTH JWT CORS CSRF XSS
    ANSI POSIX EULA TOS DM DMS PSA RSVP TBA TBC TBD PTO WFH ETA EST PST CST MST GMT UTC CET CEST
    BST IST JST AEST NZST EDT PDT CDT MDT AD BC BCE CE PHD MD MBA MSC BSC BA MA RN LPN EMT CPA
    """.split()
)
"""Capitalised words that name things (organisations, formats, time zones, degrees)."""

_TWO_LETTER_WORDS = frozenset(
    "IS IT IN ON AT TO OF OR IF AS BE BY DO GO HE ME MY NO SO UP WE AN OH HI YO HA AH UH OW".split()
)
"""Two-letter words that are words; other two-letter capitals are codes (NY, CA, DE, EN)."""

_ROMAN_RE = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_VOWELS = frozenset("AEIOUYÀÁÂÃÄÅÆÈÉÊËÌÍÎÏÒÓÔÕÖØÙÚÛÜÝŒАЕЁИОУЫЭЮЯІЇЄΑΕΗΙΟΥΩΆΈΉΊΌΎΏ")
_PUNCT_RE = re.compile(r"[!?！？‼⁉⁈‽]{2,}")
_WEIGHT = {"‼": 2, "⁉": 2, "⁈": 2}

CAPS_MESSAGE = (
    "Several words in capitals read as shouting, and screen readers may spell them out letter by "
    "letter. Write them in normal case; if one word needs weight, emphasise just that one."
)


def _kind(token: str) -> str:
    """'lower' (breaks a run), 'neutral' (may sit inside a run) or 'shout'."""
    if not token.isupper():
        # no cased letter (numbers, CJK) is neutral inside a run; any lower-case letter breaks it
        return "lower" if any(ch.islower() for ch in token) else "neutral"
    letters = token.replace("'", "").replace("’", "")
    if len(letters) < 2 or any(ch.isdigit() for ch in letters):
        return "neutral"
    base = token.split("'")[0].split("’")[0]
    if base in ACRONYMS or letters in ACRONYMS:
        return "neutral"
    if base.endswith("S") and base[:-1] in ACRONYMS:  # CEOs written CEOS
        return "neutral"
    if _ROMAN_RE.fullmatch(base):
        return "neutral"
    if not any(ch in _VOWELS for ch in base):
        return "neutral"  # HTTP, BBC: not pronounced as words
    if len(base) == 2 and base not in _TWO_LETTER_WORDS:
        return "neutral"  # NY, CA, EU, IE: state, country and language codes
    return "shout"


_UPPER_RUN_RE = re.compile(r"[A-ZÀ-ÖØ-ÞΆΈ-ΫЀ-Я]{2,}")
"""Two capitals in a row (Latin, Greek, Cyrillic): where a word in capitals may be. Scanning for
these first and reading the whole word around each keeps long texts fast."""


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    n = len(text)
    while start > 0 and (text[start - 1].isalnum() or (text[start - 1] in "'’" and start > 1 and text[start - 2].isalnum())):
        start -= 1
    while end < n and (text[end].isalnum() or (text[end] in "'’" and end + 1 < n and text[end + 1].isalnum())):
        end += 1
    return start, end


def caps(text: str) -> list[Finding]:
    if not _UPPER_RUN_RE.search(text):
        return []
    prose = mask(text, special_spans(text))
    findings: list[Finding] = []
    run_start = run_end = -1
    shouted = 0
    last_end = -1

    def close() -> None:
        if shouted >= 2:
            findings.append(
                Finding("shouting.caps", "shouting", "warning", run_start, run_end, CAPS_MESSAGE)
            )

    for m in _UPPER_RUN_RE.finditer(prose):
        if m.start() < last_end:
            continue
        start, end = _token_bounds(prose, m.start(), m.end())
        last_end = end
        token = prose[start:end]
        if not token.isupper():
            continue  # iPHONE, McDONALD: not shouting; the lower case in it breaks any run
        if run_start >= 0:
            gap = prose[run_end:start]
            if gap.upper() != gap:  # a lower-case letter between: the run is over
                close()
                run_start, shouted = -1, 0
        if run_start < 0:
            run_start = start
            # a one-letter capital word right before ("I LOVE", "A BIG") belongs to the run
            if start >= 2 and prose[start - 1] == " " and prose[start - 2] in "IA" and (
                start == 2 or not prose[start - 3].isalnum()
            ):
                run_start = start - 2
        run_end = end
        if _kind(token) == "shout":
            shouted += 1
    close()
    return findings


def punctuation(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for m in _PUNCT_RE.finditer(text):
        run = m.group()
        weight = sum(_WEIGHT.get(ch, 1) for ch in run)
        if weight < 3:
            continue
        marks = set(run)
        if marks <= {"!", "！", "‼"}:
            what = "Repeated exclamation marks read as shouting: one is enough, let the words carry the feeling."
        elif marks <= {"?", "？"}:
            what = "Repeated question marks read as shouting or exasperation: one question mark asks just as well."
        else:
            what = "A pile-up of ?! reads as shouting: end with one mark and let the words carry the feeling."
        findings.append(Finding("shouting.punctuation", "shouting", "info", m.start(), m.end(), what))
    return findings


def check(text: str) -> list[Finding]:
    return caps(text) + punctuation(text)


def _lower_in(prose: str, lo: int, hi: int) -> bool:
    gap = prose[lo:hi]
    return gap.upper() != gap


def edges(text: str) -> tuple[bool, bool]:
    """(opens, closes) of one paragraph, for checking a long text paragraph by paragraph: `opens`
    when a run of capitals coming from before it must end inside it (a lower-case letter comes
    before its first word in capitals), `closes` when a run of it cannot go on into what follows
    (a lower-case letter after its last word in capitals). A blank line between a paragraph that
    closes, or before one that opens, never has a run over it (see `check`)."""
    prose = mask(text, special_spans(text))
    first = last = None
    for m in _UPPER_RUN_RE.finditer(prose):
        if first is None:
            first = m
        last = m
    if first is None or last is None:
        lower = _lower_in(prose, 0, len(prose))
        return lower, lower
    start = _token_bounds(prose, first.start(), first.end())[0]
    end = _token_bounds(prose, last.start(), last.end())[1]
    return _lower_in(prose, 0, start), _lower_in(prose, end, len(prose))
