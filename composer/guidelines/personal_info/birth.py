"""Dates of birth: a full date (day, month, year from 1900 on) right after "born", "DOB",
"birthday", "geboren", "né le", "nacida el", "nascido em"..., unless the sentence is about a
public place or an organisation ("the library was born on ...").
"""

from __future__ import annotations

import datetime
import re

from . import cues
from .scan import Hit, Pattern, Scan

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "januar februar märz maerz mai juni juli oktober dezember "
    "janvier février mars avril juin juillet août septembre octobre novembre décembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    "januari februari maart mei augustus"
).split()
_MONTH = "(?:" + "|".join(sorted(set(_MONTHS), key=len, reverse=True)) + r")\.?"
del _MONTHS
_YEAR = r"(?:19|20)\d{2}"
DATE_RE = Pattern(
    r"(?i:(?<![\w./-])(?:"
    r"\d{1,2}[./-]\d{1,2}[./-]" + _YEAR +
    r"|" + _YEAR + r"-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+|of\s+)?" + _MONTH + r"\s+(?:de\s+)?" + _YEAR +
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+" + _YEAR +
    r")(?![\w/-]|\.\d))"
)
BIRTH_WORDS = frozenset(
    """born birth dob d.o.b birthday birthday's birthday’s b geboren geb geburtstag geburtsdatum né née
    naissance nacido nacida nació nacimiento nasceu nascido nascida nascimento nato nata nascita
    geboortedatum född födelsedatum urodzony urodzona urodzone ur 生年月日 出生""".split()
)
_BIRTH_STEMS = ("d.o.b", "geb.", "生年月日", "出生")
_BIRTH_WORD_RE = Pattern(r"[\w'’.]+")


def _year_ok(date: str, this_year: int) -> bool:
    years = re.findall(r"(?:19|20)\d{2}", date)
    return bool(years) and 1900 <= int(years[-1]) <= this_year


def _birth_cue(scan: Scan, start: int) -> bool:
    """"born", "DOB:", "né le", "nacida el" among the few words before the date, same sentence."""
    lo = max(0, start - 48)
    for stop in ".!?\n":
        cut = scan.text.rfind(stop, lo, start - 1)
        if cut >= 0 and scan.text[cut + 1 : cut + 2].isspace():
            lo = cut + 1
    words = _BIRTH_WORD_RE.findall(scan.lower, lo, start)
    return any(w.strip(".'’:") in BIRTH_WORDS or w in BIRTH_WORDS for w in words)


def dates_of_birth(scan: Scan) -> list[Hit]:
    out: list[Hit] = []
    if not scan.mentions(BIRTH_WORDS, _BIRTH_STEMS):
        return out
    this_year = datetime.date.today().year
    for m in scan.finditer(DATE_RE):
        start, end = m.start(), m.end()
        if not _year_ok(m.group(), this_year):
            continue  # Mozart, born 1756: not someone whose accounts can be opened
        if not _birth_cue(scan, start):
            continue
        lo, hi = scan.sentence(start, end)
        if cues.public(scan, lo, hi) and not cues.person(scan, lo, hi):
            continue  # "the library was born on 22 April 1990 as a neighbourhood project"
        out.append(Hit(start, end))
    return out
